"""Shared by applicant and staff pages: the page context of one application, files."""

from django.shortcuts import get_object_or_404

from gongshang.cases.vault import vault_documents
from gongshang.core.files.serving import stored_file_response
from gongshang.core.pii.masking import mask_id_number, mask_mobile

from .. import deadlines, presenters, selectors
from ..choices import DECISION_DOCUMENT, MaterialKind, RecognitionDocumentKind
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
        "decision_kinds": list(DECISION_DOCUMENT.values()), "form_kind": RecognitionDocumentKind.APPLICATION_FORM,
        "due": due, "period": deadlines.application_period(application), "current": deadlines.current_due(application),
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


def document_record(application, document_id) -> RecognitionDocument:
    return get_object_or_404(RecognitionDocument.objects.select_related("document", "document__file"),
                             pk=document_id, application=application)
