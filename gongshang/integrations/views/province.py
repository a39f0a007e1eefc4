"""省级交换 pages: case packages (导出案卷包, 报送, the province's answer), transfers in (接续 with a
confirmation), monthly statistics reports (生成, versions, 下载, 报送 with a confirmation)."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import may, permit
from gongshang.benefits.rules.leave import add_months
from gongshang.core.errors import DomainError
from gongshang.core.files.serving import stored_file_response
from gongshang.core.regions import full_name, pooling_regions, province_of
from gongshang.web.errors import flash_refusal

from ..choices import PackagePurpose, PackageStatus, TransferStatus
from ..models import StatisticsReport
from ..presenters.province import package_dict, purpose_choices, report_dict, transfer_dict
from ..selectors import province as selectors
from ..services import province as services
from ..services import province_answers as answers
from ..services import statistics


def _targets(actor) -> list[tuple[str, str]]:
    """The other 统筹区 of the actor's province (the transfer form's select)."""
    own = actor.jurisdiction or ""
    province = province_of(own)
    return [(code, f"{full_name(code)}（{code}）") for code in pooling_regions([province] if province else None)
            if code != own] if province else []


def _form_context(request, values=None, errors=None, error="") -> dict:
    return {"purposes": purpose_choices(), "targets": _targets(request.user), "values": values or {},
            "errors": errors or {}, "error": error, "may_create": may(request.user, "case_package", "create")}


@permit("case_package", "view")
def package_list(request):
    """案卷包与跨统筹区转入: the packages (filters), the transfers in (待接续 first), the export form."""
    filters = {k: request.GET.get(k, "") for k in ("purpose", "status", "q")}
    page = Paginator(selectors.package_list(actor=request.user, filters=filters), 30).get_page(request.GET.get("page"))
    transfers = selectors.transfer_list(actor=request.user, filters={"status": request.GET.get("transfer_status", "")})
    return render(request, "integrations/province/package_list.html", {
        **_form_context(request), "page": page, "rows": [package_dict(p, request.user) for p in page.object_list],
        "filters": filters, "query": urlencode({k: v for k, v in filters.items() if v}),
        "statuses": PackageStatus.choices, "purpose_filter": PackagePurpose.choices,
        "transfers": [transfer_dict(t, request.user) for t in transfers[:50]],
        "waiting": transfers.filter(status=TransferStatus.RECEIVED).count()})


@permit("case_package", "create")
def package_new(request):
    """导出案卷包 (a case number and the purpose; for a transfer the target 统筹区)."""
    if request.method != "POST":
        return render(request, "integrations/province/package_new.html", _form_context(
            request, values={"case_number": request.GET.get("case", ""), "purpose": request.GET.get("purpose", "")}))
    values = {k: request.POST.get(k, "").strip() for k in ("case_number", "purpose", "target_region")}
    try:
        package = services.package_create(actor=request.user, purpose=values["purpose"],
                                          case_id=services.case_id_for(request.user, values["case_number"]),
                                          target_region=values["target_region"])
    except DomainError as exc:
        errors = getattr(exc, "errors", {})
        return render(request, "integrations/province/package_new.html",
                      _form_context(request, values, errors, "" if errors else exc.message), status=exc.status)
    messages.success(request, f"案卷包 {package.reference} 已生成，请核对清单后报送省级系统。")
    return redirect("integrations:package_detail", package_id=package.pk)


@permit("case_package", "view")
def package_detail(request, package_id: int):
    package = selectors.package_get(actor=request.user, package_id=package_id)
    return render(request, "integrations/province/package_detail.html", {"p": package_dict(package, request.user)})


@permit("case_package", "send")
@require_POST
def package_send(request, package_id: int):
    try:
        package = services.package_send(actor=request.user, package_id=package_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash_refusal(request, exc)
    else:
        messages.success(request, f"案卷包 {package.reference} 已报送省级系统，省级反馈到达后将自动登记。")
    return redirect("integrations:package_detail", package_id=package_id)


@permit("case_package", "view")
def package_download(request, package_id: int):
    package = selectors.package_get(actor=request.user, package_id=package_id)
    services.package_downloaded(actor=request.user, package=package)
    return stored_file_response(package.file, title=package.reference)


@permit("case_package", "view")
def transfer_detail(request, transfer_id: int):
    transfer = selectors.transfer_get(actor=request.user, transfer_id=transfer_id)
    return render(request, "integrations/province/transfer_detail.html",
                  {"t": transfer_dict(transfer, request.user), "values": {}, "errors": {}})


@permit("case_package", "take_over")
@require_POST
def transfer_take_over(request, transfer_id: int):
    values = {k: request.POST.get(k, "").strip() for k in ("bank_name", "bank_account")}
    try:
        answers.transfer_take_over(actor=request.user, transfer_id=transfer_id, **values)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        errors = getattr(exc, "errors", None)
        if not errors:
            flash_refusal(request, exc)
            return redirect("integrations:transfer_detail", transfer_id=transfer_id)
        transfer = selectors.transfer_get(actor=request.user, transfer_id=transfer_id)
        return render(request, "integrations/province/transfer_detail.html",
                      {"t": transfer_dict(transfer, request.user), "values": values, "errors": errors}, status=422)
    messages.success(request, "已接续转入待遇，待遇为“待审核”，请另一名待遇审核员在待遇核定页复核。")
    return redirect("integrations:transfer_detail", transfer_id=transfer_id)


def _last_month() -> date:
    return add_months(timezone.localdate().replace(day=1), -1)


def _report_context(request, *, month: str = "", error: str = "") -> dict:
    rows = list(selectors.report_list(actor=request.user)[:240])
    latest = {(r["region"], r["month"]): r["v"] for r in StatisticsReport.objects.filter(
        region=request.user.jurisdiction or "-").values("region", "month").annotate(v=Max("version"))}
    return {"rows": [report_dict(r, request.user, latest) for r in rows], "month": month or f"{_last_month():%Y-%m}",
            "max_month": f"{_last_month():%Y-%m}", "error": error,
            "may_create": may(request.user, "statistics_report", "create")}


@permit("statistics_report", "view")
def report_list(request):
    """月度统计报表: generate a month (default last month), its versions, download, send."""
    return render(request, "integrations/province/report_list.html", _report_context(request))


@permit("statistics_report", "create")
def report_new(request):
    if request.method != "POST":
        return redirect("integrations:report_list")
    month = request.POST.get("month", "").strip()
    try:
        report = statistics.statistics_report_create(actor=request.user, month=month)
    except DomainError as exc:
        message = next(iter(getattr(exc, "errors", {}).values()), exc.message)
        return render(request, "integrations/province/report_list.html",
                      _report_context(request, month=month, error=message), status=exc.status)
    messages.success(request, f"{report.month:%Y年%m月}统计报表第 {report.version} 版已生成，核对后可报送省级系统。")
    return redirect("integrations:report_list")


@permit("statistics_report", "view")
def report_download(request, report_id: int):
    report = selectors.report_get(actor=request.user, report_id=report_id)
    return stored_file_response(report.file, title=f"工伤保险月度统计-{report.month:%Y%m}-第{report.version}版")


@permit("statistics_report", "send")
@require_POST
def report_send(request, report_id: int):
    try:
        report = statistics.statistics_report_send(actor=request.user, report_id=report_id)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        flash_refusal(request, exc)
    else:
        messages.success(request, f"{report.month:%Y年%m月}统计报表第 {report.version} 版已报送省级系统。")
    return redirect("integrations:report_list")


urlpatterns = [
    path("packages/", package_list, name="package_list"),
    path("packages/new/", package_new, name="package_new"),
    path("packages/<int:package_id>/", package_detail, name="package_detail"),
    path("packages/<int:package_id>/send/", package_send, name="package_send"),
    path("packages/<int:package_id>/download/", package_download, name="package_download"),
    path("transfers/<int:transfer_id>/", transfer_detail, name="transfer_detail"),
    path("transfers/<int:transfer_id>/take-over/", transfer_take_over, name="transfer_take_over"),
    path("reports/", report_list, name="report_list"),
    path("reports/new/", report_new, name="report_new"),
    path("reports/<int:report_id>/download/", report_download, name="report_download"),
    path("reports/<int:report_id>/send/", report_send, name="report_send"),
]
