"""缴费比对差异 pages for the 受理员 and the 数据交换管理员: the list with its filters (type, month, employer
code, status), one difference with what to check, and the check itself (a required note, confirmed)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from gongshang.accounts.access import permit
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form, flash_refusal

from ..choices import MismatchKind, MismatchStatus
from ..selectors.contributions import mismatch_get, mismatch_list, mismatch_row
from ..services.contributions import NOTE_MAX, mismatch_resolve

PAGE_SIZE = 30

# What a staff member checks for each kind of difference, and with whom.
GUIDANCE = {
    MismatchKind.PAID_NOT_ENROLLED: "税务局已收到该单位为此人缴纳（或申报）的工伤保险费，但参保登记中此人在该单位该月没有参保关系。"
                                    "请联系单位核实：确为本单位职工的，请单位补办增员；误缴的，请单位向税务局申请退费。",
    MismatchKind.ENROLLED_UNPAID: "此人在该单位该月处于参保状态，但税务局缴费明细中没有此人的缴费，或为未缴费。请联系单位核实："
                                  "已离职的，请单位办理减员；在职的，请单位按时足额缴费（未依法缴纳工伤保险费期间发生工伤的，"
                                  "由用人单位支付工伤保险待遇，见《社会保险法》第四十一条）。",
    MismatchKind.EMPLOYER_UNKNOWN: "该统一社会信用代码在本统筹区没有参保登记（或登记在其他统筹区）。请核实该单位是否应在本统筹区"
                                   "办理参保登记，或联系税务局核对单位代码。",
}


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label="差异类型", required=False, choices=[("", "全部"), *MismatchKind.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *MismatchStatus.choices])
    month = forms.DateField(label="费款所属期", required=False, input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month", "placeholder": "2026-10"}, format="%Y-%m"),
                            error_messages={"invalid": "费款所属期请按“年-月”填写，如 2026-10"})
    employer_code = forms.CharField(label="统一社会信用代码", required=False, max_length=18,
                                    help_text="可只填前几位",
                                    error_messages={"max_length": "统一社会信用代码为 18 位，请核对"})


class ResolveForm(forms.Form):
    note = forms.CharField(label="核查说明", max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="核实了什么、如何处理，如：已通知单位补办增员；经核实该职工已于上月离职，单位将办理减员。",
                           error_messages={"required": "请填写核查说明：核实了什么、如何处理。",
                                           "max_length": f"核查说明最多 {NOTE_MAX} 个字，请精简后再提交。"})


@permit("contribution_mismatch", "view")
def mismatch_list_page(request):
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = mismatch_list(actor=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "integrations/contributions/list.html", {
        "form": form, "rows": [mismatch_row(m) for m in page], "page": page, "query": query.urlencode(),
        "open_count": mismatch_list(actor=request.user, filters={"status": MismatchStatus.OPEN}).count()})


def _detail(request, mismatch, form=None, status=200):
    row = mismatch_row(mismatch, actor=request.user)
    return render(request, "integrations/contributions/detail.html", {
        "m": row, "guidance": GUIDANCE.get(mismatch.kind, ""), "form": form or ResolveForm()}, status=status)


@permit("contribution_mismatch", "view")
def mismatch_detail(request, pk: int):
    return _detail(request, mismatch_get(actor=request.user, mismatch_id=pk))


@require_POST
@permit("contribution_mismatch", "resolve")
def mismatch_resolve_page(request, pk: int):
    mismatch = mismatch_get(actor=request.user, mismatch_id=pk, action="resolve")
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _detail(request, mismatch, form, status=422)
    try:
        mismatch_resolve(actor=request.user, mismatch=mismatch, note=form.cleaned_data["note"])
    except DomainError as exc:
        if exc.status != 422:
            flash_refusal(request, exc)
            return redirect("integrations:mismatch_detail", pk=pk)
        add_errors_to_form(form, exc)
        return _detail(request, mismatch, form, status=422)
    messages.success(request, "已核查处理，核查说明已保存。")
    return redirect("integrations:mismatch_detail", pk=pk)


urlpatterns = [
    path("mismatches/", mismatch_list_page, name="mismatch_list"),
    path("mismatches/<int:pk>/", mismatch_detail, name="mismatch_detail"),
    path("mismatches/<int:pk>/resolve/", mismatch_resolve_page, name="mismatch_resolve"),
]
