"""Shared by applicant and staff pages: the page context of one application, files."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404

from gongshang.cases.vault import vault_documents
from gongshang.core.files.storage import open_stored
from gongshang.core.pii.masking import mask_id_number, mask_mobile

from .. import deadlines, presenters, selectors
from ..choices import DECISION_DOCUMENT, MaterialKind
from ..models import RecognitionDocument
from ..rules import workflow

MATERIAL_LABELS = dict(MaterialKind.choices) | {"agency_investigation_report": "调查报告（经办）"}


def detail_context(application, *, staff: bool = False) -> dict:
    """`staff=False` (applicants): agency-internal materials (investigation report…) are left out."""
    due = deadlines.all_due(application)
    return {
        "application": application, "case": application.case, "checklist": selectors.checklist(application),
        "materials": [{"doc": d, "label": MATERIAL_LABELS.get(d.kind, d.kind)}
                      for d in vault_documents(case=application.case, include_internal=staff)],
        "materials_editable": application.status in workflow.EDITABLE,
        "masked_id": mask_id_number(application.injured_id_number),
        "applicant_mobile_masked": mask_mobile(application.applicant_mobile),
        "withdrawable": workflow.can_transition(application.status, workflow.WITHDRAWN),
        "decision_kinds": list(DECISION_DOCUMENT.values()),
        "due": due, "period": deadlines.application_period(application), "current": deadlines.current_due(application),
        "timeline": [presenters.event_dict(e) for e in selectors.timeline(application)],
        "documents": list(selectors.documents(application)),
    }


def stored_response(stored, *, download: bool, filename: str):
    return FileResponse(open_stored(stored), content_type=stored.content_type, as_attachment=download,
                        filename=filename)


def document_record(application, document_id) -> RecognitionDocument:
    return get_object_or_404(RecognitionDocument.objects.select_related("document", "document__file"),
                             pk=document_id, application=application)
