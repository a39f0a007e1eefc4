"""发放时限: benefits reach people before the 20th of each month (seed 004, 微山县: "每月20日之前
按时足额发放"). The release deadline of a run is that day of its own month, in 自然日 (no holiday
shift); a 统筹区 may set another day as a parameter with validity (`payment_day`)."""

from datetime import date

from django.utils import timezone

from .. import selectors
from ..choices import ParameterKind, RunStatus
from ..models import PayrollRun

DEFAULT_PAYMENT_DAY = 20
OPEN_STATUSES = (RunStatus.COMPUTING, RunStatus.COMPUTED, RunStatus.APPROVED)


def release_deadline(*, region: str, period: date) -> date:
    row = selectors.parameter_in_force(region=region, kind=ParameterKind.PAYMENT_DAY, on=period)
    day = int(row.value) if row is not None and row.value is not None else DEFAULT_PAYMENT_DAY
    return period.replace(day=max(1, min(day, 28)))


def deadline_info(run: PayrollRun, today: date | None = None) -> dict:
    """The deadline, the days left, and whether the run is (or was released) late."""
    today = today or timezone.localdate()
    deadline = release_deadline(region=run.region, period=run.period)
    released_on = timezone.localtime(run.released_at).date() if run.released_at else None
    overdue = released_on is None and today > deadline
    late = released_on is not None and released_on > deadline
    warnings = []
    if overdue:
        warnings.append(f"已超过发放时限 {deadline:%Y-%m-%d}（每月 {deadline.day} 日前发放）{(today - deadline).days} 天，"
                        "请尽快复核、发放。")
    elif late:
        warnings.append(f"该批次于 {released_on:%Y-%m-%d} 发放，晚于发放时限 {deadline:%Y-%m-%d}。")
    return {"release_deadline": deadline, "days_left": None if released_on else (deadline - today).days,
            "overdue": overdue, "released_late": late, "warnings": warnings}


def overdue_runs(runs, today: date | None = None) -> list[dict]:
    """Runs not yet released whose deadline has passed (runs are few: one per month)."""
    result = []
    for run in runs.filter(status__in=OPEN_STATUSES).order_by("period"):
        info = deadline_info(run, today)
        if info["overdue"]:
            result.append({"run": run, **info})
    return result
