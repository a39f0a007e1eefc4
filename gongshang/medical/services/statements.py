"""机构月度结算: each institution's month computed exactly once, approved by a second person,
released by a third (bank file), and its payment recorded; 扣减与追回 outside one bill.

Exactly once: the institution's row is locked (select_for_update) while its statement is computed,
the (institution, period) pair is unique, and the encounters and deductions are taken with a
conditional UPDATE (status and statement filter) whose row count must match what was read: two
computes can never both take the same row; the second answers 409 statement_already_exists.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.money import fen_str, to_fen
from gongshang.core.workflow import transition

from ..choices import EncounterStatus, EventType
from ..errors import MedicalErrorCode
from ..models import AgreementInstitution, Deduction, Encounter, InstitutionStatement
from ..rules.statements import statement_amounts

REVIEWED = (EncounterStatus.APPROVED, EncounterStatus.DEDUCTED)
CARRY_REASON = "上期扣减超过应付金额，结转至下期扣减（{period} 结算单）"
MAX_ADJUSTMENT = Decimal("100000000")


def parse_period(value, field: str = "period") -> date:
    """'YYYY-MM' (or a date) → the first day of that month; a 422 naming the field otherwise."""
    if isinstance(value, date):
        return value.replace(day=1)
    try:
        parsed = datetime.strptime(str(value or "").strip(), "%Y-%m").date()
    except ValueError:
        raise FieldErrors({field: "结算月份格式应为 YYYY-MM，如 2026-11"}) from None
    if parsed.year < 2000:
        raise FieldErrors({field: "结算月份应在 2000 年以后"})
    return parsed


def period_end(period: date) -> datetime:
    """The first instant of the next month (Asia/Shanghai): encounters settled before it belong."""
    nxt = date(period.year + (period.month == 12), period.month % 12 + 1, 1)
    return timezone.make_aware(datetime(nxt.year, nxt.month, nxt.day))


def _exists(institution, period) -> DomainError:
    return DomainError(MedicalErrorCode.STATEMENT_EXISTS,
                       f"{institution.name} {period:%Y年%m月}的结算单已生成，不能重复结算。", status=409,
                       details={"institution_id": institution.pk, "period": f"{period:%Y-%m}"})


def _nothing(institution, period) -> DomainError:
    return DomainError(MedicalErrorCode.INVALID_TRANSITION,
                       f"{institution.name} 截至{period:%Y年%m月}底没有审核完成且未结算的就诊记录，也没有待扣减款项，无需生成结算单。",
                       status=422, details={"institution_id": institution.pk, "period": f"{period:%Y-%m}"})


def _take(model, ids, statement, **filters) -> None:
    """Set `statement` on exactly these rows, only if still untaken (else roll back: 409)."""
    if not ids:
        return
    updates = {"statement": statement}
    if model is Encounter:
        updates["status"] = EncounterStatus.IN_STATEMENT
    taken = model.objects.filter(pk__in=ids, statement__isnull=True, **filters).update(**updates)
    if taken != len(ids):
        raise _exists(statement.institution, statement.period)


def _ended(period: date) -> date:
    """A month is settled once it has ended: encounters settled later in it would miss its statement."""
    if period_end(period) > timezone.now():
        raise FieldErrors({"period": f"{period.year}年{period.month}月尚未结束，月底后才能生成该月结算单"})
    return period


def statement_compute(*, actor, institution: AgreementInstitution, period) -> InstitutionStatement:
    """One institution's statement for `period`: its reviewed encounters settled before the end of
    the month and not yet in a statement, less every open deduction (carried forward when larger)."""
    from gongshang.accounts.access import require

    require(actor, "medical_statement", "compute")
    period = _ended(parse_period(period))
    end = period_end(period)
    try:
        with transaction.atomic():
            inst = AgreementInstitution.objects.select_for_update().get(pk=institution.pk)
            if InstitutionStatement.objects.filter(institution=inst, period=period).exists():
                raise _exists(inst, period)
            encounters = list(Encounter.objects.select_for_update().filter(
                institution=inst, status__in=REVIEWED, statement__isnull=True, settled_at__lt=end)
                .values_list("pk", "total", "fund_amount"))
            # A review deduction goes with its encounter's statement (a bill settled next month is
            # not paid this month, so its deduction is not withheld this month either); 追回 and
            # carried deductions (no encounter) go with the next statement.
            deductions = list(Deduction.objects.select_for_update().filter(
                Q(encounter__isnull=True) | Q(encounter_id__in=[e[0] for e in encounters]),
                institution=inst, statement__isnull=True).values_list("pk", "amount"))
            if not encounters and not deductions:
                raise _nothing(inst, period)
            amounts = statement_amounts(sum((e[2] for e in encounters), Decimal(0)),
                                        sum((d[1] for d in deductions), Decimal(0)))
            statement = InstitutionStatement.objects.create(
                institution=inst, region=inst.region, period=period, encounter_count=len(encounters),
                total=sum((e[1] for e in encounters), Decimal(0)), fund_amount=amounts.fund,
                deducted_amount=amounts.applied, payable=amounts.payable, created_by=actor)
            _take(Encounter, [e[0] for e in encounters], statement, status__in=REVIEWED)
            _take(Deduction, [d[0] for d in deductions], statement)
            if amounts.carried:
                Deduction.objects.create(institution=inst, region=inst.region, amount=amounts.carried,
                                         reason=CARRY_REASON.format(period=f"{period:%Y-%m}"), created_by=actor)
            record_event(actor=actor, event_type=EventType.STATEMENT_COMPUTED, target=statement, region=inst.region,
                         details={"period": f"{period:%Y-%m}", "encounters": [e[0] for e in encounters],
                                  "deductions": [d[0] for d in deductions], "fund": fen_str(amounts.fund),
                                  "deducted": fen_str(amounts.applied), "payable": fen_str(amounts.payable),
                                  "carried": fen_str(amounts.carried),
                                  "encounter_status": {"from": "approved|deducted", "to": "in_statement",
                                                       "by": "platform"}})
    except IntegrityError:  # the unique (institution, period) of a concurrent compute that won
        raise _exists(institution, period) from None
    return statement


def statement_compute_all(*, actor, period) -> dict:
    """生成本月结算单 for every institution of the actor's region: {"created": [...], "skipped": [...]}."""
    from gongshang.accounts.access import restrict

    period = _ended(parse_period(period))
    created, skipped = [], []
    for inst in restrict(actor, AgreementInstitution, "view").order_by("code"):
        try:
            created.append(statement_compute(actor=actor, institution=inst, period=period))
        except DomainError as exc:
            skipped.append({"institution": inst.name, "reason": exc.message})
    return {"created": created, "skipped": skipped}


def statement_approve(*, actor, statement: InstitutionStatement) -> InstitutionStatement:
    return transition(actor, statement, "approve", event_type=EventType.STATEMENT_APPROVED,
                      code=MedicalErrorCode.INVALID_TRANSITION,
                      changes={"approved_by": actor, "approved_at": timezone.now()})


def statement_release(*, actor, statement: InstitutionStatement) -> InstitutionStatement:
    return transition(actor, statement, "release", event_type=EventType.STATEMENT_RELEASED,
                      code=MedicalErrorCode.INVALID_TRANSITION, details={"payable": fen_str(statement.payable)},
                      changes={"released_by": actor, "released_at": timezone.now()})


def statement_record_paid(*, actor, statement: InstitutionStatement) -> InstitutionStatement:
    return transition(actor, statement, "record_paid", code=MedicalErrorCode.INVALID_TRANSITION,
                      changes={"paid_at": timezone.now()})


def adjustment_create(*, actor, institution: AgreementInstitution, amount, reason: str) -> Deduction:
    """追回 (or a deduction outside one bill): an open deduction the institution's next statement takes."""
    from gongshang.accounts.access import require

    require(actor, "medical_statement", "adjust")
    errors = {}
    try:
        amount = to_fen(amount)
    except (TypeError, ValueError):
        errors["amount"] = "金额应为数字，单位元，最多两位小数，如 1200.00"
    else:
        if amount <= 0 or amount > MAX_ADJUSTMENT:
            errors["amount"] = "追回金额应大于 0 且小于 1 亿元"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写追回原因（如现场稽核发现的问题和依据）"
    elif len(reason) > 500:
        errors["reason"] = "追回原因不能超过 500 字"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        deduction = Deduction.objects.create(institution=institution, region=institution.region, amount=amount,
                                             reason=reason, created_by=actor)
        record_event(actor=actor, event_type=EventType.ADJUSTMENT_RECORDED, target=deduction,
                     region=institution.region, details={"amount": fen_str(amount), "reason": reason,
                                                         "institution_id": institution.pk})
    return deduction


def open_deductions(institution) -> Decimal:
    return Deduction.objects.filter(institution=institution, statement__isnull=True).aggregate(
        s=Sum("amount"))["s"] or Decimal(0)
