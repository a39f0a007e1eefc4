"""Certificate PDFs (/api/v1/registry/certificates/...).

Each GET issues a new document (new verification code) and answers the PDF itself; the code and
the SHA-256 are also in the X-Verification-Code and X-Document-SHA256 headers.
"""

from django.http import HttpResponse
from ninja import Router

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.core.documents.selectors import document_pdf_bytes
from gongshang.core.errors import FieldErrors
from gongshang.registry.validation import parse_month

from . import services

router = Router(tags=["证明打印"], auth=bearer)

PDF_RESPONSE = {"responses": {200: {"description": "PDF 文件", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}


def _pdf(document) -> HttpResponse:
    response = HttpResponse(document_pdf_bytes(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.code}.pdf"'
    response["X-Verification-Code"] = document.code
    response["X-Document-SHA256"] = document.sha256
    return response


@router.get("/employer.pdf", summary="工伤保险单位参保证明（PDF）", openapi_extra=PDF_RESPONSE)
@api_permit("certificate", "issue_employer")
def employer_certificate(request):
    """仅限单位账户：本单位的工伤保险单位参保证明。"""
    return _pdf(services.employer_certificate_issue(actor=request.auth))


@router.get("/person/{id_number}.pdf", summary="个人参保证明（PDF）", openapi_extra=PDF_RESPONSE)
@api_permit("certificate", "issue_person")
def person_certificate(request, id_number: str):
    """单位账户：本单位参保人员；受理员：本统筹区人员。其他人员一律 404。"""
    return _pdf(services.person_certificate_issue(actor=request.auth, id_number=id_number))


@router.get("/changes.pdf", summary="人员增减员异动申报表（PDF）", openapi_extra=PDF_RESPONSE)
@api_permit("certificate", "issue_change_report")
def change_report(request, start_month: str, end_month: str):
    """仅限单位账户。start_month、end_month 为生效月份，格式 2026-01。"""
    start, end = parse_month(start_month), parse_month(end_month)
    errors = {}
    if start is None:
        errors["start_month"] = "起始月份格式应为 2026-01（年-月）"
    if end is None:
        errors["end_month"] = "截止月份格式应为 2026-06（年-月）"
    if errors:
        raise FieldErrors(errors)
    return _pdf(services.change_report_issue(actor=request.auth, start_month=start, end_month=end))
