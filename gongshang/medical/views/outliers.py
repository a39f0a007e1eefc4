"""异常指标 dashboard (稽核员): per institution and diagnosis group against the peers' median, with
inline SVG bars rendered here (no JS) and every figure as text."""

from datetime import date, timedelta

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from gongshang.accounts.access import permit
from gongshang.core.db.routers import reporting_view

from ..rules import outliers as rules
from ..selectors import outliers as selectors

MAX_SPAN_DAYS = 731
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)  # beyond: the calendar's edge (a 500), no data


def _day(value, default: date) -> tuple[date, str]:
    try:
        return (date.fromisoformat(value), "") if value else (default, "")
    except ValueError:
        return default, f"日期“{value}”格式应为 YYYY-MM-DD，已按默认期间统计。"


@permit("medical_encounter", "analyse")
@reporting_view
def outlier_dashboard(request):
    today = timezone.localdate()
    end, err_end = _day(request.GET.get("end", ""), today)
    end_ok = FIRST_DAY <= end <= LAST_DAY
    start, err_start = _day(request.GET.get("start", ""), end - timedelta(days=365) if end_ok else today)
    errors = [e for e in (err_start, err_end) if e]
    if not end_ok or not FIRST_DAY <= start <= LAST_DAY:
        errors.append("统计期间应在 2000 年至 2099 年之间，已按最近一年统计。")
        end, start = today, today - timedelta(days=365)
    elif start > end or (end - start).days > MAX_SPAN_DAYS:
        errors.append("统计期间应为起始日期不晚于截止日期、且不超过两年，已按最近一年统计。")
        end, start = today, today - timedelta(days=365)
    board = selectors.dashboard(actor=request.user, start=start, end=end)
    return render(request, "medical/outliers/dashboard.html", {
        "board": board, "errors": errors, "ratio": rules.OUTLIER_RATIO, "min_stays": rules.MIN_STAYS,
        "bar_width": selectors.BAR_WIDTH})


urlpatterns = [path("outliers/", outlier_dashboard, name="outliers")]
