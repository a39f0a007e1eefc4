"""Reads of issued documents: the public lookup by code, and the scoped lists for signed-in users."""

import hashlib
import hmac

from django.conf import settings

from gongshang.accounts.access import get_for, restrict
from gongshang.core.audit.context import current
from gongshang.core.files.storage import open_stored
from gongshang.core.models import IssuedDocument
from gongshang.core.models.documents import CERTIFICATE_KINDS
from gongshang.core.ratelimit import hit

from . import codes

DEFAULT_VERIFY_LIMIT = 30
DEFAULT_VERIFY_WINDOW_SECONDS = 600
MAX_CHECK_BYTES = 50 * 1024 * 1024


def document_by_code(code: str) -> IssuedDocument | None:
    """The document for a code as typed (any case, with or without dashes), or None.

    Malformed codes and codes nobody was issued give the same None: callers answer both alike.
    """
    normalized = codes.normalize(code)
    if not codes.is_well_formed(normalized):
        return None
    return IssuedDocument.objects.select_related("file").filter(code=normalized).first()


def certificate_list(*, actor):
    """Certificates the actor may see: staff (受理员) their jurisdiction's, an employer those its
    handlers printed. Issued documents of other kinds are served by their own models."""
    return restrict(actor, IssuedDocument, "view")


def certificate_get(*, actor, document_id: int) -> IssuedDocument:
    """One certificate; any other kind of issued document answers 404 here, like a missing one."""
    return get_for(actor, IssuedDocument.objects.filter(CERTIFICATE_KINDS).select_related("file"), document_id,
                   "view")


def verify_rate_check() -> None:
    """Count one verification from this client IP; RateLimited past settings.DOCUMENT_VERIFY_LIMIT
    per DOCUMENT_VERIFY_WINDOW_SECONDS, so that codes cannot be tried by the thousand."""
    limit = int(getattr(settings, "DOCUMENT_VERIFY_LIMIT", DEFAULT_VERIFY_LIMIT))
    window = int(getattr(settings, "DOCUMENT_VERIFY_WINDOW_SECONDS", DEFAULT_VERIFY_WINDOW_SECONDS))
    minutes = max(window // 60, 1)
    hit(f"doc-verify:{current().network or 'unknown'}", limit=limit, window_seconds=window,
        message=f"核验次数过多，请 {minutes} 分钟后再试。如需批量核验，请联系出具机构。")


def file_matches(document: IssuedDocument, uploaded_file) -> bool:
    """Whether an uploaded file is byte for byte the PDF issued (SHA-256), read in chunks."""
    digest = hashlib.sha256()
    size = 0
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > MAX_CHECK_BYTES:
            return False
        digest.update(chunk)
    return hmac.compare_digest(digest.hexdigest(), document.sha256)


def document_pdf_bytes(document: IssuedDocument) -> bytes:
    with open_stored(document.file) as handle:
        return handle.read()
