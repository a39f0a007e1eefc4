"""Enqueue a background task that must run only if the caller's transaction commits.

With the database task backend the job is a row in the same database: it is inserted inside the
caller's transaction (under a savepoint), so it commits or rolls back with the data it refers to,
and a request that queues several jobs commits once instead of once per job. With any other
backend (Redis, immediate) the job is handed over after the commit, as before.

`batched_jobs()` around a write that queues several jobs (a quick report queues four) writes them
with one multi-row INSERT under one savepoint when the block ends, instead of a savepoint, an
INSERT and a release each.
"""

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import signals
from django_tasks import task_backends

logger = logging.getLogger(__name__)

DATABASE_BACKEND = "django_tasks_db.backend.DatabaseBackend"


def jobs_share_the_transaction() -> bool:
    """True when a job enqueued now is written by the caller's open transaction."""
    backend = type(task_backends["default"])
    return (f"{backend.__module__}.{backend.__qualname__}" == DATABASE_BACKEND
            and connection.in_atomic_block)


@dataclass
class _Batch:
    level: list  # the savepoints open where the batch began: only jobs queued at that level join it
    jobs: list = field(default_factory=list)  # (enqueue, what, on_error)


_local = threading.local()


def _joinable_batch() -> _Batch | None:
    """The open batch, if a job queued now can wait for its end: queued at the batch's own level.
    A job queued inside a nested atomic block is written at once as before, since that block may
    roll back without the batch's block."""
    batch = getattr(_local, "batch", None)
    if batch is None or not jobs_share_the_transaction() or list(connection.savepoint_ids) != batch.level:
        return None
    return batch


def enqueue_after_commit(enqueue: Callable[[], object], *, what: str,
                         on_error: Callable[[], object] | None = None) -> None:
    """Run `enqueue` (which queues the job) so the job exists only once the data is committed.

    A queue that refuses the job never breaks the caller: the failure is logged with `what`, and
    `on_error` (e.g. do the work at once, or leave it to a sweep) runs after the commit."""
    batch = _joinable_batch()
    if batch is not None:
        batch.jobs.append((enqueue, what, on_error))
        return
    if jobs_share_the_transaction():
        try:
            with transaction.atomic():
                enqueue()
        except Exception:
            logger.exception("%s: enqueue failed", what)
            if on_error is not None:
                transaction.on_commit(on_error)
        return

    def after_commit():
        try:
            enqueue()
        except Exception:
            logger.exception("%s: enqueue failed", what)
            if on_error is not None:
                on_error()

    transaction.on_commit(after_commit)


@contextmanager
def batched_jobs():
    """Inside an atomic block: the jobs queued in this block (database backend) are written together
    when it ends, with one INSERT under one savepoint, still inside the caller's transaction. A job
    the queue refuses while it is built (its arguments are not JSON) is logged and its `on_error`
    runs after the commit, as before; should the INSERT fail, every job of the batch is logged and
    every `on_error` runs after the commit (each caller's fallback: a sweep, or the work done at
    once). An exception in the block discards the batch with the transaction. Nested batches join
    the outer one; outside an atomic block, or with another backend, nothing changes."""
    if getattr(_local, "batch", None) is not None or not jobs_share_the_transaction():
        yield
        return
    batch = _local.batch = _Batch(level=list(connection.savepoint_ids))
    try:
        yield
    finally:
        _local.batch = None
    _write_jobs(batch.jobs)


def _write_jobs(jobs: list) -> None:
    if not jobs:
        return
    if len(jobs) == 1:  # nothing to share: the usual savepoint, INSERT and release
        enqueue, what, on_error = jobs[0]
        enqueue_after_commit(enqueue, what=what, on_error=on_error)
        return
    from django_tasks_db.models import DBTaskResult

    rows, queued, refused = [], [], []
    backend = task_backends["default"]
    try:
        # One savepoint for all: should a job's enqueue write anything itself and fail, the
        # caller's transaction stays usable.
        with transaction.atomic():
            _building_rows(backend)
            _local.rows = rows
            try:
                for enqueue, what, on_error in jobs:
                    built = len(rows)
                    try:
                        enqueue()
                    except Exception:  # refused while built (e.g. arguments that are not JSON)
                        del rows[built:]
                        logger.exception("%s: enqueue failed", what)
                        refused.append(on_error)
                    else:
                        queued.append((what, on_error))
            finally:
                _local.rows = None  # this thread's enqueues insert their rows again
            # What create() would do around each row (the library's pre_save sets run_after).
            for row in rows:
                signals.pre_save.send(sender=DBTaskResult, instance=row, raw=False, using=row._state.db or "default",
                                      update_fields=None)
            DBTaskResult.objects.bulk_create(rows)
            for row in rows:
                signals.post_save.send(sender=DBTaskResult, instance=row, created=True, raw=False,
                                       using=row._state.db, update_fields=None)
    except Exception:
        logger.exception("jobs %s: enqueue failed", "; ".join(what for what, _on_error in queued))
        refused += [on_error for _what, on_error in queued]
    for on_error in refused:  # registered outside the savepoint, which may have rolled back
        if on_error is not None:
            transaction.on_commit(on_error)


def _building_rows(backend) -> None:
    """Once per backend object: its `_task_to_db_task` builds the row unsaved into this thread's
    batch while one is being written (`_local.rows`), and inserts it as the library does otherwise.
    The switch is per thread, so a threaded server's other requests keep inserting their own jobs
    (replacing the method on the shared object for the duration would hand them to this batch)."""
    if getattr(backend, "_gongshang_builds_rows", False):
        return
    original = backend._task_to_db_task

    def build_or_insert(task, args, kwargs):
        rows = getattr(_local, "rows", None)
        if rows is None:
            return original(task, args, kwargs)
        return _unsaved_row(backend, task, args, kwargs, rows)

    backend._task_to_db_task = build_or_insert
    backend._gongshang_builds_rows = True


def _unsaved_row(backend, task, args, kwargs, rows: list):
    """The row django-tasks-db's DatabaseBackend._task_to_db_task inserts, built without the
    INSERT (test_queue compares the two, so an upgrade that changes the row is noticed)."""
    from django_tasks_db.compat import normalize_json
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult(id=backend._get_id(), args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
                       priority=task.priority, task_path=task.module_path, queue_name=task.queue_name,
                       run_after=task.run_after, backend_name=backend.alias)
    rows.append(row)
    return row
