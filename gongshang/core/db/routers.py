"""Read replica for reporting pages.

With DATABASE_REPLICA_URL set, settings add a `replica` alias and install ReportingReplicaRouter.
Reads go to the replica only inside an explicit reporting block (`with reporting():` or
`@reporting_view`), and only while that block has written nothing and holds no transaction on the
primary. Everything else stays on the primary:

- every write, inside a reporting block too: the write goes to the primary and the rest of the
  block reads the primary (it may need to see what it wrote);
- reads inside `transaction.atomic()` or after `select_for_update()` (a locking read is a write);
- sessions, users and roles, login security, cache table, tasks, audit and PII access logs,
  idempotency records and the outbox, wherever they are read.

Without the alias the router answers None everywhere: Django's default behaviour, no change.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

REPLICA = "replica"
logger = logging.getLogger(__name__)

# Whole apps that must always see the latest state: authentication and sessions, login lockout and
# captcha, the database cache, the task queue.
PRIMARY_ONLY_APPS = frozenset({
    "auth", "accounts", "sessions", "contenttypes", "admin", "axes", "captcha", "django_otp", "otp_totp",
    "django_cache", "django_tasks_database",
})
# Single models of shared apps with the same need: audit trail, PII access log, idempotency, outbox.
PRIMARY_ONLY_MODELS = frozenset({
    "core.auditevent", "core.piiaccesslog", "core.idempotencyrecord", "core.outboxmessage",
})


@dataclass
class _Block:
    """One reporting block; `wrote` pins its remaining reads to the primary."""

    wrote: bool = False


_current: ContextVar[_Block | None] = ContextVar("gongshang_reporting", default=None)


@contextmanager
def reporting(*, on_primary: bool = False) -> Iterator[None]:
    """Mark the reads inside as report reads (they may be a few seconds old). Nested blocks share
    the outer one. on_primary: a block whose reads stay on the primary (the fallback below)."""
    if _current.get() is not None:
        yield
        return
    token = _current.set(_Block(wrote=on_primary))
    try:
        yield
    finally:
        _current.reset(token)


def reporting_view(view: Callable) -> Callable:
    """View decorator: the whole view (rendering included) is a reporting block. Put it under
    @permit / @public, so access checks run before it. Report views only read, so when the replica
    fails (down, or a query cancelled by a recovery conflict) the view runs again on the primary."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not replica_configured() or in_reporting():
            with reporting():
                return view(request, *args, **kwargs)
        try:
            with reporting():
                return view(request, *args, **kwargs)
        except OperationalError as exc:
            if not replica_failed():
                raise
            logger.warning("read replica failed, report answered from the primary: %s", exc)
        with reporting(on_primary=True):
            return view(request, *args, **kwargs)

    wrapper.reads_replica = True  # looked up by the tests of the marked pages
    return wrapper


def in_reporting() -> bool:
    return _current.get() is not None


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_failed() -> bool:
    """Whether this request's replica connection failed (Django marks a failed connect or query)."""
    connection = connections[REPLICA]
    if not connection.errors_occurred:
        return False
    connection.close_if_unusable_or_obsolete()  # a broken connection is opened afresh next time
    return True


def primary_only(model) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS


class ReportingReplicaRouter:
    """Sends report reads to `replica`; see the module docstring for what stays on the primary."""

    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        # Named, never None: on None Django reads a related row from the alias of the row it starts
        # from (`instance` hint), i.e. the replica for anything reached from a row read there.
        block = _current.get()
        if block is None or block.wrote or primary_only(model) or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        block = _current.get()
        if block is not None:
            block.wrote = True
        # Explicit: without it Django writes an instance back to the alias it was read from.
        return DEFAULT_DB_ALIAS if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A standby is read-only; it receives the schema from the primary.
        return False if db == REPLICA else None
