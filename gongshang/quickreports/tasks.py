"""Background work of 工伤快报 (django-tasks finds it by this import path): the watermarked copies
and video posters, derived from the stored originals after the report has answered, and the
identity checks of its injured workers."""

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


@task()
def check_identities_later(case_ids: list[int], actor_id: int | None, region: str, ip: str | None = None,
                           network: str | None = None) -> None:
    """身份核验 of a report's injured workers, after the report has answered."""
    from .services.people import run_identity_checks

    run_identity_checks(case_ids, actor_id, region, ip, network)
