"""The background task of a roster import (django-tasks finds it by this import path)."""

from django_tasks import task

from . import leases
from .services import roster_import_run


@task()
def run_roster_import(import_id: int) -> str:
    """Validate and import one queued sheet; returns the final status. Imports left running by
    a dead worker are failed first (a restarted worker's first task finds them)."""
    leases.sweep()
    return roster_import_run(import_id).status
