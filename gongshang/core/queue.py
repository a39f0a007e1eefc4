"""Enqueue a background task that must run only if the caller's transaction commits.

With the database task backend the job is a row in the same database: it is inserted inside the
caller's transaction (under a savepoint), so it commits or rolls back with the data it refers to,
and a request that queues several jobs commits once instead of once per job. With any other
backend (Redis, immediate) the job is handed over after the commit, as before.
"""

import logging
from collections.abc import Callable

from django.db import connection, transaction
from django_tasks import task_backends

logger = logging.getLogger(__name__)

DATABASE_BACKEND = "django_tasks_db.backend.DatabaseBackend"


def jobs_share_the_transaction() -> bool:
    """True when a job enqueued now is written by the caller's open transaction."""
    backend = type(task_backends["default"])
    return (f"{backend.__module__}.{backend.__qualname__}" == DATABASE_BACKEND
            and connection.in_atomic_block)


def enqueue_after_commit(enqueue: Callable[[], object], *, what: str,
                         on_error: Callable[[], object] | None = None) -> None:
    """Run `enqueue` (which queues the job) so the job exists only once the data is committed.

    A queue that refuses the job never breaks the caller: the failure is logged with `what`, and
    `on_error` (e.g. do the work at once, or leave it to a sweep) runs after the commit."""
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
