"""The fake 公安人口库 for development, tests and the demo: deterministic answers from data we hold.

The real register knows every resident; the fake knows only what the platform holds, so it
answers by these rules, in this order (docs/exchange/identity.md states them for users):

1. an ID number listed in the test identities file (samples/population_test_identities.csv)
   as 查无 → `not_found`;
2. an ID number listed there as 死亡, or with a death record (死亡信息 from 民政/公安) → `deceased`;
3. an ID number listed there as 在册, or of an insured person of the registry → `match` when the
   name is the listed (registry) one, else `name_mismatch`; the file's name wins over the registry's;
4. any other ID number → `match`: an ID number the fake has never seen is taken to be right,
   so every existing flow (random but valid test people, demo people) keeps working. `not_found`
   comes only from rule 1.

Names are compared without spaces. `DownPopulationRegister` plays a register that does not answer.
"""

import csv
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from gongshang.core.pii.crypto import blind_index, normalize

from ..adapters.population import RegisterUnavailable
from ..choices import IdentityResult
from ..services.identity import in_chunk

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "population_test_identities.csv"
HEADER = ["身份证号", "姓名", "登记状态"]
ALIVE, DEAD, UNKNOWN = "在册", "死亡", "查无"


def compact_name(name: str) -> str:
    return "".join(str(name or "").split())


@lru_cache(maxsize=2)
def test_identities(path: Path = SAMPLE) -> dict[str, tuple[str, str]]:
    """{ID number: (name, status)} of the test identities file; a malformed file is a set-up error."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows or rows[0] != HEADER:
        raise ImproperlyConfigured(f"{path.name}: 表头应为 {','.join(HEADER)}")
    found = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(HEADER) or row[2] not in (ALIVE, DEAD, UNKNOWN) or not row[0].strip():
            raise ImproperlyConfigured(f"{path.name} 第 {line} 行：应为 身份证号,姓名,在册|死亡|查无")
        found[normalize(row[0])] = (compact_name(row[1]), row[2])
    return found


def _chunks(items: list[str]):
    size = in_chunk()
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _registry_facts(indexes: list[str]) -> tuple[set[str], dict[str, str]]:
    """(indexes with a death record, {index: the registry's name}), a few queries per 900 people."""
    from gongshang.registry.models import InsuredPerson

    from ..models import DeathRecord

    deaths, names = set(), {}
    unique = sorted(set(indexes))
    for chunk in _chunks(unique):
        deaths.update(DeathRecord.objects.filter(id_number_index__in=chunk).values_list("id_number_index", flat=True))
        names.update(InsuredPerson.objects.filter(id_number_index__in=chunk).values_list("id_number_index", "name"))
    return deaths, names


def _answer(id_number: str, name: str, *, listed: tuple[str, str] | None, dead: bool,
            registry_name: str | None) -> IdentityResult:
    if listed and listed[1] == UNKNOWN:
        return IdentityResult.NOT_FOUND
    if dead or (listed and listed[1] == DEAD):
        return IdentityResult.DECEASED
    known = listed[0] if listed else registry_name
    if known is None:
        return IdentityResult.MATCH
    return IdentityResult.MATCH if compact_name(name) == compact_name(known) else IdentityResult.NAME_MISMATCH


class FakePopulationRegister:
    """Answers from the test identities file, the death records and the insured persons."""

    def check(self, id_number: str, name: str) -> IdentityResult:
        return self.check_many([(id_number, name)])[0]

    def check_many(self, pairs: list[tuple[str, str]]) -> list[IdentityResult]:
        indexes = [blind_index(id_number) or "" for id_number, _name in pairs]
        deaths, names = _registry_facts([i for i in indexes if i])
        listed = test_identities()
        return [_answer(id_number, name, listed=listed.get(normalize(id_number)), dead=index in deaths,
                        registry_name=names.get(index))
                for (id_number, name), index in zip(pairs, indexes, strict=True)]


class DownPopulationRegister:
    """A register that never answers (POPULATION_REGISTER_BACKEND in tests of `unavailable`)."""

    def check(self, id_number: str, name: str) -> IdentityResult:
        raise RegisterUnavailable("population register did not answer (fake)")

    def check_many(self, pairs: list[tuple[str, str]]) -> list[IdentityResult]:
        raise RegisterUnavailable("population register did not answer (fake)")
