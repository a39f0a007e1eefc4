"""月度发放: compute a month's payments set-based and resumably, approve, release (two people)."""

import logging
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors

from .. import selectors
from ..choices import EventType, PaymentStatus, RunStatus
from ..errors import BenefitsErrorCode
from ..models import Entitlement, EntitlementAmountChange, Payment, PayrollRun
from ..permissions import require_reviewer, require_second_person
from ..rules.leave import add_months
from . import payroll_sql

logger = logging.getLogger(__name__)
CHUNK = 100_000  # entitlements per committed step; a crash loses at most one step's work
INLINE_LIMIT = 50_000  # about 2 s of SQL on PostgreSQL; more goes to the task queue
RUN_TRANSITIONS = {RunStatus.COMPUTED: RunStatus.APPROVED, RunStatus.APPROVED: RunStatus.RELEASED,
                   RunStatus.RELEASED: RunStatus.RECONCILED}


def parse_period(value) -> date:
    try:
        return datetime.strptime(str(value), "%Y-%m").date()
    except ValueError:
        raise FieldErrors({"period": "发放月份格式应为 YYYY-MM，例如 2026-11"}) from None


def run_create(*, actor, period, request=None, chunk: int = CHUNK, background: bool | None = None) -> PayrollRun:
    """Start (or resume) the run of the actor's 统筹区 for `period` and compute it: inline for up
    to INLINE_LIMIT entitlement ids, else in a background task (status stays 计算中 until done)."""
    require_reviewer(actor)
    month = parse_period(period) if not isinstance(period, date) else period.replace(day=1)
    if month > add_months(timezone.localdate().replace(day=1), 1):
        raise FieldErrors({"period": "只能生成本月或下月的发放"})
    region = actor.jurisdiction
    run = PayrollRun.objects.filter(region=region, period=month).first()
    if run is None:
        ids = Entitlement.objects.filter(region=region).aggregate(lo=Min("id"), hi=Max("id"))
        try:
            with transaction.atomic():
                run = PayrollRun.objects.create(region=region, period=month, created_by=actor,
                                                cursor=(ids["lo"] or 1) - 1, max_entitlement=ids["hi"] or 0)
        except IntegrityError:
            run = PayrollRun.objects.get(region=region, period=month)
    if run.status != RunStatus.COMPUTING:
        raise DomainError(BenefitsErrorCode.RUN_EXISTS, status=409, details={"id": run.pk, "status": run.status})
    if background is None:
        background = run.max_entitlement - run.cursor > INLINE_LIMIT
    if background and enqueue(run.pk):
        return run
    return run_compute(run=run, actor=actor, request=request, chunk=chunk)


def enqueue(run_id: int) -> bool:
    """Hand the computation to the task queue; False (computed inline instead) if that fails."""
    from ..tasks import compute_payroll_run

    try:
        compute_payroll_run.enqueue(run_id)
    except Exception:
        logger.exception("payroll run #%s: enqueue failed; computing inline", run_id)
        return False
    return True


def _previous_start(run: PayrollRun):
    previous = (PayrollRun.objects.filter(region=run.region, period__lt=run.period).order_by("-period").first())
    return previous.created_at if previous else datetime(1970, 1, 1, tzinfo=timezone.get_current_timezone())


def _arrears_months(run: PayrollRun, since) -> list[date]:
    first = (Entitlement.objects.filter(region=run.region, approved_at__gte=since, period_kind="monthly",
                                        start_month__lt=run.period).order_by("start_month")
             .values_list("start_month", flat=True).first())
    months = []
    while first is not None and first < run.period:
        months.append(first)
        first = add_months(first, 1)
    return months


def _finish(run: PayrollRun) -> None:
    """Arrears, then failed payments of earlier runs re-issued here (same row: still once per month)."""
    with transaction.atomic():
        locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != RunStatus.COMPUTING:
            return
        since = _previous_start(locked)
        payroll_sql.insert_arrears(run_id=locked.pk, region=locked.region, months=_arrears_months(locked, since),
                                   approved_since=since)
        for payment in Payment.objects.filter(region=locked.region, status=PaymentStatus.FAILED).exclude(run=locked):
            payment.run, payment.status, payment.attempts = locked, PaymentStatus.PENDING, payment.attempts + 1
            payment.failure_reason = f"重发（上次失败：{payment.failure_reason}）"[:200]
            payment.save(update_fields=["run", "status", "attempts", "failure_reason"])
        locked.status, locked.computed_at = RunStatus.COMPUTED, timezone.now()
        locked.save(update_fields=["status", "computed_at"])


def run_compute(*, run: PayrollRun, actor=None, request=None, chunk: int = CHUNK) -> PayrollRun:
    """Compute in id ranges; each range commits its payments and the cursor together, so a run
    interrupted at any point is started again from its cursor with no duplicate and no gap."""
    adjusted = EntitlementAmountChange.objects.filter(entitlement__region=run.region,
                                                      effective_month__gt=run.period).exists()
    while True:
        with transaction.atomic():
            # The row lock serialises two people resuming the same run at once.
            locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
            if locked.status != RunStatus.COMPUTING or locked.cursor >= locked.max_entitlement:
                break
            upper = min(locked.cursor + chunk, locked.max_entitlement)
            args = {"run_id": run.pk, "region": run.region, "period": run.period, "lo": locked.cursor, "hi": upper}
            payroll_sql.insert_monthly(**args, adjusted=adjusted)
            payroll_sql.insert_once(**args)
            PayrollRun.objects.filter(pk=run.pk).update(cursor=upper)
    _finish(run)
    run.refresh_from_db()
    record_event(actor=actor, event_type=EventType.RUN_COMPUTED, target=run, request=request, region=run.region,
                 details={"period": f"{run.period:%Y-%m}", **{k: str(v) for k, v in run_totals(run)["all"].items()}})
    return run


def run_totals(run: PayrollRun) -> dict:
    """Totals by benefit type and payer, and by payment status."""
    rows = Payment.objects.filter(run=run)
    by_type = [{"benefit_type": r["benefit_type"], "payer": r["payer"], "count": r["n"], "amount": r["s"]}
               for r in rows.values("benefit_type", "payer").annotate(n=Count("id"), s=Sum("amount"))
               .order_by("benefit_type", "payer")]
    by_status = {r["status"]: {"count": r["n"], "amount": r["s"]}
                 for r in rows.values("status").annotate(n=Count("id"), s=Sum("amount")).order_by()}
    total = rows.aggregate(count=Count("id"), amount=Sum("amount"))
    return {"by_type": by_type, "by_status": by_status, "all": {"count": total["count"], "amount": total["amount"] or 0}}


def _step(*, actor, run_id: int, to: str, event: str, request=None) -> PayrollRun:
    require_reviewer(actor)
    run = selectors.run_access(actor=actor, run_id=run_id)
    with transaction.atomic():
        locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
        if RUN_TRANSITIONS.get(locked.status) != to:
            raise DomainError(BenefitsErrorCode.INVALID_TRANSITION, status=409,
                              details={"from": locked.status, "to": str(to)})
        if to == RunStatus.APPROVED:
            require_second_person(actor, locked.created_by)
            locked.approved_by, locked.approved_at = actor, timezone.now()
        if to == RunStatus.RELEASED:
            require_second_person(actor, locked.approved_by)
            locked.released_by, locked.released_at = actor, timezone.now()
            Payment.objects.filter(run=locked, status=PaymentStatus.PENDING).update(status=PaymentStatus.SENT)
        locked.status = to
        locked.save()
        record_event(actor=actor, event_type=event, target=locked, request=request, region=locked.region,
                     details={"period": f"{locked.period:%Y-%m}"})
    return locked


def run_approve(*, actor, run_id: int, request=None) -> PayrollRun:
    """复核: someone other than the one who computed it."""
    return _step(actor=actor, run_id=run_id, to=RunStatus.APPROVED, event=EventType.RUN_APPROVED, request=request)


def run_release(*, actor, run_id: int, request=None) -> PayrollRun:
    """发放 (报盘): someone other than the approver; payments become 已报盘."""
    return _step(actor=actor, run_id=run_id, to=RunStatus.RELEASED, event=EventType.RUN_RELEASED, request=request)
