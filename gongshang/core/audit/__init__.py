"""Recording audit events. Call inside the business transaction so the event and the change
land together (or not at all)."""

from gongshang.core.models import AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


def record_event(*, actor, event_type: str, target=None, details: dict | None = None, request=None,
                 actor_label: str = "", region: str = "") -> AuditEvent:
    """Append one audit event. `actor` may be None (anonymous); `target` any model instance."""
    user = actor if getattr(actor, "pk", None) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=actor_label or (user.get_username() if user else ""),
        event_type=event_type,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        region=region or (getattr(user, "jurisdiction", "") or ""),
        ip=client_ip(request),
        details=details or {},
    )
