"""Serving evidence files to those who may see them: staff through the access model (their
统筹区 and the matrix), an outside account within its scope (the reporter, its employer, the
injured person), or a browser/API client holding a grant on the report."""

from django.http import Http404

from gongshang.accounts.access import get_for, public, restrict
from gongshang.accounts.choices import Audience
from gongshang.core.files.serving import stored_file_response

from ..models import QuickReportMedia
from ..services import access
from ..services import media as media_service

VARIANTS = {"original", "watermarked"}


def _user(request):
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        from gongshang.accounts.services.auth import api_token_resolve

        return api_token_resolve(header[7:].strip())
    return None


def _media(request, media_id, user) -> QuickReportMedia:
    """Staff: 404 outside their 统筹区, 403 for a role that may not see quick reports. Others: their
    own rows, or the report's grant; anything else the one 404."""
    media = QuickReportMedia.objects.select_related("report", "original", "watermarked")
    if user is not None and user.kind == Audience.STAFF:
        return get_for(user, media, media_id, "view")
    if user is not None:
        own = restrict(user, media, "view").filter(pk=media_id).first()
        if own is not None:
            return own
    found = media.filter(pk=media_id).first()
    if found is None or not access.has_access(request, report=found.report,
                                              token=request.headers.get("X-Quick-Report-Access", "")):
        raise Http404
    return found


@public  # staff and signed-in accounts are checked through the access model, others by grant (_media)
def media_file(request, media_id, variant):
    if variant not in VARIANTS:
        raise Http404
    media = _media(request, media_id, _user(request))
    stored = media.original if variant == "original" else media.watermarked
    if stored is None or (variant == "original" and not media_service.original_servable(media)):
        raise Http404  # a photo's original only after the task's full check
    # The original is the reporter's upload: a download. The watermarked copy is a JPEG we
    # re-encoded ourselves (photo or video poster): the only file shown inline.
    inline = variant == "watermarked"
    response = stored_file_response(stored, title=f"evidence-{media.pk}" + ("-watermarked" if inline else ""),
                                    inline=inline, cache_control="private, max-age=300")
    response["X-Content-SHA256"] = stored.sha256
    return response
