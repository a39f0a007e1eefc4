"""待遇参数 pages: administrators enter a new year's values with effective dates; corrections
keep the old row; the list shows the whole history."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongshang.accounts.access import allowed_actions, get_for, may, permit
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form

from .. import selectors
from ..choices import TABLE_KINDS
from ..forms import ParameterCorrectForm, ParameterFilterForm, ParameterForm
from ..models import Parameter
from ..services.parameters import parameter_add, parameter_correct


@permit("parameter", "view")
def parameter_list(request):
    form = ParameterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.parameter_list(actor=request.user, filters=filters), 50).get_page(request.GET.get("page"))
    rows = [(p, allowed_actions(request.user, p)) for p in page.object_list]
    return render(request, "benefits/parameter_list.html", {"form": form, "page_obj": page, "rows": rows,
                                                            "may_add": may(request.user, "parameter", "add")})


@permit("parameter", "add")
@require_http_methods(["GET", "POST"])
def parameter_create(request):
    form = ParameterForm(request.POST or None, initial={"region": request.user.jurisdiction})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            parameter_add(actor=request.user, region=d["region"], kind=d["kind"], valid_from=d["valid_from"],
                          value=d["value"], table=form.table() if d["kind"] in TABLE_KINDS else None,
                          data_year=d["data_year"], source=d["source"], note=d["note"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "参数已录入，自生效日期起用于待遇计算。")
            return redirect("benefits:parameter_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "benefits/parameter_form.html", {"form": form, "title": "录入待遇参数"}, status=status)


@permit("parameter", "correct")
@require_http_methods(["GET", "POST"])
def parameter_correct_view(request, pk: int):
    row = get_for(request.user, Parameter, pk, "correct")
    form = ParameterCorrectForm(request.POST or None, table_kind=row.kind in TABLE_KINDS)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            parameter_correct(actor=request.user, parameter=row, value=d.get("value"),
                              table=form.table() if row.kind in TABLE_KINDS else None, source=d["source"],
                              note=d["note"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已更正；原记录保留在历史中。")
            return redirect("benefits:parameter_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "benefits/parameter_form.html",
                  {"form": form, "title": f"更正：{row.get_kind_display()}（{row.region}，{row.valid_from} 起）",
                   "row": row}, status=status)
