"""Stored due dates follow the holiday calendar: lists read the dates stored on their rows, so when
the calendar changes (an override entered or removed, a year marked complete) and every night, the
apps that store due dates recompute them. Each app keeps its own refresh; this module only knows
their import paths (the kernel imports no app)."""

import logging

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)

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
    """After the calendar change commits, hand the refresh to the task queue; when that fails the
    nightly run catches up (the change itself is saved either way)."""
    def enqueue():
        try:
            refresh_stored_due_dates.enqueue()
        except Exception:
            logger.exception("stored due dates: enqueue after a calendar change failed; the nightly run will refresh")

    transaction.on_commit(enqueue)
