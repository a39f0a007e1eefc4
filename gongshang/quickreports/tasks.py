"""Background work of 工伤快报 (django-tasks finds it by this import path): the watermarked copies
and video posters, derived from the stored originals after the report has answered."""

from django_tasks import task


@task()
def derive_watermarks(media_ids: list[int]) -> int:
    from .services.watermarks import derive

    return derive(media_ids)


@task()
def derive_missing_watermarks() -> int:
    """The sweep: copies still missing a few minutes after upload (a lost job, a stopped worker)."""
    from .services.watermarks import derive_missing

    return derive_missing()
