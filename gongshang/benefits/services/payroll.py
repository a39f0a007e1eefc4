"""月度发放: compute a month's payments set-based and resumably, approve, release (two people)."""

import logging
import re
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Max, Min, Sum, Value, When
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.money import to_fen
from gongshang.core.workflow import transition

from .. import selectors
from ..choices import EventType, PaymentStatus
from ..errors import BenefitsErrorCode
from ..models import Entitlement, EntitlementAmountChange, Parameter, Payment, PayrollRun
from ..rules.leave import add_months
from ..rules.workflows import PAYMENT_WORKFLOW, PAYROLL_RUN_WORKFLOW
from . import payroll_sql, run_deadline

logger = logging.getLogger(__name__)
CHUNK = 100_000  # entitlements per committed step; a crash loses at most one step's work
INLINE_LIMIT = 50_000  # about 2 s of SQL on PostgreSQL; more goes to the task queue


PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(value) -> date:
    """Strictly YYYY-MM (two-digit month): "2025-1" is refused, not guessed."""
    if isinstance(value, date):
        return value.replace(day=1)
    match = PERIOD_RE.match(value) if isinstance(value, str) else None
    if match is None:
        raise FieldErrors({"period": "发放月份格式应为 YYYY-MM（月份两位），例如 2026-11"})
    return date(int(match.group(1)), int(match.group(2)), 1)


def check_period(region: str, month: date) -> None:
    """Not beyond next month; not before the 统筹区's first parameter or entitlement (a run there
    could only be a typing mistake)."""
    latest = add_months(timezone.localdate().replace(day=1), 1)
    if month > latest:
        raise FieldErrors({"period": f"发放月份不能晚于下月（{latest:%Y-%m}）"})
    firsts = [Parameter.objects.filter(region=region).aggregate(m=Min("valid_from"))["m"],
              Entitlement.objects.filter(region=region).aggregate(m=Min("start_month"))["m"]]
    firsts = [f.replace(day=1) for f in firsts if f is not None]
    if not firsts:
        raise FieldErrors({"period": f"统筹区 {region} 尚无待遇参数和待遇核定，不能生成发放"})
    if month < min(firsts) or month.year < 1990:
        raise FieldErrors({"period": f"发放月份不能早于本统筹区最早的待遇参数或待遇核定（{min(firsts):%Y-%m}）"})


def run_create(*, actor, period, chunk: int = CHUNK, background: bool | None = None) -> PayrollRun:
    """Start (or resume) the run of the actor's 统筹区 for `period` and compute it: inline for up
    to INLINE_LIMIT entitlement ids, else in a background task (status stays 计算中 until done)."""
    require(actor, "payroll_run", "create")
    month = parse_period(period)
    region = actor.jurisdiction
    check_period(region, month)
    run = PayrollRun.objects.filter(region=region, period=month).first()
    if run is None:
        ids = Entitlement.objects.filter(region=region).aggregate(lo=Min("id"), hi=Max("id"))
        try:
            with transaction.atomic():
                run = PayrollRun.objects.create(region=region, period=month, created_by=actor,
                                                cursor=(ids["lo"] or 1) - 1, max_entitlement=ids["hi"] or 0)
        except IntegrityError:
            run = PayrollRun.objects.get(region=region, period=month)
    if not PAYROLL_RUN_WORKFLOW.can("compute", run.status):
        raise DomainError(BenefitsErrorCode.RUN_EXISTS, status=409, details={"id": run.pk, "status": run.status})
    if background is None:
        background = run.max_entitlement - run.cursor > INLINE_LIMIT
    if background and enqueue(run.pk):
        return run
    return run_compute(run=run, actor=actor, chunk=chunk)


def enqueue(run_id: int) -> bool:
    """Hand the computation to the task queue; False (computed inline instead) if that fails."""
    from ..tasks import compute_payroll_run

    try:
        compute_payroll_run.enqueue(run_id)
    except Exception:
        logger.exception("payroll run #%s: enqueue failed; computing inline", run_id)
        return False
    return True


def _arrears_months(run: PayrollRun) -> list[date]:
    """Every month from the earliest start of a due monthly entitlement up to the run's month
    (exclusive): the candidate months; which of them are owed is decided in SQL, per row."""
    first = payroll_sql.first_unpaid_candidate(region=run.region, period=run.period)
    months = []
    while first is not None and first < run.period:
        months.append(first)
        first = add_months(first, 1)
    return months


def _finish(run: PayrollRun, actor) -> bool:
    """Arrears for every month owed and not paid, then failures of earlier runs re-issued as new
    rows: two set-based statements, then the transition to 待复核 (audited with the run's totals,
    by the call that completed it). False if already finished."""
    with transaction.atomic():
        locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
        if not PAYROLL_RUN_WORKFLOW.can("compute", locked.status):
            return False
        payroll_sql.insert_arrears(run_id=locked.pk, region=locked.region, months=_arrears_months(locked))
        payroll_sql.insert_reissues(run_id=locked.pk, region=locked.region, period=locked.period)
        # The platform finishes what create/resume began (actor None for the task): no second gate.
        transition(actor, locked, "compute", event_type=EventType.RUN_COMPUTED, check_access=False,
                   changes={"computed_at": timezone.now()},
                   details={"period": f"{locked.period:%Y-%m}",
                            **{k: str(v) for k, v in run_totals(locked)["all"].items()}})
    return True


def run_resume(*, actor, run_id: int) -> PayrollRun:
    """继续计算: only a run still 计算中 (interrupted, or its worker not running)."""
    run = selectors.run_get(actor=actor, run_id=run_id, action="resume")
    if not PAYROLL_RUN_WORKFLOW.can("resume", run.status):
        raise DomainError(BenefitsErrorCode.INVALID_TRANSITION,
                          f"该批次已计算完成（{run.get_status_display()}），无需继续计算。", status=409,
                          details={"status": run.status})
    return run_compute(run=run, actor=actor)


def run_compute(*, run: PayrollRun, actor=None, chunk: int = CHUNK) -> PayrollRun:
    """Compute in id ranges; each range commits its payments and the cursor together, so a run
    interrupted at any point is started again from its cursor with no duplicate and no gap."""
    adjusted = EntitlementAmountChange.objects.filter(entitlement__region=run.region,
                                                      effective_month__gt=run.period).exists()
    while True:
        with transaction.atomic():
            # The row lock serialises two people resuming the same run at once.
            locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
            if not PAYROLL_RUN_WORKFLOW.can("compute", locked.status) or locked.cursor >= locked.max_entitlement:
                break
            upper = min(locked.cursor + chunk, locked.max_entitlement)
            args = {"run_id": run.pk, "region": run.region, "period": run.period, "lo": locked.cursor, "hi": upper}
            payroll_sql.insert_monthly(**args, adjusted=adjusted)
            payroll_sql.insert_once(**args)
            PayrollRun.objects.filter(pk=run.pk).update(cursor=upper)
    _finish(run, actor)
    run.refresh_from_db()
    return run


def run_totals(run: PayrollRun) -> dict:
    """Totals by benefit type and payer, by payment status, and by kind (current month, arrears,
    reissue): one grouped pass over the run's payments, added up here (a run has one row per
    beneficiary and benefit: a province's run is hundreds of thousands of rows)."""
    kind = Case(When(reissue_of__isnull=False, then=Value("reissue")),
                When(period=run.period, then=Value("current")),
                When(period__lt=run.period, then=Value("arrears")), default=Value(""))
    groups = (Payment.objects.filter(run=run).annotate(kind=kind)
              .values("benefit_type", "payer", "status", "kind").annotate(n=Count("id"), s=Sum("amount"))
              .order_by())
    by_type, by_status = {}, {}
    by_kind = {k: [0, Decimal(0)] for k in ("current", "arrears", "reissue")}
    total = [0, Decimal(0)]
    for g in groups:
        # Sums are rounded through to_fen: SQLite adds decimals as floats.
        amount = Decimal(str(g["s"] or 0))
        for bucket in (by_type.setdefault((g["benefit_type"], g["payer"]), [0, Decimal(0)]),
                       by_status.setdefault(g["status"], [0, Decimal(0)]),
                       by_kind.get(g["kind"], [0, Decimal(0)]), total):
            bucket[0] += g["n"]
            bucket[1] += amount
    return {"by_type": [{"benefit_type": t, "payer": p, "count": n, "amount": _fen(a)}
                        for (t, p), (n, a) in sorted(by_type.items())],
            "by_status": {st: {"count": n, "amount": _fen(a)} for st, (n, a) in by_status.items()},
            "by_kind": {k: {"count": n, "amount": _fen(a)} for k, (n, a) in by_kind.items()},
            "all": {"count": total[0], "amount": _fen(total[1])}}


def _fen(value):
    return to_fen(value or 0)


def _step(*, actor, run_id: int, action: str, event: str, changes: dict) -> PayrollRun:
    """approve / release through the one helper; PayrollRun.access refuses the maker (approve) and
    the approver (release), 403."""
    run = selectors.run_get(actor=actor, run_id=run_id, action=action)
    with transaction.atomic():
        info = run_deadline.deadline_info(run)
        locked = transition(actor, run, action, event_type=event, changes=changes, details={
            "period": f"{run.period:%Y-%m}", "release_deadline": str(info["release_deadline"]),
            "late": info["overdue"] or info["released_late"]})
        if action == "release":
            # Bulk: every pending payment of the run becomes 已报盘 with it (one UPDATE, not one
            # transition per row), checked against the same Payment table.
            bulk_transition(Payment.objects.filter(run=locked), "release", PaymentStatus.PENDING)
    return locked


def bulk_transition(payments, action: str, source: str, **changes) -> int:
    """Move the `source` rows of `payments` by `action` in one UPDATE, if the Payment table allows
    it (payments change in bulk with their run; the table is the same as for one row)."""
    if not PAYMENT_WORKFLOW.can(action, source):
        raise DomainError(BenefitsErrorCode.INVALID_TRANSITION, status=409,
                          details={"status": str(source), "action": action})
    return payments.filter(status=source).update(status=PAYMENT_WORKFLOW.target_of(action, source), **changes)


def run_approve(*, actor, run_id: int) -> PayrollRun:
    """复核: someone other than the one who computed it."""
    return _step(actor=actor, run_id=run_id, action="approve", event=EventType.RUN_APPROVED,
                 changes={"approved_by": actor, "approved_at": timezone.now()})


def run_release(*, actor, run_id: int) -> PayrollRun:
    """发放 (报盘): someone other than the approver; payments become 已报盘."""
    return _step(actor=actor, run_id=run_id, action="release", event=EventType.RUN_RELEASED,
                 changes={"released_by": actor, "released_at": timezone.now()})
