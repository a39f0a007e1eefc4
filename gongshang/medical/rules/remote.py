"""异地就医备案: the dates of a registration (pure: dates in, dates out).

Sources: 人力资源社会保障部办公厅《关于加快推进工伤保险省内异地就医直接结算的通知》and 济宁市
工伤保险省内异地就医直接结算经办规程 (the Jining practice): a registration is valid 12 months from its
start, and may be changed or cancelled only after 3 months; both lengths are regional parameters
(MedicalSetting.remote_valid_months, remote_lock_months), never constants here.

Months are calendar months with end-of-month clamping: 1月31日 + 1 个月 = 2月28日（闰年29日）.
The registration is valid through the day before the same date `valid_months` later (12 months from
2026-03-10 is valid to 2027-03-09 inclusive); the lock ends on the same date `lock_months` later
(from 2026-03-10 the change or cancellation is possible from 2026-06-10).
"""

import calendar
from datetime import date, timedelta

# How far in the past a registration may start (补办备案): a regional grace, default 30 days, for a
# worker who was referred in an emergency and registers after arriving (济宁 allows 补办 after the
# fact; 30 days is our default until the agency sets its own).
DEFAULT_START_GRACE_DAYS = 30


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months; a day past the target month's end is clamped to it."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def valid_until(start: date, valid_months: int) -> date:
    """The last day the registration is valid (inclusive): `valid_months` months from `start`, less
    one day."""
    return add_months(start, valid_months) - timedelta(days=1)


def lock_ends_on(start: date, lock_months: int) -> date:
    """The first day on which the registration may be changed or cancelled."""
    return add_months(start, lock_months)


def is_locked(start: date, lock_months: int, today: date) -> bool:
    """True while a change or cancellation is refused (满3个月后方可变更或取消)."""
    return today < lock_ends_on(start, lock_months)


def start_date_error(start: date, today: date, grace_days: int = DEFAULT_START_GRACE_DAYS) -> str:
    """The reason a start date is refused, in Chinese; "" when it is accepted."""
    earliest = today - timedelta(days=grace_days)
    if start < earliest:
        return (f"开始日期不能早于{earliest.year}年{earliest.month}月{earliest.day}日"
                f"（最多补办{grace_days}天内的备案），请修改开始日期。")
    latest = add_months(today, 12)
    if start > latest:
        return "开始日期不能晚于一年以后，请在临近就医时再办理备案。"
    return ""


def is_active_on(*, status_active: bool, start: date, until: date, on: date) -> bool:
    """The one rule for "active": status ACTIVE and start ≤ on ≤ valid_until."""
    return status_active and start <= on <= until
