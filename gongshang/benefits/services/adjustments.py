"""待遇调整: propose (with a preview of every affected entitlement), a second reviewer approves,
the new amounts apply from the effective month; the old ones stay in EntitlementAmountChange so
payroll for earlier months keeps using them."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.core.audit import record_event
from gongshang.core.errors import FieldErrors
from gongshang.core.workflow import transition

from .. import selectors
from ..choices import MONTHLY_TYPES, BenefitType, EntitlementStatus, EventType
from ..models import Adjustment, Entitlement, EntitlementAmountChange, PayrollRun
from ..rules.adjustment import adjusted_amount
from ..rules.death import cap_to_wage
from ..rules.items import RuleError

BATCH = 2000


def affected(*, region: str, benefit_type: str, effective_month: date):
    """Monthly entitlements of the type still to be paid on or after the effective month —
    including those still awaiting approval (待审核) and those starting later: their amounts were
    computed before the adjustment, so they are raised too (from the effective month)."""
    return (Entitlement.objects.filter(region=region, benefit_type=benefit_type, period_kind="monthly",
                                       status__in=[EntitlementStatus.PENDING, EntitlementStatus.ACTIVE,
                                                   EntitlementStatus.SUSPENDED])
            .exclude(end_month__lt=effective_month).order_by("pk"))


def _check(*, region, benefit_type, method, value, effective_month) -> None:
    errors = {}
    if benefit_type not in MONTHLY_TYPES:
        errors["benefit_type"] = "只能调整按月支付的待遇（伤残津贴、生活护理费、供养亲属抚恤金等）"
    if effective_month is None:
        errors["effective_month"] = "请填写执行月份"
    else:
        last = PayrollRun.objects.filter(region=region).order_by("-period").first()
        if last and effective_month <= last.period:
            errors["effective_month"] = f"{last.period:%Y-%m} 的发放已生成，执行月份须在其后"
    try:
        adjusted_amount(Decimal("1000"), method, value if value is not None else Decimal("0"))
    except RuleError as exc:
        errors[exc.field] = exc.message
    if value is None:
        errors["value"] = "请填写调整比例或金额"
    if errors:
        raise FieldErrors(errors)


def adjustment_preview(*, actor, benefit_type: str, method: str, value, effective_month, limit: int = 500) -> dict:
    require(actor, "adjustment", "propose")
    region = actor.jurisdiction
    effective_month = effective_month.replace(day=1) if effective_month else None
    _check(region=region, benefit_type=benefit_type, method=method, value=value, effective_month=effective_month)
    rows = affected(region=region, benefit_type=benefit_type, effective_month=effective_month)
    sample = [{"entitlement": e, "old": e.amount, "new": adjusted_amount(e.amount, method, value)} for e in rows[:limit]]
    return {"count": rows.count(), "rows": sample,
            "increase": sum((r["new"] - r["old"] for r in sample), Decimal(0))}


@transaction.atomic
def adjustment_propose(*, actor, benefit_type: str, method: str, value, effective_month, source: str) -> Adjustment:
    preview = adjustment_preview(actor=actor, benefit_type=benefit_type, method=method, value=value,
                                 effective_month=effective_month, limit=0)
    if not (source or "").strip():
        raise FieldErrors({"source": "请填写调整依据文件"})
    row = Adjustment.objects.create(region=actor.jurisdiction, benefit_type=benefit_type, method=method, value=value,
                                    effective_month=effective_month.replace(day=1), source=source.strip(),
                                    affected=preview["count"], created_by=actor)
    record_event(actor=actor, event_type=EventType.ADJUSTMENT_PROPOSED, target=row, region=row.region,
                  details={"benefit_type": benefit_type, "method": method, "value": str(value),
                                             "affected": preview["count"]})
    return row


def _apply(adjustment: Adjustment) -> int:
    """Exact half-up rounding per entitlement (SQLite has no exact decimal arithmetic), in batches."""
    rows = affected(region=adjustment.region, benefit_type=adjustment.benefit_type,
                    effective_month=adjustment.effective_month).select_for_update()
    count, batch, changes = 0, [], []
    for e in rows.iterator(chunk_size=BATCH):
        new = adjusted_amount(e.amount, adjustment.method, adjustment.value)
        changes.append(EntitlementAmountChange(entitlement=e, adjustment=adjustment, old_amount=e.amount,
                                               new_amount=new, effective_month=adjustment.effective_month))
        e.amount = new
        batch.append(e)
        if len(batch) >= BATCH:
            count += _flush(batch, changes)
    return count + _flush(batch, changes)


def _recap_dependants(adjustment: Adjustment) -> int:
    """第三十九条: after the raise, a case whose dependants' pensions exceed the worker's wage has
    them reduced in proportion again; the adjustment's change rows record the capped amounts."""
    if adjustment.benefit_type != BenefitType.DEPENDANT_PENSION:
        return 0
    rows = affected(region=adjustment.region, benefit_type=adjustment.benefit_type,
                    effective_month=adjustment.effective_month)
    # The cap is the one used when the pensions were computed (the actual wage, pension_cap), not the
    # 本人工资 raised to 60 % of the average; rows from before it was stored fall back to 本人工资.
    over = (rows.order_by().values("case_id")
            .annotate(total=Sum("amount"), wage=Max(Coalesce("pension_cap", "own_wage")))
            .filter(wage__isnull=False, total__gt=F("wage")).values_list("case_id", "wage"))
    capped = 0
    for case_id, wage in over:
        pensions = list(rows.filter(case_id=case_id).select_for_update())
        for e, amount in zip(pensions, cap_to_wage(wage, [p.amount for p in pensions]), strict=True):
            if amount != e.amount:
                Entitlement.objects.filter(pk=e.pk).update(amount=amount)
                EntitlementAmountChange.objects.filter(entitlement=e, adjustment=adjustment).update(new_amount=amount)
                capped += 1
    return capped


def _flush(batch, changes) -> int:
    Entitlement.objects.bulk_update(batch, ["amount"])
    EntitlementAmountChange.objects.bulk_create(changes)
    n = len(batch)
    batch.clear()
    changes.clear()
    return n


@transaction.atomic
def adjustment_decide(*, actor, adjustment_id: int, approve: bool) -> Adjustment:
    """A second 待遇审核员 (Adjustment.access refuses the proposer, 403) approves — the new amounts
    apply at once — or returns it. The row is locked by the helper before anything is applied."""
    action = "approve" if approve else "reject"
    row = selectors.adjustment_get(actor=actor, adjustment_id=adjustment_id, action=action)
    if not approve:
        return transition(actor, row, action, event_type=EventType.ADJUSTMENT_REJECTED,
                          changes={"approved_by": actor, "decided_at": timezone.now()},
                          details={"affected": row.affected})
    # Lock and check the status first (409 on a stale one), then apply, then record with the counts.
    locked = Adjustment.objects.select_for_update().get(pk=row.pk)
    if not Adjustment.workflow.can(action, locked.status):
        return transition(actor, locked, action)  # raises the one 409
    _check(region=locked.region, benefit_type=locked.benefit_type, method=locked.method, value=locked.value,
           effective_month=locked.effective_month)
    details = {"affected": _apply(locked), "capped": _recap_dependants(locked)}
    return transition(actor, locked, action, event_type=EventType.ADJUSTMENT_APPROVED, details=details,
                      changes={"approved_by": actor, "decided_at": timezone.now(), "affected": details["affected"]})
