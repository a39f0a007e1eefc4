"""The shapes of 案件留言 for pages and the API (one dict per message; times in local time)."""

from django.urls import reverse
from django.utils import timezone

from gongshang.core.pii.masking import mask_name


def iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def shown(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def attachment_dict(message) -> dict | None:
    document = message.attachment
    if document is None:
        return None
    stored = document.file
    return {"id": document.pk, "title": document.title or stored.original_name, "content_type": stored.content_type,
            "size": stored.size, "is_image": stored.content_type.startswith("image/"),
            "url": reverse("service:message_attachment", args=[message.case.number, message.pk])}


def message_dict(message, *, actor) -> dict:
    """One message as its reader sees it: `mine` is the reader's side (its own side's messages are on
    the right), `read` whether the other side has read it."""
    reader_is_staff = getattr(actor, "kind", None) == "staff"
    return {
        "id": message.pk, "case_number": message.case.number, "from_staff": message.from_staff,
        "mine": message.from_staff == reader_is_staff,
        "author": message.author_label or ("经办人员" if message.from_staff else "申请人"),
        "text": message.text or "", "attachment": attachment_dict(message),
        "created_at": iso(message.created_at), "created_shown": shown(message.created_at),
        "read": message.read_at is not None, "read_at": iso(message.read_at),
        "correction": message.turned_into_correction,
    }


def thread_dict(*, case, messages, actor, unread: int) -> dict:
    return {"case_number": case.number, "unread": unread, "count": len(messages),
            "items": [message_dict(m, actor=actor) for m in messages]}


def case_line(case) -> dict:
    """A case in a list: its number and the injured worker's masked name."""
    return {"number": case.number, "name": mask_name(case.injured_name) or "（未填姓名）",
            "url": reverse("service:message_thread", args=[case.number])}


def thread_link(*, actor, case) -> dict:
    """For the case page's include (service/messages/_case_thread_link.html): the link and the unread
    count, or {} when the reader does not take part in case messages."""
    from gongshang.accounts.access import may

    from ..selectors.messages import unread_count

    if not may(actor, "case_message", "view"):
        return {}
    return {"url": reverse("service:message_thread", args=[case.number]),
            "unread": unread_count(actor=actor, case=case)}
