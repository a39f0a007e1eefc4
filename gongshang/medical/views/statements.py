"""机构月度结算 pages: by month with totals, 生成本月结算单 for every institution of the region, a
statement's encounters and deductions with its actions (approve, release with confirmation, bank
file, paid), 登记追回; the institution's own statements (机构门户: 结算单)."""

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, get_for, may, permit, restrict
from gongshang.core.errors import DomainError
from gongshang.core.validators import ascii_digits
from gongshang.web.errors import flash_refusal

from ..models import AgreementInstitution, Deduction, InstitutionStatement
from ..presenters import review as p
from ..selectors import review as selectors
from ..services import bankfile
from ..services import statements as services


def _last_month() -> date:
    today = timezone.localdate()
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


def _period(request):
    value = request.GET.get("period", "")
    try:
        return services.parse_period(value) if value else None
    except DomainError:
        messages.error(request, "结算月份格式应为 YYYY-MM，如 2026-11；已显示全部月份。")
        return None


@permit("medical_statement", "view")
def statement_list(request):
    period = _period(request)
    rows = selectors.statement_list(actor=request.user, period=period)[:300]
    institutions = (restrict(request.user, AgreementInstitution, "view").order_by("code")
                    if may(request.user, "medical_statement", "adjust") else [])
    return render(request, "medical/statements/list.html", {
        "months": selectors.statement_months(actor=request.user), "rows": [p.statement(s) for s in rows],
        "period": period, "default_period": f"{_last_month():%Y-%m}",
        "may_compute": may(request.user, "medical_statement", "compute"), "institutions": institutions,
        "open_adjustments": restrict(request.user, Deduction.objects.select_related("institution"), "view")
        .filter(statement__isnull=True, encounter__isnull=True).order_by("-pk")[:50]})


@require_POST
@permit("medical_statement", "compute")
def statement_compute_all(request):
    try:
        result = services.statement_compute_all(actor=request.user, period=request.POST.get("period", ""))
    except DomainError as exc:
        flash_refusal(request, exc)
        return redirect("medical:statement_list")
    created, skipped = result["created"], result["skipped"]
    messages.success(request, f"已生成 {len(created)} 张结算单，请另一名稽核员复核。" if created else "没有新生成的结算单。")
    for s in skipped:
        messages.info(request, f"{s['institution']}：{s['reason']}")
    return redirect("medical:statement_list")


@require_POST
@permit("medical_statement", "adjust")
def adjustment_create(request):
    raw = request.POST.get("institution_id", "").strip()
    if not ascii_digits(raw):
        messages.error(request, "请选择要追回款项的协议机构。")
        return redirect("medical:statement_list")
    institution = get_for(request.user, AgreementInstitution, int(raw), "view")
    try:
        services.adjustment_create(actor=request.user, institution=institution, amount=request.POST.get("amount", ""),
                                   reason=request.POST.get("reason", ""))
        messages.success(request, f"已登记对 {institution.name} 的追回，将在其下一张结算单中扣除。")
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("medical:statement_list")


def _statement(request, pk, action="view"):
    return get_for(request.user, InstitutionStatement.objects.select_related("institution"), pk, action)


@permit("medical_statement", "view")
def statement_detail(request, pk):
    statement = _statement(request, pk)
    return render(request, "medical/statements/detail.html", {
        "s": p.statement_detail(statement), "obj": statement, "actions": allowed_actions(request.user, statement)})


ACTIONS = {"approve": (services.statement_approve, "已复核，待另一名稽核员拨付。"),
           "release": (services.statement_release, "已拨付，可下载银行文件。"),
           "record_paid": (services.statement_record_paid, "已登记到账。")}


@require_POST
@permit("medical_statement", "approve")  # approve / release / record_paid: each checked on the statement
def statement_action(request, pk):
    _statement(request, pk)  # another 统筹区's statement: 404 before the form is read
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, "请选择要办理的操作（复核、拨付或登记到账）。")
        return redirect("medical:statement_detail", pk=pk)
    service, done = ACTIONS[action]
    try:
        service(actor=request.user, statement=_statement(request, pk, action))
        messages.success(request, done)
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("medical:statement_detail", pk=pk)


@permit("medical_statement", "export_bank_file")
def statement_bank_file(request, pk, fmt):
    statement = _statement(request, pk, "export_bank_file")
    try:
        if fmt == "xlsx":
            response = HttpResponse(bankfile.export_xlsx(actor=request.user, statement=statement),
                                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        else:
            fmt = "csv"
            response = HttpResponse(bankfile.export_csv(actor=request.user, statement=statement),
                                    content_type="text/csv; charset=utf-8")
    except DomainError as exc:
        flash_refusal(request, exc)
        return redirect("medical:statement_detail", pk=pk)
    response["Content-Disposition"] = f'attachment; filename="medical-statement-{pk}.{fmt}"'
    return response


@permit("medical_statement", "view")
def my_statements(request):
    """机构门户: the institution's own statements (restrict: its own only)."""
    rows = selectors.statement_list(actor=request.user)[:120]
    return render(request, "medical/statements/mine.html", {"rows": [p.statement(s) for s in rows]})


urlpatterns = [
    path("statements/", statement_list, name="statement_list"),
    path("statements/compute/", statement_compute_all, name="statement_compute_all"),
    path("statements/adjustments/", adjustment_create, name="adjustment_create"),
    path("statements/<int:pk>/", statement_detail, name="statement_detail"),
    path("statements/<int:pk>/action/", statement_action, name="statement_action"),
    path("statements/<int:pk>/bank-file.<str:fmt>", statement_bank_file, name="statement_bank_file"),
    path("my/statements/", my_statements, name="my_statements"),
]
