"""Stored due dates follow the holiday calendar: lists read the dates stored on their rows, so when
the calendar changes (an override entered or removed, a year marked complete) and every night, the
apps that store due dates recompute them. Each app keeps its own refresh; this module only knows
their import paths (the kernel imports no app)."""

from django.utils.module_loading import import_string
from django_tasks import task

from gongshang.core.queue import enqueue_after_commit

# Each refresh recomputes the open rows of its app and writes only the rows whose values moved.
REFRESHERS = (
    "gongshang.recognition.services.transition.due_dates_refresh",
    "gongshang.appraisal.services.applications.applications_refresh_due",
    "gongshang.service.services.tickets.ticket_due_dates_refresh",
)


def refresh_all() -> dict[str, int]:
    """Run every refresh; returns how many rows each changed (by its import path)."""
    return {path: import_string(path)() for path in REFRESHERS}


@task()
def refresh_stored_due_dates() -> dict[str, int]:
    return refresh_all()


def enqueue_refresh_after_commit() -> None:
    """Queue the refresh so it runs once the calendar change commits; when the queue refuses it the
    nightly run catches up (the change itself is saved either way)."""
    enqueue_after_commit(refresh_stored_due_dates.enqueue,
                         what="stored due dates after a calendar change (the nightly run will refresh)")
