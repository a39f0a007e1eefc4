"""Reads of the notifications outbox, scoped by the actor."""

from django.db.models import Q, QuerySet

from gongshang.accounts.choices import Audience
from gongshang.core.models import OutboxMessage
from gongshang.core.models.outbox import OutboxChannel, OutboxStatus


def outbox_message_list(*, actor, filters: dict | None = None) -> QuerySet[OutboxMessage]:
    """Messages a staff member may see: their jurisdiction's, plus platform-wide ones without a
    region (login codes and other account messages). Filters: status, channel."""
    if actor is None or not actor.is_authenticated or actor.kind != Audience.STAFF or not actor.jurisdiction:
        return OutboxMessage.objects.none()
    queryset = OutboxMessage.objects.filter(Q(region=actor.jurisdiction) | Q(region=""))
    filters = filters or {}
    if filters.get("status") in OutboxStatus.values:
        queryset = queryset.filter(status=filters["status"])
    if filters.get("channel") in OutboxChannel.values:
        queryset = queryset.filter(channel=filters["channel"])
    return queryset.order_by("-created_at", "-pk")
