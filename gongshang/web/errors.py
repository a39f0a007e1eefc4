"""Putting a DomainError onto a Django form: field errors beside their fields, the rest on top."""

from gongshang.core.errors import DomainError, FieldErrors


def add_errors_to_form(form, exc: DomainError) -> None:
    pairs = []
    if isinstance(exc, FieldErrors):
        pairs = list(exc.errors.items())
    elif isinstance(exc.details, list):
        pairs = [(d.get("field"), d.get("message")) for d in exc.details if isinstance(d, dict)]
    placed = False
    for field, message in pairs:
        if field in form.fields:
            form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
