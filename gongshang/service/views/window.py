"""一窗受理 pages: the counter (综合窗口: find the person or the case, take the recognition application
for the applicant with the three boxes, accept it when complete, print the receipt), the back
office's queue of follow-on matters, the request's page (every matter, its date, prepare and
withdraw with confirmation), and the applicant's online boxes reached from the recognition page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import get_for, permit
from gongshang.accounts.choices import Audience
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.core.validators import ascii_digits

from ..choices import MatterKind, MatterStatus
from ..models import WindowRequest
from ..presenters.window import next_steps, queue_row, receipt_pdf, request_dict
from ..rules import window as rules
from ..selectors.window import counter_case, counter_cases, requests_of_case, window_queue
from ..services import window as services

QS = WindowRequest.objects.select_related("case", "case__employer", "recognition", "accepted_by")
START_FIELDS = ("circumstance", "diagnosis", "body_part", "accident_place", "description")
OPEN_STATUSES = ("draft", "submitted", "allocated", "correction_requested", "accepted", "investigating", "suspended")


def _is_staff(request) -> bool:
    return request.user.kind == Audience.STAFF


def _boxes(post) -> dict:
    return {"wants_appraisal": post.get("wants_appraisal") == "on", "injury_stable": post.get("injury_stable") == "on",
            "wants_benefits": post.get("wants_benefits") == "on"}


# --- the counter ---------------------------------------------------------------------------------------

@permit("window_request", "create")
def desk(request):
    """综合窗口受理: search by case number or 身份证号; the applicant side ticks the boxes online."""
    if not _is_staff(request):
        messages.info(request, "网上申请工伤认定后，可在申请详情页勾选“同时申请劳动能力鉴定、待遇”。")
        return redirect("recognition:my_list")
    query = request.GET.get("q", "").strip()[:32]
    cases = list(counter_cases(actor=request.user, query=query)) if query else []
    rows = [{"id": c.pk, "number": c.number, "name": mask_name(c.injured_name),
             "id_number": mask_id_number(c.injured_id_number), "employer": getattr(c.employer, "name", ""),
             "status": c.get_status_display()} for c in cases]
    recent = [request_dict(r, request.user) for r in WindowRequest.objects.filter(
        region=request.user.jurisdiction or "-", created_by=request.user).select_related(
        "case", "case__employer", "recognition").order_by("-created_at")[:10]]
    return render(request, "service/window/desk.html", {"query": query, "rows": rows, "recent": recent})


def _applications(case) -> list:
    return list(case.recognition_applications.exclude(status="deleted").order_by("-created_at", "-pk"))


def _checklist(application) -> dict:
    from gongshang.recognition.selectors import checklist

    return checklist(application)


def _case_context(request, case, *, errors=None, values=None) -> dict:
    from gongshang.recognition.choices import Circumstance, MaterialKind, Treatment
    from gongshang.recognition.services.counter import counter_draft

    applications = _applications(case)
    registered = {r.recognition_id: r for r in requests_of_case(actor=request.user, case=case)}
    draft = counter_draft(case)
    open_app = next((a for a in applications if a.status in OPEN_STATUSES and a.status != "draft"), None)
    target = draft or open_app
    if target is not None and target.pk in registered:
        target = None
    return {
        "case": case, "name": mask_name(case.injured_name), "id_number": mask_id_number(case.injured_id_number),
        "employer": getattr(case.employer, "name", ""),
        "applications": [{"id": a.pk, "status": a.get_status_display(), "applicant": a.get_applicant_kind_display(),
                          "request": registered.get(a.pk)} for a in applications],
        "draft": draft, "target": target, "checklist": _checklist(draft) if draft else None,
        "awaiting": target is not None and target.status in ("draft", "submitted", "allocated"),
        "can_start": draft is None and open_app is None,
        "circumstances": Circumstance.choices, "treatments": Treatment.choices, "material_kinds": MaterialKind.choices,
        "values": values or {f: getattr(draft, f, "") for f in START_FIELDS} | {
            "treatments": list(getattr(draft, "treatments", []) or []), "applicant_kind": "worker"},
        "errors": errors or {},
    }


def _start(request, case):
    from gongshang.recognition.services.counter import application_start_at_counter

    post = request.POST
    data = {f: post.get(f, "").strip() for f in START_FIELDS}
    data["treatments"] = post.getlist("treatments")
    application_start_at_counter(actor=request.user, case=case, applicant_kind=post.get("applicant_kind", ""),
                                 data=data)
    messages.success(request, "已保存申请内容，请扫描上传申请人带来的材料。")


def _material(request, case):
    from gongshang.recognition.services.counter import application_material_add_at_counter, counter_draft

    draft = counter_draft(case)
    if draft is None:
        raise FieldErrors({"form": "请先填写认定申请内容。"})
    application_material_add_at_counter(actor=request.user, application=draft, kind=request.POST.get("kind", ""),
                                        upload=request.FILES.get("file"))
    messages.success(request, "材料已上传。")


def _register(request, case):
    from gongshang.recognition.models import RecognitionApplication

    pk = request.POST.get("application_id", "")
    application = RecognitionApplication.objects.filter(case=case, pk=int(pk) if ascii_digits(pk) else 0).first()
    if application is None:
        raise FieldErrors({"form": "请选择要受理的工伤认定申请。"})
    row = services.window_request_create(actor=request.user, application=application, channel="window",
                                         **_boxes(request.POST))
    messages.success(request, "已受理并登记一窗受理，请打印回执交给申请人。")
    return row


STEPS = {"start": _start, "material": _material, "register": _register}


@permit("window_request", "create")
def case_page(request, case_id: int):
    """The counter's page of one case: take the recognition application for the applicant, upload
    the scanned materials, then accept it with the boxes (nothing changes on a refusal)."""
    if not _is_staff(request):
        from gongshang.cases.models import InjuryCase

        case = get_for(request.user, InjuryCase, case_id, "view")
        return redirect("cases:detail", case.pk)
    case = counter_case(actor=request.user, case_id=case_id)
    if request.method != "POST":
        return render(request, "service/window/case.html", _case_context(request, case))
    step = STEPS.get(request.POST.get("step", ""))
    try:
        if step is None:
            raise FieldErrors({"form": "请选择要办理的步骤。"})
        done = step(request, case)
    except FieldErrors as exc:
        return render(request, "service/window/case.html", _case_context(request, case, errors=exc.errors), status=422)
    except DomainError as exc:
        missing = [m["label"] for m in exc.details.get("missing", [])] if isinstance(exc.details, dict) else []
        return render(request, "service/window/case.html",
                      _case_context(request, case, errors={"form": exc.message, "missing": missing}),
                      status=exc.status)
    if isinstance(done, WindowRequest):
        return redirect("service:window_detail", pk=done.pk)
    return redirect("service:window_case", case_id=case.pk)


@permit("window_request", "create")
def online(request, application_id: int):
    """The applicant's boxes on its submitted recognition application (网上申请)."""
    from gongshang.recognition.models import RecognitionApplication

    if _is_staff(request):
        found = RecognitionApplication.objects.filter(pk=application_id, region=request.user.jurisdiction or "-").first()
        if found is None:
            raise Http404("没有找到该工伤认定申请。")
        return redirect("service:window_case", case_id=found.case_id)
    application = get_for(request.user, RecognitionApplication.objects.select_related("case"), application_id, "view")
    existing = WindowRequest.objects.filter(recognition=application).first()
    if existing is not None:
        return redirect("service:window_detail", pk=existing.pk)
    context = {"application": application, "case": application.case, "error": "", "values": {}}
    if request.method != "POST":
        return render(request, "service/window/online.html", context)
    try:
        row = services.window_request_create(actor=request.user, application=application, channel="online",
                                             **_boxes(request.POST))
    except DomainError as exc:
        return render(request, "service/window/online.html",
                      {**context, "error": exc.message, "values": _boxes(request.POST)}, status=exc.status)
    messages.success(request, "已登记：认定为工伤后，鉴定和待遇事项将自动发起，无需再次申请。")
    return redirect("service:window_detail", pk=row.pk)


# --- the request, its receipt, the back office --------------------------------------------------------

@permit("window_request", "view")
def detail(request, pk: int):
    row = get_for(request.user, QS, pk, "view")
    return render(request, "service/window/detail.html", {"r": request_dict(row, request.user),
                                                           "next_steps": next_steps(row), "row": row})


@permit("window_request", "receipt")
def receipt(request, pk: int):
    row = get_for(request.user, QS, pk, "receipt")
    try:
        pdf = receipt_pdf(row, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("service:window_detail", pk=row.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="window-receipt-{row.case.number}.pdf"'
    return response


def _matter_action(request, pk: int, kind: str, action: str):
    row = get_for(request.user, QS, pk, action)
    try:
        if action == "prepare":
            services.window_matter_prepare(actor=request.user, request=row, kind=kind)
            messages.success(request, f"已标记“{MatterKind(kind).label}”为提前准备。")
        else:
            services.window_matter_withdraw(actor=request.user, request=row, kind=kind,
                                            reason=request.POST.get("reason", ""))
            messages.success(request, f"已撤回“{MatterKind(kind).label}”。")
    except DomainError as exc:
        messages.error(request, exc.message)
    target = request.POST.get("next", "")
    if target == "queue" and action == "prepare":
        return redirect("service:window_queue")
    return redirect("service:window_detail", pk=row.pk)


@require_POST
@permit("window_request", "prepare")
def prepare(request, pk: int, kind: str):
    return _matter_action(request, pk, kind, "prepare")


@require_POST
@permit("window_request", "withdraw")
def withdraw(request, pk: int, kind: str):
    return _matter_action(request, pk, kind, "withdraw")


@permit("window_request", "queue")
def queue(request):
    """后续事项: the follow-on matters of the region by statutory date (鉴定管理员: 鉴定; 待遇审核员: 待遇)."""
    get = request.GET
    kinds = rules.queue_kinds(request.user.role_codes)
    filters = {"kind": get.get("kind", "") if get.get("kind", "") in kinds else "",
               "status": get.get("status", "") if get.get("status", "") in MatterStatus.values else "",
               "case_number": get.get("case_number", "").strip()[:32]}
    page = Paginator(window_queue(actor=request.user, filters=filters), 30).get_page(get.get("page"))
    today = timezone.localdate()
    query = urlencode([(k, v) for k, v in get.items() if k != "page" and v])
    return render(request, "service/window/queue.html", {
        "rows": [queue_row(m, request.user, today) for m in page.object_list], "page": page, "filters": filters,
        "kinds": [(k, MatterKind(k).label) for k in kinds], "statuses": MatterStatus.choices, "query": query})


urlpatterns = [
    path("window/", desk, name="window_desk"),
    path("window/queue/", queue, name="window_queue"),
    path("window/case/<int:case_id>/", case_page, name="window_case"),
    path("window/online/<int:application_id>/", online, name="window_online"),
    path("window/<int:pk>/", detail, name="window_detail"),
    path("window/<int:pk>/receipt.pdf", receipt, name="window_receipt"),
    path("window/<int:pk>/matters/<str:kind>/prepare/", prepare, name="window_prepare"),
    path("window/<int:pk>/matters/<str:kind>/withdraw/", withdraw, name="window_withdraw"),
]
