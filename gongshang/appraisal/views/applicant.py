"""劳动能力鉴定 pages of the applicant (the worker on the phone, from the one-case view; the employer
on the portal): my applications, the one form, materials (reused from the case's vault or to
upload), submit with confirmation, the status page with every deadline and its legal basis, the
timeline and the message thread. Templates get `actions` (allowed_actions), never status codes."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from gongshang.accounts.access import get_for, permit, restrict
from gongshang.accounts.choices import Audience
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.validators import ascii_digits

from .. import selectors
from ..permissions import is_expert_only
from ..rules import codes, materials
from ..services import applications as services

# Each kind in plain Chinese (the apply form's explanation).
KIND_HELP = {
    codes.INITIAL: "第一次鉴定伤残等级和生活自理障碍程度。伤情相对稳定、存在残疾影响劳动能力时申请，结论用于核定伤残待遇。",
    codes.SECOND: "对本市鉴定结论不服的，自收到结论书之日起15日内，向省级劳动能力鉴定委员会申请再次鉴定，省级结论为最终结论。",
    codes.REVIEW: "鉴定结论作出满1年后，伤残情况发生变化（加重或减轻）的，可以申请复查鉴定。",
    codes.LEAVE_EXTENSION: "停工留薪期一般不超过12个月；伤情严重或情况特殊需要延长的，申请确认延长。",
    codes.DEVICE: "因日常生活或就业需要安装假肢、矫形器、假眼、假牙或配置轮椅等辅助器具的，申请确认。",
    codes.REHABILITATION: "需要进行工伤康复治疗的，申请确认康复项目。",
    codes.RELAPSE: "工伤旧伤复发、需要治疗的，申请确认是否属于旧伤复发。",
    codes.DEPENDANT: "因工死亡职工的供养亲属，申请鉴定是否完全丧失劳动能力（领取供养亲属抚恤金的条件）。",
}
GREEN_CHANNEL_HELP = ("重度伤残、行动不便无法到鉴定现场的，可申请绿色通道，由专家上门或远程视频鉴定。"
                      "请上传一段反映日常生活状况的短视频（MP4 或 MOV，不超过 30 MB），供鉴定委员会审核。")


def _applicant_kinds(actor) -> list[tuple[str, str]]:
    if actor.kind == Audience.EMPLOYER:
        return [(codes.EMPLOYER, codes.APPLICANTS[codes.EMPLOYER])]
    if actor.kind == Audience.STAFF:
        return [(codes.AGENCY, codes.APPLICANTS[codes.AGENCY])]
    return [(codes.WORKER, codes.APPLICANTS[codes.WORKER]), (codes.RELATIVE, codes.APPLICANTS[codes.RELATIVE])]


def cases_to_apply(actor):
    """The actor's cases recognised as 工伤 (where an application may start)."""
    rows = restrict(actor, InjuryCase.objects.select_related("employer"), "view").exclude(status="closed")
    return [c for c in rows.order_by("-created_at", "-pk")[:50] if services.recognition_ok(c)]


@permit("appraisal_application", "create")
def my_list(request):
    rows = [selectors.row_dict(a) for a in selectors.my_applications(actor=request.user)[:100]]
    return render(request, "appraisal/applicant/my_list.html", {"rows": rows, "cases": cases_to_apply(request.user)})


def _form_context(request, case, values=None, errors=None) -> dict:
    kind = (values or {}).get("kind") or request.GET.get("kind") or codes.INITIAL
    return {"case": case, "kinds": [{"code": k, "label": v, "help": KIND_HELP[k], "items": [
        {"code": i, "label": codes.ITEMS[i]} for i in codes.KIND_ITEMS[k]]} for k, v in codes.KINDS.items()],
        "applicant_kinds": _applicant_kinds(request.user), "green_help": GREEN_CHANNEL_HELP,
        "conclusions": selectors.conclusions_of(case), "values": values or {"kind": kind}, "errors": errors or {},
        "error_list": list((errors or {}).values()), "items_error": (errors or {}).get("items", ""),
        "chosen_items": (values or {}).get("items") or []}


@permit("appraisal_application", "create")
def apply(request, case_id: int):
    """The one form: kind (each explained), items, applicant, green channel, mailing address."""
    case = get_for(request.user, InjuryCase.objects.select_related("employer"), case_id, "view")
    if request.method != "POST":
        return render(request, "appraisal/applicant/form.html", _form_context(request, case))
    post = request.POST
    values = {name: post.get(name, "").strip() for name in (
        "kind", "applicant_kind", "applicant_name", "applicant_relation", "applicant_mobile", "mailing_address",
        "dependant_name", "dependant_id_number", "previous_conclusion", "reason")}
    values["items"] = post.getlist("items")
    values["green_channel"] = post.get("green_channel") == "on"
    data = {**values, "previous_conclusion": int(values["previous_conclusion"])
            if ascii_digits(values["previous_conclusion"]) and len(values["previous_conclusion"]) < 10 else None}
    try:
        application = services.application_create(actor=request.user, case=case, data=data)
    except FieldErrors as exc:
        return render(request, "appraisal/applicant/form.html", _form_context(request, case, values, exc.errors),
                      status=422)
    except DomainError as exc:
        return render(request, "appraisal/applicant/form.html",
                      _form_context(request, case, values, {"kind": exc.message}), status=exc.status)
    messages.success(request, "申请已保存为草稿：请确认材料后提交。")
    return redirect("appraisal:materials", pk=application.pk)


def _detail_context(request, application, **extra) -> dict:
    return {"a": selectors.application_dict(application, actor=request.user), "application": application,
            "case": application.case, **extra}


def expert_elsewhere(request, application):
    """An expert (鉴定专家 only) reads an application on 我的鉴定 (names masked, the medical file),
    never on the applicant's or the staff's pages, which show the full name."""
    if is_expert_only(request.user):
        return redirect("appraisal:my_application", pk=application.pk)
    return None


@permit("appraisal_application", "view")
def detail(request, pk: int):
    """Status page: every deadline with its basis, the checklist, the timeline, what may be done now."""
    application = selectors.application_access(actor=request.user, pk=pk)
    if elsewhere := expert_elsewhere(request, application):
        return elsewhere
    return render(request, "appraisal/applicant/detail.html", _detail_context(request, application))


@permit("appraisal_application", "view")
def materials_page(request, pk: int):
    """Which materials are reused from the case's vault (已有，无需再交), which the platform
    provides, which must be uploaded; the upload form (the owner, while editable)."""
    application = selectors.application_access(actor=request.user, pk=pk,
                                               action="edit" if request.method == "POST" else "view")
    if elsewhere := expert_elsewhere(request, application):
        return elsewhere
    error = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        try:
            services.application_material_add(actor=request.user, application=application, kind=kind,
                                              upload=request.FILES.get("file"))
        except DomainError as exc:
            error = exc.message if not isinstance(exc, FieldErrors) else "；".join(exc.errors.values())
        else:
            messages.success(request, f"已上传：{materials.LABELS.get(kind, kind)}")
            return redirect("appraisal:materials", pk=pk)
    return render(request, "appraisal/applicant/materials.html",
                  _detail_context(request, application, upload_error=error, green_help=GREEN_CHANNEL_HELP),
                  status=422 if error else 200)


@require_POST
@permit("appraisal_application", "submit")
def submit(request, pk: int):
    application = selectors.application_access(actor=request.user, pk=pk, action="submit")
    try:
        application = services.application_submit(actor=request.user, application=application)
    except DomainError as exc:
        if exc.code == "materials_missing":
            return render(request, "appraisal/applicant/materials.html",
                          _detail_context(request, application, submit_error=exc, green_help=GREEN_CHANNEL_HELP),
                          status=422)
        messages.error(request, exc.message)
        return redirect("appraisal:detail", pk=pk)
    messages.success(request, f"申请已提交。经办机构将于 {application.completeness_due:%Y年%m月%d日} 前审核材料"
                              "（鉴定办法第九条：5个工作日）。")
    return redirect("appraisal:detail", pk=pk)


@require_POST
@permit("appraisal_application", "withdraw")
def withdraw(request, pk: int):
    application = selectors.application_access(actor=request.user, pk=pk, action="withdraw")
    try:
        services.application_withdraw(actor=request.user, application=application,
                                      reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "申请已撤回。")
    return redirect("appraisal:detail", pk=pk)


@permit("appraisal_application", "message")
def thread(request, pk: int):
    """留言: the applicant and the 鉴定管理员, both ways (the staff page links here too); an expert
    or the benefits desk does not read them (403)."""
    application = selectors.application_access(actor=request.user, pk=pk, action="message")
    error = None
    if request.method == "POST":
        try:
            services.message_add(actor=request.user, application=application, text=request.POST.get("text", ""))
        except DomainError as exc:
            error = exc.message if not isinstance(exc, FieldErrors) else "；".join(exc.errors.values())
        else:
            return redirect("appraisal:messages", pk=pk)
    for_staff = request.user.kind == Audience.STAFF
    rows = [selectors.message_dict(m, for_staff=for_staff)
            for m in selectors.messages_of(actor=request.user, application=application)]
    selectors.thread_seen(actor=request.user, application=application)
    return render(request, "appraisal/applicant/messages.html",
                  _detail_context(request, application, thread=rows, error=error,
                                  back_url=reverse("appraisal:staff_detail" if for_staff else "appraisal:detail",
                                                   args=[pk])),
                  status=422 if error else 200)


urlpatterns = [
    path("my/", my_list, name="my_list"),
    path("apply/<int:case_id>/", apply, name="apply"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/materials/", materials_page, name="materials"),
    path("<int:pk>/submit/", submit, name="submit"),
    path("<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("<int:pk>/messages/", thread, name="messages"),
]
