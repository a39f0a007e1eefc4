"""Issuing and revoking documents. Every write here leaves an audit event."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.storage import store_upload
from gongshang.core.models import IssuedDocument

from . import codes
from .choices import DocumentErrorCode, DocumentEvent
from .rendering import issuer_name, qr_data_uri, render_pdf, verify_home_url, verify_url

MAX_PDF_BYTES = 50 * 1024 * 1024
CODE_ATTEMPTS = 5


def _unused_code() -> str:
    # 75 random bits make a clash practically impossible; the loop and the unique index make it
    # impossible in fact.
    for _ in range(CODE_ATTEMPTS):
        code = codes.new_code()
        if not IssuedDocument.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not draw an unused verification code")


def _document_context(*, code: str, title: str, region: str, issued_at, issuer: str = "") -> dict:
    return {
        "code": code,
        "code_display": codes.display(code),
        "title": title,
        "issuer_name": issuer or issuer_name(region),
        "issued_at": timezone.localtime(issued_at),
        "verify_url": verify_url(code),
        "verify_home_url": verify_home_url(),
        "qr_data_uri": qr_data_uri(verify_url(code)),
    }


def document_issue(*, actor, kind: str, title: str, template_name: str, context: dict, holder_summary: str,
                   region: str, facts=None, subject=None, issuer: str = "") -> IssuedDocument:
    """Render `template_name` (which extends documents/base_document.html) to PDF, store it and
    record it under a fresh verification code.

    The template receives `context` plus `document` (code, code_display, qr_data_uri, verify_url,
    issuer_name, issued_at, title). `holder_summary` and `facts` ([(label, value), …]) are shown
    on the public verification page, so they must already be masked. `subject` is the model
    instance the document is about (an employer, a person, a case). `issuer` names the authority
    when it is not the region's agency (a 认定决定书 is the 人社局's, 条例第二十条).
    """
    code = _unused_code()
    issued_at = timezone.now()
    doc_context = _document_context(code=code, title=title, region=region, issued_at=issued_at, issuer=issuer)
    pdf = render_pdf(template_name, {**context, "document": doc_context})
    upload = ContentFile(pdf, name=f"{title}.pdf")
    stored = store_upload(upload, allowed_types={"application/pdf"}, max_bytes=MAX_PDF_BYTES,
                          prefix="documents", actor=actor)
    try:
        with transaction.atomic():
            document = IssuedDocument.objects.create(
                kind=kind, title=title, code=code, sha256=hashlib.sha256(pdf).hexdigest(), file=stored,
                holder_summary=holder_summary, facts=[[str(k), str(v)] for k, v in (facts or [])],
                subject_type=subject._meta.label_lower if subject is not None else "",
                subject_id=str(subject.pk) if subject is not None else "",
                region=region, issuer_name=doc_context["issuer_name"],
                issued_by=actor if getattr(actor, "pk", None) else None, issued_at=issued_at,
            )
            record_event(actor=actor, event_type=DocumentEvent.ISSUED, target=document, region=region,
                         details={"kind": kind, "title": title, "sha256": document.sha256, "size": len(pdf)})
    except Exception:
        _discard(stored)
        raise
    return document


def _discard(stored) -> None:
    """No orphan PDF when the document row cannot be written."""
    default_storage.delete(stored.storage_path)
    stored.delete()


def document_revoke(*, actor, document: IssuedDocument, reason: str) -> IssuedDocument:
    """作废: the verification page then answers "已作废" with the reason; the file is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": DocumentErrorCode.REASON_REQUIRED.label})
    with transaction.atomic():
        document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if document.is_revoked:
            raise DomainError(DocumentErrorCode.ALREADY_REVOKED, status=409)
        document.revoked_at = timezone.now()
        document.revoke_reason = reason[:500]
        document.save(update_fields=["revoked_at", "revoke_reason"])
        record_event(actor=actor, event_type=DocumentEvent.REVOKED, target=document, region=document.region, details={"code": document.code, "reason": document.revoke_reason})
    return document
