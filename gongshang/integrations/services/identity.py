"""身份核验: an ID number and a name checked against the population register (公安人口库).

Asked by the system at 增员 (one request, or every row of a batch import), at 实名绑定 and at a
工伤快报, and by a staff member by hand. Every check leaves an IdentityCheck row (the ID number
encrypted, the name only as a keyed hash) and an audit event.

The answer is cached: an answer the register gave (not `unavailable`, not itself a cached copy)
for the same ID number and name within `IDENTITY_CACHE_DAYS` (default 30) is reused, and the new
row says `cached`. A register that does not answer gives `unavailable`, recorded like any answer:
the callers decide what it means for them (rules/identity.py). A signed-in actor may check at most
`IDENTITY_CHECK_RATE_LIMIT` times per `IDENTITY_CHECK_RATE_WINDOW_SECONDS`; the persons of batch
imports count against a budget of their own (`IDENTITY_BATCH_CHECK_LIMIT` distinct pairs per
`IDENTITY_BATCH_CHECK_WINDOW_SECONDS`, default one full file a day): without it, uploading files
would check any number of pairs, each answer read off the refused rows.
"""

import logging
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from gongshang.accounts.access import is_signed_in, require
from gongshang.core.audit import record_event
from gongshang.core.errors import FieldErrors, RateLimited
from gongshang.core.pii.crypto import blind_index
from gongshang.core.ratelimit import hit
from gongshang.core.validators import is_valid_id_number, validate_id_number
from gongshang.registry.imports.bulkinsert import insert_rows

from ..adapters import population
from ..choices import ExchangeEventType, IdentityContext, IdentityResult
from ..models import IdentityCheck

logger = logging.getLogger(__name__)

NAME_MAX = 50
RECORD_COLUMNS = ("id_number", "id_number_index", "name_index", "result", "cached")


def compact_name(name) -> str:
    return "".join(str(name or "").split())


def name_index(name: str) -> str:
    """Keyed hash of the name (the blind-index key, a prefix of its own so that a name never
    hashes like an ID number): equal names give equal indexes; the name itself is never stored."""
    return blind_index("name:" + compact_name(name))


def cache_days() -> int:
    return int(getattr(settings, "IDENTITY_CACHE_DAYS", 30))


def _cleaned(id_number, name) -> tuple[str, str]:
    errors = {}
    try:
        id_number = validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages[0]
    name = compact_name(name)
    if not name:
        errors["name"] = "请填写姓名（与身份证上的姓名一致）"
    elif len(name) > NAME_MAX:
        errors["name"] = f"姓名最多 {NAME_MAX} 个字，请核对"
    if errors:
        raise FieldErrors(errors)
    return id_number, name


def _rate_limit(actor) -> None:
    if not is_signed_in(actor):
        return  # anonymous supplements of a quick report: their code and SMS check limit them
    limit = int(getattr(settings, "IDENTITY_CHECK_RATE_LIMIT", 100))
    window = int(getattr(settings, "IDENTITY_CHECK_RATE_WINDOW_SECONDS", 600))
    hit(f"identity-check:{actor.pk}", limit=limit, window_seconds=window,
        message=f"身份核验过于频繁：每 {max(window // 60, 1)} 分钟最多核验 {limit} 次，请稍后再试。")


def _batch_budget(actor, count: int) -> None:
    if not is_signed_in(actor) or not count:
        return
    limit = int(getattr(settings, "IDENTITY_BATCH_CHECK_LIMIT", 100000))
    window = int(getattr(settings, "IDENTITY_BATCH_CHECK_WINDOW_SECONDS", 86400))
    hit(f"identity-check-batch:{actor.pk}", limit=limit, window_seconds=window, cost=count,
        message=f"批量身份核验人数已达上限：每个账户每 {max(window // 3600, 1)} 小时最多核验 {limit} 人，请稍后再试。")


def _ask(pairs: list[tuple[str, str]]) -> list[IdentityResult]:
    """The register's answers; all `unavailable` when it does not answer. Any failure of the
    register is its outage, never the caller's: logged, recorded, and the caller goes on."""
    try:
        answers = population.check_many(population.register(), pairs)
        if len(answers) != len(pairs):  # answers cannot be matched to persons: none is trusted
            raise ValueError(f"{len(answers)} answers for {len(pairs)} pairs")
        return answers
    except population.RegisterUnavailable:
        logger.warning("population register unavailable for %d check(s)", len(pairs))
    except Exception:
        logger.exception("population register failed for %d check(s)", len(pairs))
    return [IdentityResult.UNAVAILABLE] * len(pairs)


def _cached(keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """{(ID index, name index): the latest answer of the register} within the cache period.

    The period is applied here, not in SQL: with a time condition PostgreSQL may scan every check
    of the last 30 days by the time index instead of looking the persons up by their blind index
    (a person has a few answers of the register a year: one per name per cache period)."""
    since = timezone.now() - timedelta(days=cache_days())
    wanted, found, latest = set(keys), {}, {}
    id_indexes, size = sorted({k[0] for k in keys}), in_chunk()
    for start in range(0, len(id_indexes), size):
        rows = (IdentityCheck.objects
                .filter(id_number_index__in=id_indexes[start:start + size], cached=False)
                .exclude(result=IdentityResult.UNAVAILABLE).order_by()  # the latest is picked below
                .values_list("id_number_index", "name_index", "result", "checked_at", "pk"))
        for id_index, n_index, result, at, pk in rows:
            key = (id_index, n_index)
            if at >= since and key in wanted and (key not in latest or (at, pk) > latest[key]):
                latest[key], found[key] = (at, pk), result
    return found


def in_chunk() -> int:
    """How many values one `IN (...)` may hold: under SQLite's bound-parameter limit (999), else a
    whole batch chunk at once (PostgreSQL scans a small table once per query)."""
    limit = connection.features.max_query_params
    return limit - 99 if limit else 5000


def _user(actor):
    return actor if is_signed_in(actor) else None


def identity_check_record(*, actor, id_number, name, context: str, region: str = "") -> IdentityCheck:
    """Check one ID number and name; the IdentityCheck row written (its `result` and `cached`).
    Bad input: 422 naming the field. Too many checks by this actor: 429."""
    if context not in IdentityContext.values:
        raise ValueError(f"unknown identity check context {context!r}")
    if context == IdentityContext.STAFF:  # by hand; the other contexts are the system's, for its flows
        require(actor, "identity_check", "check")
    id_number, name = _cleaned(id_number, name)
    _rate_limit(actor)
    key = (blind_index(id_number), name_index(name))
    earlier = _cached([key]).get(key)
    result = earlier or _ask([(id_number, name)])[0]
    with transaction.atomic():
        check = IdentityCheck.objects.create(region=region or "", id_number=id_number, name_index=key[1],
                                             context=context, result=result, cached=earlier is not None,
                                             actor=_user(actor))
        record_event(actor=actor, event_type=ExchangeEventType.IDENTITY_CHECKED, target=check, region=region,
                     details={"context": context, "result": str(result), "cached": check.cached})
    return check


def identity_check(*, actor, id_number, name, context: str, region: str = "") -> IdentityResult:
    """The register's answer for this ID number and name (see identity_check_record)."""
    check = identity_check_record(actor=actor, id_number=id_number, name=name, context=context, region=region)
    return IdentityResult(check.result)


def identity_check_if_possible(*, actor, id_number, name, context: str, region: str = "") -> IdentityResult | None:
    """For a flow that must go on whatever the check says (a 48-hour quick report): None when
    the pair cannot be checked (no valid ID number, no name) or the actor is over the rate limit."""
    if not is_valid_id_number(id_number) or not compact_name(name) or len(compact_name(name)) > NAME_MAX:
        return None
    try:
        return identity_check(actor=actor, id_number=id_number, name=name, context=context, region=region)
    except RateLimited:
        logger.warning("identity check skipped: actor %s over the rate limit", getattr(actor, "pk", None))
        return None


def identity_check_many(*, actor, entries, context: str, region: str = "") -> list[IdentityResult]:
    """The answers for a list of valid (ID number, name) pairs (a batch import), in order.

    Set-based: cached answers in a few queries, one register call for the distinct pairs left,
    one IdentityCheck row per distinct pair written in one multi-row insert, one audit event.
    Every distinct pair (cached or not: either answer tells) counts against the actor's batch
    budget; over it, RateLimited (429) and nothing is asked or recorded."""
    if context not in IdentityContext.values:
        raise ValueError(f"unknown identity check context {context!r}")
    pairs = [(str(i).strip().upper(), compact_name(n)) for i, n in entries]
    keys = [(blind_index(i), name_index(n)) for i, n in pairs]
    distinct = {}
    for key, pair in zip(keys, pairs, strict=True):
        distinct.setdefault(key, pair)
    _batch_budget(actor, len(distinct))
    earlier = _cached(list(distinct))
    missing = [key for key in distinct if key not in earlier]
    asked = dict(zip(missing, _ask([distinct[k] for k in missing]), strict=True)) if missing else {}
    answers = {**{k: IdentityResult(v) for k, v in earlier.items()}, **asked}
    # str(): the plain value, not the enum member, reaches the database driver.
    rows = [(pair[0], *key, str(answers[key]), key in earlier) for key, pair in distinct.items()]
    if rows:
        with transaction.atomic():
            insert_rows(IdentityCheck, rows, variables=RECORD_COLUMNS, constants={
                "region": region or "", "context": context, "actor_id": getattr(_user(actor), "pk", None)})
            record_event(actor=actor, event_type=ExchangeEventType.IDENTITY_CHECKED, region=region, details={
                "context": context, "checked": len(rows), "cached": len(earlier),
                "results": dict(Counter(str(answers[k]) for k in distinct))})
    return [answers[k] for k in keys]
