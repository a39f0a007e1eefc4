"""节假日维护: system administrators keep the holiday calendar the deadline engine uses.

Every system administrator may open the page; only those of the home region
(settings.DEFAULT_POOLING_REGION) see the forms, and the services refuse the others (403).
"""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gongshang.accounts.access import permit
from gongshang.core.errors import DomainError, Forbidden
from gongshang.core.models import CalendarYear, HolidayOverride
from gongshang.web.errors import add_errors_to_form

from . import services, statutory
from .calendar import ChineseCalendar, compute_due_date, days_left, today
from .forms import CalendarYearForm, OverrideForm, TryForm
from .rules import UNIT_LABELS, PeriodError, provisional_note

FIRST_LISTED_YEAR = 2004  # chinese-calendar's first year

YEAR_STATUS_LABELS = {
    "package": "内置节假日数据（chinese-calendar）",
    "complete": "已人工录入全年安排",
    "provisional": "尚未录入全年安排：按法定节假日和周末推算，计算结果为暂定",
}


def _year_from(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if services.MIN_YEAR <= year <= services.MAX_YEAR else default


def _list_url(year: int) -> str:
    return f"{reverse('core:calendar_overrides')}?year={year}"


def _try_result(form: TryForm) -> dict | None:
    if not form.is_bound or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        result = compute_due_date(data["start"], data["length"], data["unit"])
    except PeriodError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
    remaining = days_left(result.due)
    return {"due": result.due, "provisional": result.provisional, "earliest": result.earliest,
            "note": provisional_note(result), "unit_label": UNIT_LABELS[data["unit"]], "remaining": remaining,
            "overdue": -remaining if remaining is not None and remaining < 0 else 0}


def _refused(request):
    """The 403 page for an administrator outside the home region, or None when allowed."""
    try:
        services.require_calendar_maintainer(request.user)
    except Forbidden as exc:
        return _forbidden(request, exc)
    return None


def _forbidden(request, exc: Forbidden):
    messages.error(request, exc.message)
    return _render(request, year=_year_from(request.GET.get("year"), today().year), status=exc.status)


def _render(request, *, year: int, override_form=None, year_form=None, try_form=None, status=200):
    current = today().year
    can_edit = services.can_maintain_calendar(request.user)
    row = CalendarYear.objects.filter(year=year).first()
    if override_form is None:
        initial = {"kind": "holiday"}
        edit = request.GET.get("edit")
        if edit:
            try:
                existing = HolidayOverride.objects.filter(date=date.fromisoformat(edit)).first()
            except ValueError:
                existing = None
            if existing is not None:
                initial = {"date": existing.date, "kind": "workday" if existing.is_workday else "holiday",
                           "name": existing.name}
        override_form = OverrideForm(initial=initial)
    if year_form is None:
        year_form = CalendarYearForm(initial={"year": year, "complete": row.complete if row else False,
                                              "source": row.source if row else ""})
    if try_form is None:
        try_form = TryForm(request.GET if "start" in request.GET else None, initial={"unit": "natural"})
    status_key = ChineseCalendar().year_status(year)
    years = sorted(set(range(FIRST_LISTED_YEAR, current + 3)) | {year}, reverse=True)
    context = {
        "can_edit": can_edit,
        "maintainer_note": services.maintainer_note(),
        "year": year,
        "years": years,
        "overrides": HolidayOverride.objects.filter(date__year=year).select_related("updated_by"),
        "calendar_year": row,
        "year_status": status_key,
        # Badge and the open "assumed days" box decided here, not by comparing strings in the template.
        "year_provisional": status_key == "provisional",
        "year_badge": "badge-warn" if status_key == "provisional" else "badge-ok",
        "year_status_label": YEAR_STATUS_LABELS[status_key],
        # What a year without chinese-calendar data assumes until its notice is entered.
        "assumed_days": [] if status_key == "package" else [
            row for row in statutory.names(year) if status_key == "provisional" or not row[2]],
        "override_form": override_form,
        "year_form": year_form,
        "try_form": try_form,
        "try_result": _try_result(try_form),
    }
    return render(request, "core/calendar/overrides.html", context, status=status)


@require_GET
@permit("calendar", "view")
def calendar_overrides(request):
    return _render(request, year=_year_from(request.GET.get("year"), today().year))


@require_POST
@permit("calendar", "edit")
def override_save(request):
    if (refused := _refused(request)) is not None:
        return refused
    form = OverrideForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["date"]
        try:
            services.holiday_override_set(actor=request.user, date=day, is_workday=form.is_workday,
                                          name=form.cleaned_data["name"])
        except Forbidden as exc:
            return _forbidden(request, exc)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            kind = "工作日" if form.is_workday else "休息日"
            messages.success(request, f"已将 {day:%Y-%m-%d} 设为{kind}。")
            return redirect(_list_url(day.year))
    year = form.cleaned_data["date"].year if form.cleaned_data.get("date") else _year_from(
        request.GET.get("year"), today().year)
    return _render(request, year=year, override_form=form, status=422)


@require_POST
@permit("calendar", "edit")
def override_delete(request, day: str):
    if (refused := _refused(request)) is not None:
        return refused
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        messages.error(request, "日期格式不正确，请从列表中选择要删除的调整。")
        return redirect("core:calendar_overrides")
    try:
        services.holiday_override_delete(actor=request.user, date=parsed)
    except Forbidden as exc:
        return _forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除 {parsed:%Y-%m-%d} 的调整。")
    return redirect(_list_url(parsed.year))


@require_POST
@permit("calendar", "edit")
def year_save(request):
    if (refused := _refused(request)) is not None:
        return refused
    form = CalendarYearForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_year_set(actor=request.user, year=data["year"], complete=data["complete"],
                                       source=data["source"])
        except Forbidden as exc:
            return _forbidden(request, exc)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            state = "已标记为全年已录入" if data["complete"] else "已标记为尚未录入完整"
            messages.success(request, f"{data['year']} 年{state}。")
            return redirect(_list_url(data["year"]))
    year = form.cleaned_data.get("year") or _year_from(request.POST.get("year"), today().year)
    return _render(request, year=year, year_form=form, status=422)
