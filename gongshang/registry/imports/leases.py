"""Who is processing an import, and until when: the lease of a running import.

A worker claims a queued import (queued → running, one conditional UPDATE) and receives a lease
until now + ROSTER_IMPORT_LEASE_SECONDS, which it renews after every chunk of rows and before each
long step. A worker that dies (killed, out of memory, machine restarted) stops renewing; once the
lease has expired, `sweep` fails the import with a message to the employer. Nothing of it was
written (the rows are inserted in the one final transaction), so failing it is honest, and the
employer may process it again (services.roster_import_retry) or upload the file again.

Each claim carries the attempt number. A worker that was only slow, not dead, finds on its next
renewal or on its final write that the import is no longer its claim (LeaseLost) and stops
without writing anything.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from gongshang.core.workflow import transition
from gongshang.registry.choices import ImportStatus
from gongshang.registry.errors import RegistryEvent
from gongshang.registry.models import RosterImport
from gongshang.registry.rules.workflows import IMPORT_CONCLUSIONS, IMPORT_WORKFLOW

INTERRUPTED_MESSAGE = ("处理过程中断（后台处理程序意外停止），本批次未导入任何数据。请重新处理该批次"
                       "（批量报盘结果页的“重新处理”按钮），或重新上传该文件。")
SWEEP_LABEL = "系统（批量报盘巡检）"
SYSTEM_LABEL = "系统（批量报盘处理）"

# The claim, read from the one transition table of an import (registry/rules/workflows.py).
CLAIM = IMPORT_WORKFLOW.steps["run"]


class LeaseLost(Exception):
    """The import is no longer this worker's claim (swept as interrupted, perhaps re-run)."""


@dataclass(frozen=True)
class Claim:
    import_id: int
    attempt: int


def lease_duration() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "ROSTER_IMPORT_LEASE_SECONDS", 300)))


def claim_import(import_id: int) -> Claim | None:
    """queued → running, once: a worker and a "process now" click never both run it.

    One conditional UPDATE rather than core.workflow.transition: it must never wait for a lock nor
    record an audit event per claim (a worker and a click race for it; the loser simply finds it
    claimed). It is still the table's `run` step: the sources and target come from IMPORT_WORKFLOW.
    """
    now = timezone.now()
    claimed = RosterImport.objects.filter(pk=import_id, status__in=CLAIM.sources).update(
        status=CLAIM.target, started_at=now, lease_expires_at=now + lease_duration(),
        attempts=F("attempts") + 1)
    if not claimed:
        return None
    return Claim(import_id, RosterImport.objects.values_list("attempts", flat=True).get(pk=import_id))


def _mine(claim: Claim):
    return RosterImport.objects.filter(pk=claim.import_id, status=ImportStatus.RUNNING, attempts=claim.attempt)


def renew(claim: Claim, **values) -> None:
    """Extend the lease (and write progress `values`); LeaseLost when the claim is gone."""
    if not _mine(claim).update(lease_expires_at=timezone.now() + lease_duration(), **values):
        raise LeaseLost(claim.import_id)


def lock(claim: Claim) -> RosterImport:
    """The claimed import, locked for the final write (inside the caller's transaction)."""
    locked = _mine(claim).select_for_update().first()
    if locked is None:
        raise LeaseLost(claim.import_id)
    return locked


def _expired(now) -> Q:
    # Imports left running before leases existed expire one lease after they started.
    return Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True, started_at__lt=now - lease_duration()) | Q(
        lease_expires_at__isnull=True, started_at__isnull=True)


def sweep(queryset=None) -> int:
    """Fail the running imports whose lease has expired (their worker died); how many."""
    now = timezone.now()
    queryset = RosterImport.objects.all() if queryset is None else queryset
    ids = list(queryset.filter(_expired(now), status=ImportStatus.RUNNING).values_list("pk", flat=True))
    return sum(_fail_interrupted(import_id, now) for import_id in ids)


def sweep_one(roster_import) -> bool:
    """Sweep this import if its worker died (the pages and the API check what they show)."""
    if roster_import.status != ImportStatus.RUNNING:
        return False
    return bool(sweep(RosterImport.objects.filter(pk=roster_import.pk)))


def _fail_interrupted(import_id: int, now) -> bool:
    with transaction.atomic():
        locked = (RosterImport.objects.select_for_update()
                  .filter(_expired(now), pk=import_id, status=ImportStatus.RUNNING).first())
        if locked is None:  # renewed or finished meanwhile
            return False
        lease = locked.lease_expires_at
        save_result(locked, event_type=RegistryEvent.IMPORT_INTERRUPTED, actor_label=SWEEP_LABEL,
                    extra={"attempt": locked.attempts,
                           "lease_expired_at": timezone.localtime(lease).isoformat() if lease else None},
                    status=ImportStatus.FAILED, failure_message=INTERRUPTED_MESSAGE, total=locked.processed,
                    accepted=0, rejected=0, errors=[], error_file=None)
    return True


def save_result(roster_import, *, event_type=RegistryEvent.IMPORT_FINISHED, actor_label=SYSTEM_LABEL, extra=None,
                status, **values) -> None:
    """The final state of an import and its audit event (inside the caller's transaction, on a
    row locked with select_for_update), through the one transition helper (the platform acts)."""
    values = {**values, "finished_at": timezone.now(), "lease_expires_at": None}
    values["processed"] = values.get("total", roster_import.total)
    details = {"status": str(status), "total": values["processed"],
               "accepted": values.get("accepted", roster_import.accepted),
               "rejected": values.get("rejected", roster_import.rejected),
               "failure_message": values.get("failure_message", roster_import.failure_message), **(extra or {})}
    transition(None, roster_import, IMPORT_CONCLUSIONS[str(status)], event_type=event_type, changes=values,
               details=details, region=roster_import.region, actor_label=actor_label)
