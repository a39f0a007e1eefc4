"""一窗受理 as the pages, the API and the receipt show it: each matter with its status, its statutory
date and basis, and what was created for it (the appraisal application, the benefits case); names
masked; the actions the reader may take (templates never compare status strings)."""

from django.urls import reverse
from django.utils import timezone

from gongshang.accounts.access import may
from gongshang.accounts.choices import Audience
from gongshang.core.pii.masking import mask_name
from gongshang.core.workdays.calendar import days_left

from ..choices import MatterKind, MatterStatus, WindowChannel, WindowRequestStatus
from ..rules import window as rules


def _target(matter, actor) -> dict:
    """What the follow-on matter created: its own status and a link the reader may open."""
    if matter.target_id is None or matter.status not in (rules.CREATED, rules.DONE):
        return {"label": "", "url": ""}
    staff = actor is not None and actor.kind == Audience.STAFF
    if matter.kind == MatterKind.APPRAISAL:
        from gongshang.appraisal.models import AppraisalApplication

        found = AppraisalApplication.objects.filter(pk=matter.target_id).only("status").first()
        if found is None:
            return {"label": "", "url": ""}
        allowed = may(actor, "appraisal_application", "view") if actor is not None else False
        url = reverse("appraisal:staff_detail" if staff else "appraisal:detail", args=[found.pk]) if allowed else ""
        return {"label": f"鉴定申请：{found.get_status_display()}", "url": url}
    if matter.kind == MatterKind.BENEFITS:
        allowed = staff and may(actor, "entitlement", "create")
        return {"label": "待遇审核员办理中", "url": reverse("benefits:case_benefits", args=[matter.target_id])
                if allowed else ""}
    return {"label": "", "url": ""}


def _status_label(matter, request) -> str:
    if matter.kind == MatterKind.RECOGNITION and matter.status == rules.ACCEPTED:
        return f"认定申请：{request.recognition.get_status_display()}"
    return str(MatterStatus(matter.status).label)


def matter_dict(matter, request, actor=None, today=None) -> dict:
    today = today or timezone.localdate()
    open_ = matter.status in (rules.ACCEPTED, *rules.OPEN_FOLLOW_ON)
    due, basis = matter.due_date, matter.due_basis
    if matter.kind == MatterKind.RECOGNITION and matter.status == rules.ACCEPTED:
        # Live from the recognition app: the acceptance deadline until accepted, then the decision's
        # (条例 第二十条), moved by any 中止; the date stored at registration goes stale.
        from ..services.window import recognition_due

        due, basis = recognition_due(request.recognition)
        due = due or matter.due_date
    actions = []
    if actor is not None and matter.status in rules.OPEN_FOLLOW_ON \
            and request.recognition.status not in rules.RECOGNITION_ENDED:
        if may(actor, "window_request", "prepare") and matter.status == rules.WAITING \
                and not rules.desk_errors(matter.kind, getattr(actor, "role_codes", ())):
            actions.append("prepare")
        if may(actor, "window_request", "withdraw"):
            actions.append("withdraw")
    return {
        "kind": matter.kind, "kind_label": str(MatterKind(matter.kind).label),
        "status": matter.status, "status_label": _status_label(matter, request),
        "due_date": due, "due_basis": basis,
        "days_left": days_left(due, today) if (due and open_) else None,
        "note": matter.note, "prepared_at": matter.prepared_at,
        "prepared_by": str(matter.prepared_by) if matter.prepared_by_id else "",
        "target": _target(matter, actor), "actions": actions,
    }


def request_dict(request, actor=None, today=None) -> dict:
    case = request.case
    return {
        "id": request.pk, "case_number": case.number, "case_id": case.pk,
        "injured_name": mask_name(case.injured_name), "employer_name": getattr(case.employer, "name", "") or "",
        "channel": request.channel, "channel_label": str(WindowChannel(request.channel).label),
        "status": request.status, "status_label": str(WindowRequestStatus(request.status).label),
        "wants_appraisal": request.wants_appraisal, "injury_stable": request.injury_stable,
        "wants_benefits": request.wants_benefits, "created_at": timezone.localtime(request.created_at),
        "recognition_id": request.recognition_id,
        "matters": [matter_dict(m, request, actor, today) for m in request.matters.select_related("prepared_by")
                    .order_by("pk")],
        "can_receipt": actor is not None and may(actor, "window_request", "receipt"),
    }


def queue_row(matter, actor=None, today=None) -> dict:
    request = matter.request
    return {**matter_dict(matter, request, actor, today), "request_id": request.pk,
            "case_number": request.case.number, "injured_name": mask_name(request.case.injured_name),
            "recognition_status": request.recognition.get_status_display()}


def next_steps(request) -> list[str]:
    """What happens next, in sentences for the applicant (pages and the receipt)."""
    if request.status == WindowRequestStatus.NOT_RECOGNISED:
        return ["认定结论不是工伤，劳动能力鉴定和待遇事项不再办理。对认定结论不服的，可依法申请行政复议或提起行政诉讼。"]
    if request.recognition.status in rules.RECOGNITION_ENDED:
        return [f"工伤认定申请{request.recognition.get_status_display()}，劳动能力鉴定和待遇事项不会自动发起；"
                "如需办理，请重新提出工伤认定申请，已提交的材料可继续使用。"]
    steps = []
    if request.status == WindowRequestStatus.WAITING_RECOGNITION:
        steps.append("工伤认定由经办机构办理，认定决定作出后会短信通知您。")
        if request.wants_appraisal:
            steps.append("认定为工伤后，平台用已提交的材料自动提出劳动能力鉴定申请，您无需再次申请或重复交材料。"
                         if request.injury_stable else
                         "认定为工伤后，待伤情相对稳定即可提出劳动能力鉴定申请，已提交的材料无需重复提交。")
        if request.wants_benefits:
            steps.append("认定为工伤后，待遇事项自动转待遇审核员办理；鉴定结论作出后平台自动计算伤残待遇。")
    else:
        steps.append("后续事项已自动发起，请留意短信通知和本页各事项的办理状态。")
    return steps


def case_window_requests(*, actor, case) -> list[dict]:
    """The one-window requests of `case` for the one-case page (section include)."""
    from ..selectors.window import requests_of_case

    return [{**request_dict(r, actor), "next_steps": next_steps(r)} for r in requests_of_case(actor=actor, case=case)]


def receipt_context(request, actor=None) -> dict:
    """The one receipt (一窗受理回执): every matter, its status and statutory date, the case number."""
    from gongshang.core.documents.rendering import issuer_name
    from gongshang.core.pii.masking import mask_id_number

    view = request_dict(request, actor)
    return {"r": view, "next_steps": next_steps(request), "issuer": issuer_name(request.region),
            "masked_id": mask_id_number(request.case.injured_id_number),
            "accepted_by": str(request.accepted_by) if request.accepted_by_id else "",
            "printed_at": timezone.localtime()}


def receipt_pdf(request, actor=None) -> bytes:
    from gongshang.core.documents.rendering import render_pdf

    return render_pdf("service/window/pdf_receipt.html", receipt_context(request, actor))
