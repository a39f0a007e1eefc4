"""Unmasked views of personal information: every staff view is logged (PiiAccessLog)."""

from gongshang.core.models import PiiAccessLog


def reveal(*, actor, obj, field: str, purpose: str = "") -> str:
    """Return the unmasked value of `obj.<field>`, logging the view when the actor is staff."""
    value = getattr(obj, field) or ""
    if getattr(actor, "is_staff_user", False):
        PiiAccessLog.objects.create(
            actor=actor,
            target_type=obj._meta.label_lower,
            target_id=str(obj.pk),
            field=field,
            purpose=purpose[:200],
        )
    return value
