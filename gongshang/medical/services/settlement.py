"""出院直接结算 (issue item 4 settle): an agreement institution settles an open encounter; the pure
rules (rules/settle.py) decide each line's fund share; the lines, flags and totals are written in
one transaction and the status moves open → settled through core.workflow.transition.

Settling an encounter that is already settled answers its stored result (idempotent: a hospital
that retries after a timeout gets the same figures, never a 409). The inputs are loaded with a
fixed number of queries whatever the number of lines (no per-line query): the lines, the
catalogue versions of every billed and ordered code (one query), the earlier stays of the case,
the regional setting, the recognition.

Stored flags: one LineFlag per line and rule (the money is on these rows, source "settle"); an
encounter-level finding (挂床住院, 非工伤治疗, 分解住院) is also stored once with no line as the
summary the reviewer reads (its amount repeats the lines' sum; never add it to them)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gongshang.accounts.access import get_for
from gongshang.core.workflow import transition

from ..choices import CatalogueKind, EncounterKind, EncounterStatus, EventType
from ..errors import MedicalErrorCode
from ..models import BillLine, CatalogueItem, Encounter, LineFlag
from ..rules.audit import RULE_SOURCES
from ..rules.audit.common import local_date
from ..rules.audit.inputs import BillLineIn, CatalogueEntry, EncounterIn, Flag, Injury, Params, PreviousStay
from ..rules.settle import LineResult, SettleResult, settle
from ..selectors.institutions import setting_for
from .institutions import institution_settleable

SOURCE_SETTLE = "settle"
PROVINCE_KINDS = (CatalogueKind.REHABILITATION, CatalogueKind.DEVICE)
REASON_MAX = 500
STEP = 500


# --- loading the inputs ---------------------------------------------------------------------------------

def _catalogue_for(codes, on: tuple[date, date], region: str) -> dict[str, list[CatalogueEntry]]:
    """Every version of `codes` that may be valid between the two days, national (region "") and
    the 统筹区's own, in ONE query; rules.audit.common.entry_on picks the line day's version
    (the regional row wins). Rehabilitation items and devices follow the province's catalogue
    only (济宁's 省内异地就医直接结算: 待遇 by the place of treatment, 康复项目和辅助器具目录按全省)."""
    first, last = on
    rows = (CatalogueItem.objects
            .filter(code__in=set(codes), region__in=(region, ""), valid_from__lte=last)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
            .exclude(~Q(region="") & Q(kind__in=PROVINCE_KINDS))
            .values_list("code", "kind", "price_cap", "price_class", "frequency_limit", "frequency_days",
                         "work_injury_only", "valid_from", "valid_to", "region", "name"))
    result: dict[str, list[CatalogueEntry]] = {}
    for code, kind, cap, cls, limit, days, only, vf, vt, row_region, name in rows:
        result.setdefault(code, []).append(CatalogueEntry(
            code=code, kind=kind, price_cap=cap, price_class=cls, frequency_limit=limit, frequency_days=days or 1,
            work_injury_only=only, valid_from=vf, valid_to=vt, regional=bool(row_region), name=name))
    return result


def _params(region: str, on: date) -> Params:
    row = setting_for(region, on)
    return Params(readmission_days=row.readmission_days, idle_stay_hours=row.idle_stay_hours)


def _injury(case) -> Injury:
    """The recognised injury: the case's body part, and the body part and diagnosis of its latest
    recognition decided as 工伤 or 视同工伤 (the recognition records no ICD-10 codes)."""
    from gongshang.recognition.models import RecognitionApplication

    decided = (RecognitionApplication.objects.filter(case=case, decision_result__in=("recognized", "deemed"))
               .order_by("-decided_on", "-pk").values_list("body_part", "diagnosis").first())
    body_part, diagnosis = decided or ("", "")
    parts = "、".join(p for p in dict.fromkeys((body_part or "", case.body_part or "")) if p)
    return Injury(body_part=parts, diagnosis=diagnosis or "")


def _previous_stays(encounter) -> list[PreviousStay]:
    rows = (Encounter.objects.filter(case_id=encounter.case_id, kind=EncounterKind.INPATIENT,
                                     discharged_at__isnull=False, discharged_at__lte=encounter.admitted_at)
            .exclude(pk=encounter.pk).values_list("main_diagnosis_code", "discharged_at"))
    return [PreviousStay(main_diagnosis_code=code, discharged_at=at) for code, at in rows]


def is_cross_province(encounter) -> bool:
    """Treated under a 异地就医备案 in another province (the first 2 digits of GB/T 2260)."""
    return bool(encounter.remote_registration_id and encounter.treatment_region
                and encounter.treatment_region[:2] != encounter.region[:2])


def encounter_input(encounter) -> EncounterIn:
    diagnoses = tuple((str(d.get("code", "")), str(d.get("name", ""))) for d in encounter.diagnoses or ()
                      if isinstance(d, dict))
    return EncounterIn(kind=encounter.kind, admitted_at=encounter.admitted_at, discharged_at=encounter.discharged_at,
                       main_diagnosis_code=encounter.main_diagnosis_code or (diagnoses[0][0] if diagnoses else ""),
                       diagnoses=diagnoses, cross_province=is_cross_province(encounter))


LINE_FIELDS = ("pk", "line_no", "catalogue_code", "name", "category", "quantity", "unit_price", "amount",
               "occurred_at", "order_no", "ordered_code")


def _lines_of(encounter) -> tuple[list[int], list[BillLineIn]]:
    """The encounter's lines as rule inputs (tuples, not model instances: 2,000 lines in ~10 ms)."""
    ids, lines = [], []
    for pk, *values in BillLine.objects.filter(encounter=encounter).order_by("line_no").values_list(*LINE_FIELDS):
        ids.append(pk)
        lines.append(BillLineIn(*values))
    return ids, lines


def compute(encounter, lines: list[BillLineIn]) -> SettleResult:
    """Run the rules over the encounter's lines (reads only; the caller writes)."""
    days = [local_date(line.occurred_at) for line in lines] or [local_date(encounter.admitted_at)]
    codes = {line.catalogue_code for line in lines} | {line.ordered_code for line in lines if line.ordered_code}
    region = encounter.treatment_region or encounter.region     # 异地就医: the place of treatment's caps
    catalogue = _catalogue_for(codes, (min(days), max(days)), region)
    return settle(lines, catalogue, encounter_input(encounter), _previous_stays(encounter),
                  _params(encounter.region, local_date(encounter.admitted_at)), _injury(encounter.case))


# --- the service ------------------------------------------------------------------------------------------

def encounter_settle(*, actor, encounter) -> SettleResult:
    """Settle `encounter` for `actor` (the institution's API account). 403 without an agreement in
    force today; an encounter already settled answers its stored result. Out of the actor's
    scope: 404 (another institution's encounter), whatever the caller loaded."""
    get_for(actor, Encounter, encounter.pk, "settle")
    with transaction.atomic():
        locked = Encounter.objects.select_for_update().select_related("institution", "case").get(pk=encounter.pk)
        if locked.status != EncounterStatus.OPEN and locked.settled_at is not None:
            return settlement_result(locked)
        today = timezone.localdate()
        institution_settleable(locked.institution, today)  # 403 naming why (suspended, terminated, period)
        ids, lines = _lines_of(locked)
        result = compute(locked, lines)
        _write(locked, ids, result)
        transition(actor, locked, "settle", event_type=EventType.ENCOUNTER_SETTLED,
                   code=MedicalErrorCode.INVALID_TRANSITION,
                   changes={"total": result.total, "fund_amount": result.fund_amount,
                            "self_amount": result.self_amount, "flagged": result.flagged,
                            "settled_at": timezone.now()},
                   details={"total": str(result.total), "fund_amount": str(result.fund_amount),
                            "self_amount": str(result.self_amount), "lines": len(ids),
                            "flags": sorted({f.rule for r in result.lines for f in r.flags}
                                            | {f.rule for f in result.encounter_flags})})
    encounter.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return result


def _write(encounter, ids: list[int], result: SettleResult) -> None:
    # result.lines and ids are both in line_no order
    flags, withheld = [], []
    for pk, found in zip(ids, result.lines, strict=True):
        flags += [_flag_row(encounter, pk, flag) for flag in found.flags]
        if found.self_amount:
            withheld.append((pk, found.fund_amount, found.self_amount))
    flags += [_flag_row(encounter, None, flag) for flag in result.encounter_flags]
    _write_amounts(encounter, withheld)
    # a settlement after the institution answered a query replaces its own earlier flags only
    LineFlag.objects.filter(encounter=encounter, source=SOURCE_SETTLE).delete()
    LineFlag.objects.bulk_create(flags, batch_size=1000)


def _write_amounts(encounter, withheld: list[tuple]) -> None:
    """Every line paid in full by one UPDATE (rows already so are left alone), then the lines with a
    withheld part by UPDATE … FROM (VALUES …) in steps of 500 (bulk_update's CASE per row is
    quadratic: seconds for 2,000 lines). VALUES columns are column1.. on SQLite and PostgreSQL."""
    table = BillLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET fund_amount = amount, self_amount = 0 "  # noqa: S608 — table from metadata
                       "WHERE encounter_id = %s AND (fund_amount <> amount OR self_amount <> 0)", [encounter.pk])
        for start in range(0, len(withheld), STEP):
            chunk = withheld[start:start + STEP]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET fund_amount = v.column2, self_amount = v.column3 "  # noqa: S608
                f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
                [value for row in chunk for value in row])


def _flag_row(encounter, line_id, flag: Flag) -> LineFlag:
    return LineFlag(encounter=encounter, line_id=line_id, rule=flag.rule, reason=flag.reason[:REASON_MAX],
                    amount=flag.amount, source=SOURCE_SETTLE)


def settlement_result(encounter) -> SettleResult:
    """The stored settlement of `encounter` read back (lines and the settle flags, two queries)."""
    lines = list(BillLine.objects.filter(encounter=encounter).order_by("line_no")
                 .values_list("pk", "line_no", "amount", "fund_amount", "self_amount"))
    per_line: dict[int, list[Flag]] = {pk: [] for pk, *_ in lines}
    encounter_flags = []
    for line_id, rule, reason, amount in (LineFlag.objects.filter(encounter=encounter, source=SOURCE_SETTLE)
                                          .order_by("pk").values_list("line_id", "rule", "reason", "amount")):
        flag = Flag(rule=rule, reason=reason, amount=amount, source=RULE_SOURCES.get(rule, ""))
        if line_id is None:
            encounter_flags.append(flag)
        else:
            per_line.setdefault(line_id, []).append(flag)
    results = []
    for pk, no, amount, fund, self_amount in lines:
        flags = tuple(Flag(rule=f.rule, reason=f.reason, amount=f.amount, source=f.source, line_nos=(no,))
                      for f in per_line[pk])
        results.append(LineResult(line_no=no, amount=amount, fund_amount=fund, self_amount=self_amount, flags=flags))
    total = sum((r.amount for r in results), Decimal("0.00"))
    fund = sum((r.fund_amount for r in results), Decimal("0.00"))
    return SettleResult(total=total, fund_amount=fund, self_amount=total - fund, lines=results,
                        encounter_flags=encounter_flags)
