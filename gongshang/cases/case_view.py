"""The one case page: everything about one case the reader may see, and one timeline across the
stages (quick report, case, recognition, benefits) as Chinese sentences written for that reader."""

from django.urls import reverse
from django.utils import timezone

from gongshang.accounts.access import restrict
from gongshang.accounts.choices import Audience
from gongshang.core.money import fen_str
from gongshang.core.pii.masking import mask_id_number, mask_mobile
from gongshang.integrations.selectors.hospitals import case_hospital_notices
from gongshang.medical.selectors.encounters import case_encounters
from gongshang.service.presenters.messages import thread_link
from gongshang.service.presenters.window import case_window_requests

from . import journey
from .presenters import actor_shown, case_event_sentence, shown_at


def _benefits_sentence(details: dict, names: dict) -> str:
    """The benefits event in words, naming the benefit (never the entitlement's database id)."""
    from gongshang.benefits.choices import EventType

    known = {str(code): str(label) for code, label in EventType.choices}
    label = known.get(str(details.get("benefits")), "") or "待遇办理"
    name = names.get(details.get("entitlement"))
    return f"{label}：{name}" if name else label


def _entitlement_names(case) -> dict:
    """{entitlement id: the benefit's name (and its recipient when not the injured worker)}."""
    from gongshang.benefits.models import Entitlement

    names = {}
    for e in Entitlement.objects.filter(case=case).only("pk", "benefit_type", "beneficiary_name"):
        name = str(e.get_benefit_type_display())
        if e.beneficiary_name and e.beneficiary_name != case.injured_name:
            name += f"（受领人 {e.beneficiary_name}）"
        names[e.pk] = name
    return names


def _case_items(case, *, for_staff: bool, documents_told: bool) -> list[dict]:
    """The case's own events; uploads are left out where the recognition timeline already tells them
    (上传材料：门诊病历 says more than 材料存入案件材料库)."""
    from .choices import CaseEventType
    from .selectors import case_timeline

    told = (CaseEventType.DOCUMENT_ADDED, CaseEventType.DOCUMENT_RETIRED) if documents_told else ()
    items, names = [], None
    for e in case_timeline(case=case):
        details = e.details or {}
        if e.event_type in told and details.get("source", "upload") == "upload":
            continue
        if details.get("benefits"):
            if names is None:
                names = _entitlement_names(case)
            text = _benefits_sentence(details, names)
        elif e.event_type == CaseEventType.DOCUMENT_ADDED and details.get("source") == "quick_report":
            text = "快报现场影像存入案件材料库，后续申请直接使用"
        else:
            text = case_event_sentence(e, for_staff=for_staff)
        stage = "待遇" if details.get("benefits") else "案件"
        items.append({"when": e.created_at, "stage": stage, "text": text, "by": actor_shown(e, for_staff=for_staff)})
    return items


def _report_items(report, *, for_staff: bool) -> list[dict]:
    from gongshang.quickreports import timeline_text
    from gongshang.quickreports.choices import ReportEventType

    hidden = () if for_staff else (ReportEventType.VIEWED, ReportEventType.ACCESS_CODE_SENT)
    return [{"when": e.created_at, "stage": "快报", "text": timeline_text.sentence(e, for_staff=for_staff),
             "by": actor_shown(e, for_staff=for_staff)}
            for e in report.events.select_related("actor").order_by("created_at", "pk") if e.event_type not in hidden]


def _application_items(application, *, for_staff: bool) -> list[dict]:
    from gongshang.recognition import timeline_text
    from gongshang.recognition.selectors import timeline

    return [{"when": e.created_at, "stage": "认定", "text": timeline_text.sentence(e, for_staff=for_staff),
             "by": actor_shown(e, for_staff=for_staff)} for e in timeline(application)]


def combined_timeline(*, case, report, applications, for_staff: bool) -> list[dict]:
    """One timeline, oldest first: {at, label (the stage), text, by} for cases/_timeline.html."""
    items = _case_items(case, for_staff=for_staff, documents_told=bool(applications))
    if report is not None:
        items += _report_items(report, for_staff=for_staff)
    for application in applications:
        items += _application_items(application, for_staff=for_staff)
    items.sort(key=lambda i: i["when"])
    return [{"at": shown_at(i["when"]), "label": i["stage"], "text": i["text"], "by": i["by"]} for i in items]


def _report_view(report, case) -> dict | None:
    if report is None:
        return None
    from gongshang.quickreports.presenters import media_url
    from gongshang.quickreports.selectors import all_media

    accident = report.accident
    return {"submitted_at": shown_at(report.submitted_at), "status_label": report.get_status_display(),
            "reporter_kind": report.get_reporter_kind_display(), "accident_at": shown_at(accident.occurred_at),
            "address": accident.address, "description": accident.description,
            "injured": {"name": case.injured_name, "id_number": mask_id_number(case.injured_id_number),
                        "mobile": mask_mobile(case.injured_mobile), "body_part": case.body_part,
                        "injury_type": case.injury_type},
            "media": [{"label": f"{m.get_kind_display()}（{shown_at(m.uploaded_at)}）",
                       "url": media_url(m, "watermarked" if m.watermarked_id else "original"),
                       "current": m.replaced_by_id is None} for m in all_media(report)],
            "closed_reason": report.closed_reason}


def _application_view(application, actor) -> dict:
    from gongshang.recognition.choices import DecisionResult

    return {"id": application.pk, "status_label": application.get_status_display(),
            "url": reverse("recognition:detail", args=[application.pk]),
            "applicant": application.get_applicant_kind_display(),
            "submitted_at": shown_at(application.submitted_at) if application.submitted_at else "",
            "accepted_on": application.accepted_on, "decided_on": application.decided_on,
            "delivered_on": application.delivered_on, "due_on": application.due_on, "due_label": application.due_label,
            "correction_items": [str(i) for i in application.correction_items or []],
            "decision": str(dict(DecisionResult.choices).get(application.decision_result, ""))
            if application.decision_result else "",
            "article": application.decision_article, "reasoning": application.decision_reasoning,
            "not_accepted_reason": application.not_accepted_reason}


def _appraisal_view(application, actor) -> dict:
    """One 劳动能力鉴定 application on the case page: status, every deadline, the link to its page."""
    from gongshang.appraisal.deadlines import all_due

    url = reverse("appraisal:staff_detail" if actor.kind == Audience.STAFF else "appraisal:detail",
                  args=[application.pk])
    return {"id": application.pk, "kind_label": application.get_kind_display(),
            "status_label": application.get_status_display(), "url": url,
            "deadlines": [{"label": d.label, "due": d.due, "basis": d.basis, "met": d.met, "days_left": d.days_left}
                          for d in all_due(application)]}


def _documents(*, actor, case, applications) -> list[dict]:
    """Issued documents and materials the reader may download, through the existing endpoints."""
    from gongshang.recognition.models import RecognitionDocument

    from .vault import vault_documents

    found = []
    issued = restrict(actor, RecognitionDocument.objects.filter(application__case=case)
                      .select_related("document"), "view").order_by("issued_at", "pk")
    for record in issued:
        if record.document.is_revoked:
            continue
        found.append({"title": record.document.title, "kind": "文书", "at": shown_at(record.issued_at),
                      "url": reverse("recognition:document_file", args=[record.application_id, record.pk])
                      + "?download=1"})
    if applications:
        via = applications[0].pk
        for doc in vault_documents(case=case, actor=actor):
            found.append({"title": doc.title or doc.kind, "kind": "材料", "at": shown_at(doc.uploaded_at),
                          "url": reverse("recognition:material_file", args=[via, doc.pk])})
    return found


def _entitlements(entitlements) -> list[dict]:
    return [{"name": e.get_benefit_type_display(), "amount": fen_str(e.amount),
             "monthly": e.period_kind == "monthly",
             "start_month": e.start_month, "payer": e.get_payer_display(), "status": e.get_status_display(),
             "beneficiary": e.beneficiary_name, "basis": e.basis, "formula": e.formula} for e in entitlements]


def case_page(*, actor, case) -> dict:
    """The context of the case page for `actor` (who loaded `case` through the access model)."""
    for_staff = actor.kind == Audience.STAFF
    report = journey.quick_report_of(actor=actor, case=case)
    applications = list(journey.applications_of(actor=actor, case=case))
    conclusion = journey.conclusion_of(case)
    entitlements = list(journey.entitlements_of(actor=actor, case=case))
    appraisals = list(journey.appraisal_applications_of(actor=actor, case=case))
    view = journey.case_journey(actor=actor, case=case, report=report, applications=applications,
                                conclusion=conclusion, entitlements=entitlements, appraisals=appraisals)
    return {
        "case": case, "journey": view, "for_staff": for_staff,
        "person_label": journey.person_label(case, for_employer=actor.kind != Audience.INDIVIDUAL),
        "report": _report_view(report, case),
        "report_note": ("本案件未经工伤快报，由认定申请建立。" if case.source == "application"
                        else "本案件来自工伤快报；快报内容由受理员、调查员查看。"),
        "applications": [_application_view(a, actor) for a in applications],
        "conclusion": conclusion,
        "appraisal_applications": [_appraisal_view(a, actor) for a in appraisals],
        "appraisal": next(s for s in view.stages if s.key == "appraisal"),
        "entitlements": _entitlements(entitlements),
        "payments": [journey.payment_dict(p) for p in journey.payments_of(actor=actor, case=case)[:24]],
        "medical_encounters": case_encounters(actor=actor, case=case),
        "window_requests": case_window_requests(actor=actor, case=case),  # 一窗受理 (service)
        "documents": _documents(actor=actor, case=case, applications=applications),
        "timeline": combined_timeline(case=case, report=report, applications=applications, for_staff=for_staff),
        "generated_at": timezone.localtime(),
        "message_thread": thread_link(actor=actor, case=case),  # 案件留言
        "hospital_notices": case_hospital_notices(actor=actor, case=case),  # 入出院通知 (None: not for this reader)
    }
