"""Shared by applicant and staff pages: the page context of one application, files."""

from gongshang.accounts.access import allowed_actions
from gongshang.accounts.choices import Audience
from gongshang.core.files.serving import stored_file_response
from gongshang.core.pii.masking import mask_id_number, mask_mobile

from .. import deadlines, presenters, selectors
from ..choices import DECISION_DOCUMENT, MaterialKind, RecognitionDocumentKind
from ..rules import periods

MATERIAL_LABELS = dict(MaterialKind.choices) | {"agency_investigation_report": "调查报告（经办）"}
# The application period line is shown as urgent unless it is in time (css class by status).
PERIOD_CSS = {periods.EXPIRED: "rc-urgent", periods.EMPLOYER_LATE: "rc-urgent"}


def actions_of(actor, application) -> frozenset[str]:
    """What `actor` may do on the page now: the matrix, the owner/assignee condition and the status
    table; the period extension also by the application period's own table."""
    actions = set(allowed_actions(actor, application))
    if (not periods.PERIOD_WORKFLOW.can("period_extension", application.period_status)
            or application.status not in periods.EXTENSION_STATUSES):
        actions.discard("period_extension")
    return frozenset(actions)


def period_notice(application) -> str:
    """What staff are told next to the period-extension form."""
    if application.period_status == periods.EXPIRED:
        due = f"（截止 {application.period_due:%Y-%m-%d}）" if application.period_due else ""
        return (f"申请人已超过申请时限{due}，提交被拒。如有不可抗力等正当理由，请登记准予延长的理由，"
                "申请人即可提交。")
    return "用人单位逾期申请。"


def detail_context(application, *, actor) -> dict:
    """The page of one application for `actor`: the materials it may see (agency-internal papers
    only for the desk), and `actions`, the buttons it may press now."""
    due = deadlines.all_due(application)
    period = deadlines.application_period(application)
    staff = actor.kind == Audience.STAFF
    return {
        "application": application, "case": application.case, "checklist": selectors.checklist(application),
        "materials": [{"doc": d, "label": MATERIAL_LABELS.get(d.kind, d.kind)}
                      for d in selectors.materials_of(actor=actor, application=application)],
        "actions": actions_of(actor, application),
        "masked_id": mask_id_number(application.injured_id_number),
        "applicant_mobile_masked": mask_mobile(application.applicant_mobile),
        "decision_kinds": list(DECISION_DOCUMENT.values()), "form_kind": RecognitionDocumentKind.APPLICATION_FORM,
        "due": due, "period": period, "period_css": PERIOD_CSS.get(period.status, "") if period else "",
        "period_notice": period_notice(application), "current": deadlines.current_due(application),
        "timeline": [presenters.event_dict(e, for_staff=staff) for e in selectors.timeline(application)],
        "documents": list(selectors.documents(application)),
    }


def issued_document_response(record, *, download: bool):
    """A PDF we generated (notice, decision): ours, so it may open in the browser's PDF viewer."""
    document = record.document
    return stored_file_response(document.file, title=f"{document.title}-{document.code}", inline=not download,
                                sandbox=False)


def material_response(document):
    """An uploaded material: always an attachment, sandboxed, under its cleaned name."""
    return stored_file_response(document.file)
