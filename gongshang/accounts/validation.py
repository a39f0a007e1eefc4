"""Collecting every field error of a request before refusing it (一次性告知)."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError

from gongshang.core.errors import FieldErrors


def validated(errors: dict, field: str, validator, value):
    """Run a kernel validator; on failure record its message under `field` and return the input."""
    try:
        return validator(value)
    except ValidationError as exc:
        errors[field] = "；".join(exc.messages)
        return value


@contextmanager
def collect():
    """`with collect() as errors:` — raise one FieldErrors with everything found in the block."""
    errors: dict[str, str] = {}
    yield errors
    if errors:
        raise FieldErrors(errors)
