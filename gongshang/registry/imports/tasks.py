"""The background task of a roster import (django-tasks finds it by this import path)."""

from django_tasks import task

from .services import roster_import_run


@task()
def run_roster_import(import_id: int) -> str:
    """Validate and import one queued sheet; returns the final status."""
    return roster_import_run(import_id).status
