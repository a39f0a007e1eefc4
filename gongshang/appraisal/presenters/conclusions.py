"""Shapes of a conclusion and a published line for the API and pages, and the file responses."""

from django.http import HttpResponse

from gongshang.cases.models_vault import CaseDocument
from gongshang.core.files.serving import content_disposition, stored_file_response

from ..rules import conclusions as rules
from ..services.conclusions import label_of, second_appraisal_until


def conclusion_out(c) -> dict:
    return {
        "id": c.pk, "application_id": c.application_id, "case_number": c.case.number, "kind": c.application.kind,
        "number": c.number, "grade": c.grade, "grade_label": rules.grade_label(c.grade), "self_care": c.self_care,
        "leave_extension_months": c.leave_extension_months, "confirmed": c.confirmed,
        "confirmation_detail": c.confirmation_detail, "result_label": label_of(c), "basis": c.basis or {},
        "concluded_on": c.concluded_on, "provincial": c.provincial,
        "supersedes_number": c.supersedes.number if c.supersedes_id else None,
        "verification_code": c.document.code if c.document_id else None,
        "pdf_url": f"/api/v1/appraisal/applications/{c.application_id}/conclusion.pdf",
        "delivery_method": c.delivery_method, "tracking_number": c.tracking_number, "received_on": c.received_on,
        "second_appraisal_until": second_appraisal_until(c), "status": c.application.status,
    }


def publication_out(item: dict) -> dict:
    return {"id": item["pk"], "batch": item["batch__number"], "region": item["region"],
            "masked_name": item["masked_name"], "employer_name": item["employer_name"],
            "kind_label": item["kind_label"], "result_label": item["result_label"],
            "published_on": item["published_on"], "visible_until": item["visible_until"]}


def conclusion_stored_file(c):
    """The 结论书: the PDF we issued, or the provincial committee's document in the case's vault."""
    if c.document_id:
        return c.document.file, f"{c.document.title}-{c.document.code}"
    doc_id = (c.basis or {}).get("provincial_document")
    doc = CaseDocument.objects.select_related("file").filter(pk=doc_id).first() if doc_id else None
    return (doc.file, f"省级劳动能力鉴定结论书-{c.number}") if doc else (None, "")


def conclusion_file_response(c, *, download: bool):
    from gongshang.core.errors import NotFound

    stored, title = conclusion_stored_file(c)
    if stored is None:
        raise NotFound("该结论没有结论书文件。")
    if c.document_id:  # ours: may open in the browser's PDF viewer
        return stored_file_response(stored, title=title, inline=not download, sandbox=False)
    return stored_file_response(stored, title=title)  # an upload: attachment, sandboxed


def zip_response(content: bytes, application) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(f"再次鉴定案卷-{application.case.number}-{application.pk}.zip")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
