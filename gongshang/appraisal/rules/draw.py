"""The random draw of a batch's panels (pure; no Django): reproducible and auditable.

条例 第二十五条: the committee draws 3 or 5 experts at random from the pool to form the panel.
条例 第二十七条: anyone with an interest in the case steps aside (回避): the worker's own employer's
doctors, the treating doctor, a relative, and (by the committee's practice) an expert who sat on an
earlier appraisal of the same case (再次/复查鉴定 must be examined by other eyes).

Determinism: the inputs are sorted canonically (applications and experts by id, categories in the
standard's order) and every random choice comes from one `random.Random` seeded with the integer of
SHA-256(seed). The same inputs and seed give the same panels on any machine and Python ≥ 3.2
(`Random.randrange` on an int seed is stable). The seed's SHA-256 is published (the batch's
commitment) before the draw; after it, anyone can check `sha256(seed) == commitment` and re-run this
function on the recorded pool snapshot to obtain the recorded result (`verify`).

Order of work: the applications are shuffled once (so no application is always served first), then
each panel is filled: one expert for each 门类 its injuries need (in the standard's order, at most the
panel size), then the remaining seats at random from the rest of the pool. Recused experts are never
eligible.

Load spread: an expert sits on at most `load_cap(n, size, pool) = ceil(n × size / pool) + LOAD_SLACK`
panels of one batch (n the number of applications, pool the number of experts), so the work of a
batch falls on many experts rather than on the few of a small 门类; when a 门类's experts are all at
the cap, the panel reports the 门类 as missing instead of overloading someone.

A panel that cannot be filled is reported with a Chinese reason naming the application and the
missing 门类 (or the number of seats short); the others are still drawn.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass, field

from .categories import CATEGORIES, label

PANEL_SIZES = (3, 5)
LOAD_SLACK = 1
# Random picks tried before falling back to a scan of the shuffled candidates (keeps a big pool fast).
_TRIES = 24


@dataclass(frozen=True)
class DrawApplication:
    id: int
    categories: tuple[str, ...]
    employer_id: int | None = None
    person_id: int | None = None
    case_id: int | None = None
    excluded: frozenset[int] = field(default_factory=frozenset)   # conflicts + earlier panels of the case
    label: str = ""                                                   # shown in a failure message

    def as_json(self) -> dict:
        return {"id": self.id, "categories": list(self.categories), "employer_id": self.employer_id,
                "person_id": self.person_id, "case_id": self.case_id, "excluded": sorted(self.excluded),
                "label": self.label}

    @classmethod
    def from_json(cls, data: dict) -> DrawApplication:
        return cls(id=int(data["id"]), categories=tuple(data.get("categories") or ()),
                   employer_id=data.get("employer_id"), person_id=data.get("person_id"),
                   case_id=data.get("case_id"), excluded=frozenset(int(x) for x in data.get("excluded") or ()),
                   label=data.get("label") or "")


@dataclass(frozen=True)
class PoolExpert:
    id: int
    categories: tuple[str, ...]
    employer_id: int | None = None

    def as_json(self) -> dict:
        return {"id": self.id, "categories": list(self.categories), "employer_id": self.employer_id}

    @classmethod
    def from_json(cls, data: dict) -> PoolExpert:
        return cls(id=int(data["id"]), categories=tuple(data.get("categories") or ()),
                   employer_id=data.get("employer_id"))


def seed_bytes(seed: bytes | str) -> bytes:
    if isinstance(seed, bytes):
        return seed
    try:
        return bytes.fromhex(seed)
    except ValueError:
        return seed.encode("utf-8")


def commitment(seed: bytes | str) -> str:
    """The published commitment of a seed: SHA-256 of its bytes, hex."""
    return hashlib.sha256(seed_bytes(seed)).hexdigest()


def snapshot_sha256(pool_json: list[dict]) -> str:
    """SHA-256 of the canonical JSON of a pool snapshot (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(pool_json, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_cap(applications: int, size: int, pool: int) -> int:
    if pool <= 0:
        return 0
    return math.ceil(applications * size / pool) + LOAD_SLACK


def _canonical_categories(categories) -> tuple[str, ...]:
    known = [c for c in CATEGORIES if c in set(categories)]
    return tuple(known)


def draw(applications, pool, *, panel_size: int, seed: bytes | str) -> list[dict]:
    """The panels: one dict per application, sorted by id:
    {"application": id, "members": [{"expert": id, "category": code or "", "chair": bool}], "failure": str}.
    `failure` is "" when the panel is full; otherwise it says why (the members drawn so far are
    dropped: a panel is all or nothing)."""
    if panel_size not in PANEL_SIZES:
        raise ValueError(f"panel_size must be one of {PANEL_SIZES}")
    apps = sorted(applications, key=lambda a: a.id)
    experts = sorted(pool, key=lambda e: e.id)
    rng = random.Random(int.from_bytes(hashlib.sha256(seed_bytes(seed)).digest(), "big"))
    cap = load_cap(len(apps), panel_size, len(experts))
    by_category: dict[str, list[PoolExpert]] = {c: [] for c in CATEGORIES}
    for expert in experts:
        for category in _canonical_categories(expert.categories):
            by_category[category].append(expert)
    load: dict[int, int] = {}

    order = list(range(len(apps)))
    rng.shuffle(order)
    results: dict[int, dict] = {}
    for index in order:
        app = apps[index]
        results[app.id] = _panel(app, experts, by_category, load, cap, panel_size, rng)
    return [results[a.id] for a in apps]


def _eligible(app: DrawApplication, expert: PoolExpert, taken: set[int], load: dict[int, int], cap: int) -> bool:
    if expert.id in taken or expert.id in app.excluded or load.get(expert.id, 0) >= cap:
        return False
    return not (app.employer_id is not None and expert.employer_id == app.employer_id)


def _pick(app, candidates: list[PoolExpert], taken, load, cap, rng: random.Random) -> PoolExpert | None:
    if not candidates:
        return None
    for _ in range(_TRIES):
        expert = candidates[rng.randrange(len(candidates))]
        if _eligible(app, expert, taken, load, cap):
            return expert
    # Few eligible left: scan from a random offset (deterministic, and every candidate is reachable).
    start = rng.randrange(len(candidates))
    for i in range(len(candidates)):
        expert = candidates[(start + i) % len(candidates)]
        if _eligible(app, expert, taken, load, cap):
            return expert
    return None


def _name(app: DrawApplication) -> str:
    return app.label or f"第 {app.id} 号申请"


def _panel(app, experts, by_category, load, cap, size, rng) -> dict:
    taken: set[int] = set()
    members: list[dict] = []
    needed = _canonical_categories(app.categories)[:size]
    missing = []
    for category in needed:
        expert = _pick(app, by_category[category], taken, load, cap, rng)
        if expert is None:
            missing.append(category)
            continue
        taken.add(expert.id)
        members.append({"expert": expert.id, "category": category})
    if missing:
        names = "、".join(label(c) for c in missing)
        return {"application": app.id, "members": [], "failure":
                f"{_name(app)}无法组成专家组：回避后{names}没有可抽取的专家（或均已达本批次参加上限），"
                "请补充该门类专家或调整可参加状态后重新抽取。"}
    while len(members) < size:
        expert = _pick(app, experts, taken, load, cap, rng)
        if expert is None:
            return {"application": app.id, "members": [], "failure":
                    f"{_name(app)}无法组成 {size} 人专家组：回避后可抽取的专家还差 {size - len(members)} 名，"
                    "请补充专家库或调整可参加状态后重新抽取。"}
        taken.add(expert.id)
        shared = _canonical_categories(expert.categories)
        members.append({"expert": expert.id, "category": next((c for c in shared if c in needed), "")})
    for member in members:
        load[member["expert"]] = load.get(member["expert"], 0) + 1
    for position, member in enumerate(members):
        member["chair"] = position == 0
    return {"application": app.id, "members": members, "failure": ""}


def verify(*, seed: str, commitment_hex: str, applications_json: list[dict], pool_json: list[dict],
           panel_size: int, result: list[dict], pool_sha256: str | None = None) -> list[str]:
    """Anyone's check of a recorded draw: the seed matches the published commitment, the snapshot
    its hash, and re-running the draw gives the recorded result. Returns the problems (empty = ok)."""
    problems = []
    if commitment(seed) != commitment_hex:
        problems.append("抽取种子与事先公布的承诺值不一致。")
    if pool_sha256 is not None and snapshot_sha256(pool_json) != pool_sha256:
        problems.append("专家库快照与记录的摘要不一致。")
    again = draw([DrawApplication.from_json(a) for a in applications_json],
                 [PoolExpert.from_json(e) for e in pool_json], panel_size=panel_size, seed=seed)
    if again != result:
        problems.append("以记录的快照和种子重新抽取，结果与记录不一致。")
    return problems
