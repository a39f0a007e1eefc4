"""领导驾驶舱 page and its export (CSV, xlsx): the leader's own 统筹区, month range filter."""

import csv
import io
import re
from datetime import date

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path

from gongshang.accounts.access import permit
from gongshang.core.db.routers import reporting_view
from gongshang.core.files.serving import content_disposition
from gongshang.core.regions import full_name

from ..presenters import dashboard as p
from ..selectors import dashboard as s

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str, field: str) -> date | None:
    """'YYYY-MM' → the first day of that month; '' → None; anything else: a ValueError in Chinese."""
    value = (value or "").strip()
    if not value:
        return None
    found = MONTH.match(value)
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise ValueError(f"{field}格式不正确，请按“年-月”选择，例如 2026-01。")
    return date(int(found.group(1)), int(found.group(2)), 1)


class RangeForm(forms.Form):
    start = forms.CharField(label="起始月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))
    end = forms.CharField(label="截止月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def clean(self):
        data = super().clean()
        for name, label in (("start", "起始月份"), ("end", "截止月份")):
            try:
                data[name] = parse_month(data.get(name, ""), label)
            except ValueError as exc:
                self.add_error(name, str(exc))
        return data


def _figures(request):
    """(figures, form, status): a bad range answers the form's errors with 422 and the default range."""
    form = RangeForm(request.GET or None)
    if request.GET and not form.is_valid():
        return s.dashboard(actor=request.user), form, 422
    start = form.cleaned_data.get("start") if form.is_bound else None
    end = form.cleaned_data.get("end") if form.is_bound else None
    try:
        return s.dashboard(actor=request.user, start=start, end=end), form, 200
    except s.RangeError as exc:
        form.add_error(None, str(exc))
        return s.dashboard(actor=request.user), form, 422


def _page(request, figures, form, status):
    return render(request, "service/dashboard/page.html", {
        "form": form, "figures": figures, "region_name": full_name(figures["region"]) or figures["region"],
        "kpis": p.kpis(figures), "charts": p.charts(figures), "columns": [h for _, h in p.COLUMNS],
        "rows": p.table_rows(figures), "stages": p.stage_tables(figures), "prevention": p.prevention_rows(figures),
        "query": request.GET.urlencode() if status == 200 else ""}, status=status)


@permit("dashboard", "view")
@reporting_view
def dashboard(request):
    return _page(request, *_figures(request))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A text cell a spreadsheet would read as a formula is written as text (CSV/xlsx injection);
    numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if v is None else str(_cell(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM: Excel opens it as UTF-8


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "领导驾驶舱"
    for row in rows:
        sheet.append([_cell(v) for v in row])
    sheet.column_dimensions["A"].width = 22
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORMATS = {"csv": ("text/csv; charset=utf-8", _csv),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx)}


@permit("dashboard", "export")
@reporting_view
def export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    figures, form, status = _figures(request)
    if status != 200:
        return _page(request, figures, form, status)
    content_type, render_rows = FORMATS[fmt]
    response = HttpResponse(render_rows(p.export_rows(figures)), content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        f"领导驾驶舱-{figures['region']}-{figures['start']}至{figures['end']}.{fmt}")
    return response


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/export.<str:fmt>", export, name="dashboard_export"),
]
