"""Background tasks of 数据交换 (django-tasks finds them by this import path)."""

from django_tasks import task

from .services import batches


@task()
def process_exchange_batch(batch_id: int) -> str:
    """Process one received batch; returns its final status. Batches left processing by a dead
    worker are failed first (a restarted worker's first task finds them)."""
    batches.batch_sweep()
    return batches.batch_process(batch_id).status


@task()
def sweep_exchange_batches(grace_minutes: int = 5) -> int:
    """Safety net: fail the batches whose worker died and process received batches nobody picked up
    (`exchange_ingest --sweep` does the same from cron). Returns how many were processed."""
    batches.batch_sweep()
    return batches.batch_process_waiting(grace_minutes=grace_minutes)
