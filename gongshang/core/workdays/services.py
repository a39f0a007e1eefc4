"""Writes to the holiday calendar: day overrides (节假日调整) and year completeness flags.

The calendar is national: one table for the whole installation, whatever jurisdictions it
serves. Only a system administrator of the installation's home region
(settings.DEFAULT_POOLING_REGION) maintains it; other system administrators may look.
"""

from datetime import date as date_type

from django.conf import settings
from django.db import transaction

from gongshang.accounts.access import may
from gongshang.core.audit import record_event
from gongshang.core.errors import FieldErrors, Forbidden, NotFound
from gongshang.core.models import CalendarYear, HolidayOverride
from gongshang.core.regions import full_name

from .tasks import enqueue_refresh_after_commit

MIN_YEAR, MAX_YEAR = 2000, 2100


class CalendarEvent:
    OVERRIDE_SET = "calendar.override_set"
    OVERRIDE_DELETED = "calendar.override_deleted"
    YEAR_SET = "calendar.year_set"


def home_region_name() -> str:
    code = settings.DEFAULT_POOLING_REGION
    return full_name(code) or code


def maintainer_note() -> str:
    return f"节假日安排由{home_region_name()}系统管理员统一维护"


def can_maintain_calendar(actor) -> bool:
    """A system administrator of the home region (the calendar is shared by every jurisdiction)."""
    return bool(may(actor, "calendar", "edit")
                and actor.jurisdiction and actor.jurisdiction == settings.DEFAULT_POOLING_REGION)


def require_calendar_maintainer(actor) -> None:
    if not can_maintain_calendar(actor):
        raise Forbidden(f"{maintainer_note()}，您可以查看，但不能修改；如需调整请联系该系统管理员。")


def _check_year(year, field: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise FieldErrors({field: f"年份应在 {MIN_YEAR} 到 {MAX_YEAR} 之间"})


def holiday_override_set(*, actor, date: date_type, is_workday: bool, name: str = "") -> HolidayOverride:
    """Create or replace the override for one day: a holiday (休息日) or a 调休 workday (工作日)."""
    require_calendar_maintainer(actor)
    if not isinstance(date, date_type):
        raise FieldErrors({"date": "请填写日期（YYYY-MM-DD）"})
    _check_year(date.year, "date")
    name = (name or "").strip()
    if len(name) > 50:
        raise FieldErrors({"name": "名称不能超过 50 个字"})
    with transaction.atomic():
        override = HolidayOverride.objects.select_for_update().filter(date=date).first()
        previous = None
        if override is None:
            override = HolidayOverride(date=date)
        else:
            previous = {"is_workday": override.is_workday, "name": override.name}
        override.is_workday = bool(is_workday)
        override.name = name
        override.updated_by = actor if getattr(actor, "pk", None) else None
        override.save()
        record_event(actor=actor, event_type=CalendarEvent.OVERRIDE_SET, target=override,
                     details={"date": date.isoformat(), "is_workday": override.is_workday, "name": name,
                              "previous": previous})
        enqueue_refresh_after_commit()
    return override


def holiday_override_delete(*, actor, date: date_type) -> None:
    """Remove a day's override; the day falls back to chinese-calendar or the weekday rule."""
    require_calendar_maintainer(actor)
    with transaction.atomic():
        override = HolidayOverride.objects.select_for_update().filter(date=date).first()
        if override is None:
            raise NotFound("该日期没有节假日调整记录，可能已被他人删除。")
        # Record first: the event names the row's id, which deletion clears.
        record_event(actor=actor, event_type=CalendarEvent.OVERRIDE_DELETED, target=override,
                     details={"date": date.isoformat(), "is_workday": override.is_workday, "name": override.name})
        override.delete()
        enqueue_refresh_after_commit()


def calendar_year_set(*, actor, year: int, complete: bool, source: str = "") -> CalendarYear:
    """Mark whether a year's holiday arrangement (国务院办公厅通知) is fully entered, and its source."""
    require_calendar_maintainer(actor)
    _check_year(year, "year")
    source = (source or "").strip()
    if complete and not source:
        raise FieldErrors({"source": "标记为已录入时请填写依据，例如国务院办公厅通知的文号"})
    if len(source) > 200:
        raise FieldErrors({"source": "依据不能超过 200 个字"})
    with transaction.atomic():
        row, created = CalendarYear.objects.select_for_update().get_or_create(
            year=year, defaults={"complete": bool(complete), "source": source})
        previous = None if created else {"complete": row.complete, "source": row.source}
        if not created:
            row.complete = bool(complete)
            row.source = source
            row.save()
        record_event(actor=actor, event_type=CalendarEvent.YEAR_SET, target=row,
                     details={"year": year, "complete": row.complete, "source": source, "previous": previous})
        enqueue_refresh_after_commit()
    return row
