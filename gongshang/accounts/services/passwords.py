"""New passwords are checked by settings.AUTH_PASSWORD_VALIDATORS (length, common-password list,
numeric-only, similarity) and the messages name the field."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from gongshang.core.errors import FieldErrors


def check_new_password(password: str, *, user=None, field: str = "password", errors: dict | None = None) -> None:
    """Raise FieldErrors, or with `errors` given, add the message there (to report all at once)."""
    try:
        validate_password(password or "", user=user)
    except ValidationError as exc:
        if errors is None:
            raise FieldErrors({field: "；".join(exc.messages)}) from exc
        errors[field] = "；".join(exc.messages)
