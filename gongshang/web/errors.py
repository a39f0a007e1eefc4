"""Putting a DomainError onto a Django form: field errors beside their fields, the rest on top."""

from gongshang.core.errors import DomainError, FieldErrors


def add_errors_to_form(form, exc: DomainError) -> None:
    pairs = []
    if isinstance(exc, FieldErrors):
        pairs = list(exc.errors.items())
    elif isinstance(exc.details, list):
        pairs = [(d.get("field"), d.get("message")) for d in exc.details if isinstance(d, dict)]
    for field, message in pairs:
        # A message about a field this form does not show (a dependant, a parameter, a registry
        # check) goes on top rather than being lost.
        form.add_error(field if field in form.fields else None, message)
    if not pairs:
        form.add_error(None, exc.message)


def flash_refusal(request, exc: DomainError) -> None:
    """A refusal shown beside the page the user came from (a state that changed, a missing
    field), except "not found" and "not allowed": those answer with their own page (404/403), so
    the answer to another 统筹区's or another employer's record never depends on the form."""
    from django.contrib import messages

    if exc.status in (403, 404):
        raise exc
    messages.error(request, "；".join(getattr(exc, "errors", {}).values()) or exc.message)
