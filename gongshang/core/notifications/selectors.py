"""Reads of the notifications outbox, scoped by the actor."""

from django.db.models import QuerySet

from gongshang.accounts.access import restrict
from gongshang.core.models import OutboxMessage
from gongshang.core.models.outbox import OutboxChannel, OutboxStatus


def outbox_message_list(*, actor, filters: dict | None = None) -> QuerySet[OutboxMessage]:
    """Messages a system administrator may see: their jurisdiction's; platform-wide ones without a
    region (login codes and other account messages) only in the home region (OutboxMessage.access).
    Filters: status, channel."""
    queryset = restrict(actor, OutboxMessage, "view")
    filters = filters or {}
    if filters.get("status") in OutboxStatus.values:
        queryset = queryset.filter(status=filters["status"])
    if filters.get("channel") in OutboxChannel.values:
        queryset = queryset.filter(channel=filters["channel"])
    return queryset.order_by("-created_at", "-pk")
