"""Entering and correcting 待遇参数. Rows are never rewritten: a new value closes the previous
open period; a correction supersedes a row with a new one."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from gongshang.accounts.access import check, require
from gongshang.accounts.validation import collect
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, Forbidden
from gongshang.core.money import to_fen
from gongshang.core.workflow import transition

from ..choices import NATIONAL_REGION, TABLE_KINDS, EventType, ParameterKind, ParameterStatus
from ..errors import BenefitsErrorCode
from ..models import Parameter
from ..permissions import PARAMETER_REFUSAL, may_edit_parameters_of

GRADES = range(5, 11)
LIMITS = {ParameterKind.PAYMENT_DAY: (1, 28), ParameterKind.OCCUPATIONAL_DISEASE_BONUS: (0, 100)}


def clean_table(table) -> dict:
    """{"5": months, …, "10": months}; months non-negative, at most 2 decimals."""
    if not isinstance(table, dict):
        raise ValueError("请按五至十级分别填写月数")
    cleaned = {}
    for grade in GRADES:
        raw = table.get(str(grade), table.get(grade))
        if raw in (None, ""):
            raise ValueError(f"请填写{grade}级伤残的月数")
        months = Decimal(str(raw))
        if months < 0 or months > 120:
            raise ValueError(f"{grade}级伤残的月数应在 0～120 之间")
        # kept as text in JSON when fractional: a float would not round-trip to the same Decimal
        cleaned[str(grade)] = int(months) if months == months.to_integral() else str(months)
    return cleaned


def _validate(*, region, kind, value, table, valid_from, data_year, source):
    with collect() as errors:
        if kind not in ParameterKind.values:
            errors["kind"] = "参数类别不正确"
        if not (isinstance(region, str) and len(region) == 6 and region.isascii() and region.isdigit()):
            errors["region"] = "统筹区应为 6 位行政区划代码"
        if kind == ParameterKind.NATIONAL_INCOME and region != NATIONAL_REGION:
            errors["region"] = "全国城镇居民人均可支配收入是全国参数（000000）"
        if kind in TABLE_KINDS:
            try:
                table = clean_table(table)
            except (ValueError, ArithmeticError) as exc:
                errors["table"] = str(exc)
        elif value is None or not Decimal(str(value)).is_finite() or value <= 0:
            errors["value"] = "请填写大于 0 的数值"
        elif kind in LIMITS and not LIMITS[kind][0] <= value <= LIMITS[kind][1]:
            errors["value"] = f"应在 {LIMITS[kind][0]}～{LIMITS[kind][1]} 之间"
        if kind == ParameterKind.NATIONAL_INCOME and not data_year:
            errors["data_year"] = "请填写统计年度"
        if valid_from is None:
            errors["valid_from"] = "请填写生效日期"
        if not (source or "").strip():
            errors["source"] = "请填写依据文件（文号或通知名称）"
    return table


def _slot(*, region: str, kind: str, valid_from, data_year) -> date | None:
    """Check that `valid_from` opens a free period and return where it ends (None: open-ended);
    close the open period it follows."""
    current = Parameter.objects.select_for_update().filter(region=region, kind=kind, status=ParameterStatus.ACTIVE)
    covering = (current.filter(valid_from__lte=valid_from)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)).order_by("-valid_from").first())
    if (covering is not None and (covering.valid_from == valid_from or covering.valid_to is not None)) or (
            data_year and current.filter(data_year=data_year).exists()):
        raise DomainError(BenefitsErrorCode.PARAMETER_OVERLAP, status=409, details={
            "valid_from": str(valid_from), "existing": covering.pk if covering else None})
    if covering is not None:
        current.filter(pk=covering.pk).update(valid_to=valid_from - timedelta(days=1))
    later = current.filter(valid_from__gt=valid_from).order_by("valid_from").first()
    return later.valid_from - timedelta(days=1) if later else None


@transaction.atomic
def parameter_add(*, actor, region: str, kind: str, valid_from, value=None, table=None, data_year=None,
                  source: str, note: str = "", is_demo: bool = False) -> Parameter:
    """A value in force from `valid_from`: a new year's closes the open period before it (ending
    the day before); an earlier year's (e.g. 2024 entered after 2025) fills the gap before the
    first later value and ends the day before it. Periods never overlap: a date inside an
    existing closed period is refused (correct that row instead)."""
    table = _validate(region=region, kind=kind, value=value, table=table, valid_from=valid_from,
                      data_year=data_year, source=source)
    if actor is not None:  # None: the platform itself (demo and initial figures)
        require(actor, "parameter", "add")
        if not may_edit_parameters_of(actor, region):  # the row does not exist yet: Parameter.access's rule
            raise Forbidden(PARAMETER_REFUSAL)
    valid_to = _slot(region=region, kind=kind, valid_from=valid_from, data_year=data_year)
    row = Parameter.objects.create(
        region=region, kind=kind, value=None if kind in TABLE_KINDS else to_fen(value),
        table=table if kind in TABLE_KINDS else {}, valid_from=valid_from, valid_to=valid_to, data_year=data_year,
        source=source.strip(), note=note, is_demo=is_demo, created_by=actor if getattr(actor, "pk", None) else None)
    record_event(actor=actor, event_type=EventType.PARAMETER_ADDED, target=row, region=region,
                 details={"kind": kind, "value": row.display_value, "valid_from": str(valid_from)})
    return row


@transaction.atomic
def parameter_correct(*, actor, parameter: Parameter, value=None, table=None, source: str, note: str) -> Parameter:
    """Correct a mistaken value: same period, new row; the old one is kept as superseded (the
    Parameter table: active → superseded; Parameter.access: who may correct that 统筹区's row)."""
    old = Parameter.objects.select_for_update().get(pk=parameter.pk)
    if not old.workflow.can("correct", old.status):
        raise DomainError(BenefitsErrorCode.INVALID_TRANSITION, "该参数已被更正，请更正最新的记录。", status=409)
    check(actor, old, "correct")
    table = _validate(region=old.region, kind=old.kind, value=value, table=table, valid_from=old.valid_from,
                      data_year=old.data_year, source=source)
    with collect() as errors:
        if not (note or "").strip():
            errors["note"] = "请说明更正原因"
    row = Parameter.objects.create(
        region=old.region, kind=old.kind, value=None if old.kind in TABLE_KINDS else to_fen(value),
        table=table if old.kind in TABLE_KINDS else {}, valid_from=old.valid_from, valid_to=old.valid_to,
        data_year=old.data_year, source=source.strip(), note=note.strip(), supersedes=old, created_by=actor)
    transition(actor, old, "correct", event_type=EventType.PARAMETER_CORRECTED,
               message="该参数已被更正，请更正最新的记录。",
               details={"kind": old.kind, "old": old.display_value, "new": row.display_value,
                        "reason": note.strip(), "correction": row.pk})
    return row
