"""Background tasks of 劳动能力鉴定 (django-tasks finds them by this import path)."""

from django_tasks import task


@task()
def refresh_application_deadlines() -> int:
    """Nightly: store again the deadlines of every open application (the holiday calendar may have
    been entered or corrected since they were computed). Returns how many rows changed."""
    from .services.applications import applications_refresh_due

    return applications_refresh_due()
