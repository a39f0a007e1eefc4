"""Serving evidence files to those who may see them: staff of the jurisdiction, the reporter, or a
browser/API client holding a grant on the report."""

from django.http import Http404

from gongshang.accounts.choices import Audience
from gongshang.core.files.serving import stored_file_response

from .. import selectors
from ..models import QuickReportMedia
from ..permissions import INBOX_ROLES
from ..services import access


def _user(request):
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        from gongshang.accounts.services.auth import api_token_resolve

        return api_token_resolve(header[7:].strip())
    return None


def _allowed(request, media, user) -> bool:
    report = media.report
    if user is not None and user.kind == Audience.STAFF:
        return user.has_role(*INBOX_ROLES) and selectors.quick_report_list(actor=user).filter(pk=report.pk).exists()
    return access.has_access(request, report=report, user=user,
                             token=request.headers.get("X-Quick-Report-Access", ""))


def media_file(request, media_id, variant):
    media = QuickReportMedia.objects.select_related("report", "original", "watermarked").filter(pk=media_id).first()
    if media is None or variant not in {"original", "watermarked"} or not _allowed(request, media, _user(request)):
        raise Http404
    stored = media.original if variant == "original" else media.watermarked
    if stored is None:
        raise Http404
    # The original is the reporter's upload: a download. The watermarked copy is a JPEG we
    # re-encoded ourselves (photo or video poster): the only file shown inline.
    inline = variant == "watermarked"
    response = stored_file_response(stored, title=f"evidence-{media.pk}" + ("-watermarked" if inline else ""),
                                    inline=inline, cache_control="private, max-age=300")
    response["X-Content-SHA256"] = stored.sha256
    return response
