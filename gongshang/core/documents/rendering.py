"""HTML → PDF with WeasyPrint, and the QR code printed on every issued document.

Templates extend documents/base_document.html (A4, CJK font, header, footer with the code).
Only data: URIs and installed font files are fetched while rendering: a template can never make
the server fetch an outside address or read a local file (no SSRF through a document), and
rendering needs no network.
"""

import base64
import io
import logging
import posixpath
from urllib.parse import unquote, urlsplit

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from gongshang.core.errors import DomainError
from gongshang.core.regions import full_name

from .choices import DocumentErrorCode

logger = logging.getLogger(__name__)

# Only when neither the setting nor a request says where the server is (a command in development).
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"


def public_base_url(request=None) -> str:
    """PUBLIC_BASE_URL (production refuses to start without it); unset in development, the address
    the request came to, so a document issued through http://192.168.1.5:9000 points there (the
    services read it from the audit context set for the request)."""
    configured = str(getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    if configured:
        return configured
    build = getattr(request, "build_absolute_uri", None)
    if build is not None:
        return build("/").rstrip("/")
    from gongshang.core.audit.context import current

    return current().base_url or DEFAULT_PUBLIC_BASE_URL


def verify_url(code: str, request=None) -> str:
    """The absolute address of the public verification page for `code` (what the QR holds)."""
    return public_base_url(request) + reverse("verify:detail", args=[code])


def verify_home_url(request=None) -> str:
    return public_base_url(request) + reverse("verify:home")


def issuer_name(region: str) -> str:
    """The agency named on documents of a 统筹区; settings.DOCUMENT_ISSUER_NAMES overrides it."""
    names = getattr(settings, "DOCUMENT_ISSUER_NAMES", {}) or {}
    if names.get(region):
        return names[region]
    place = full_name(region) if region else ""
    return f"{place}社会保险经办机构" if place else "社会保险经办机构"


def qr_data_uri(text: str) -> str:
    """A PNG QR code as a data: URI, sized for print (error correction M survives a smudge)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


FONT_DIRS = ("/usr/share/fonts/", "/usr/local/share/fonts/")


def data_only_fetcher():
    """A WeasyPrint fetcher for data: URIs and installed font files only (@font-face local()
    resolves to a file: URL); http, https, ftp and any other file are refused."""
    from weasyprint.urls import URLFetcher

    class DataAndFontsFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = posixpath.normpath(unquote(urlsplit(url).path))
                if not path.startswith(FONT_DIRS):
                    raise ValueError(f"URI uses disallowed protocol: {url[:80]}")
            return super().fetch(url, headers)

    return DataAndFontsFetcher(allowed_protocols={"data", "file"}, timeout=1, allow_redirects=False)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a document template to PDF bytes; a failure is a DomainError, never a 500."""
    from weasyprint import HTML  # imported on first use: it takes ~1 s to load

    html = render_to_string(template_name, context)
    try:
        return HTML(string=html, url_fetcher=data_only_fetcher(), base_url=".").write_pdf()
    except Exception as exc:  # WeasyPrint raises many types; the person needs one answer
        logger.exception("rendering %s failed", template_name)
        raise DomainError(DocumentErrorCode.RENDER_FAILED, status=503) from exc
