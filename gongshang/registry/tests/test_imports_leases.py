"""leases: a running import holds a lease its worker renews; when the worker dies the sweep
fails it with a message to the employer; a slow worker that lost its lease writes nothing."""

import io
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from gongshang.core.models import AuditEvent
from gongshang.registry.choices import ImportStatus
from gongshang.registry.imports import leases, rows, services
from gongshang.registry.imports.leases import INTERRUPTED_MESSAGE, claim_import, renew, sweep
from gongshang.registry.models import EnrolmentChange, RosterImport
from gongshang.registry.tests.imports_helpers import add_row, sheet_bytes, upload

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LEASE = timedelta(seconds=300)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def queued_import(actor, settings, rows_=2) -> RosterImport:
    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 0
    with mock.patch.object(services, "enqueue"):
        return services.roster_import_start(actor=actor, uploaded_file=upload(sheet_bytes(
            [add_row(i) for i in range(rows_)])), direction="add", mode="all_or_nothing")


def events(roster_import, event_type):
    return AuditEvent.objects.filter(target_id=str(roster_import.pk), event_type=event_type)


def test_a_claim_holds_a_lease_and_counts_the_attempt(employer_user_a, settings, clock):
    queued = queued_import(employer_user_a, settings)
    claim = claim_import(queued.pk)
    assert claim == leases.Claim(queued.pk, 1)
    queued.refresh_from_db()
    assert (queued.status, queued.started_at, queued.lease_expires_at) == (ImportStatus.RUNNING, T0, T0 + LEASE)
    assert claim_import(queued.pk) is None  # claimed once
    clock.shift(100)
    renew(claim, processed=1)
    queued.refresh_from_db()
    assert (queued.processed, queued.lease_expires_at) == (1, T0 + timedelta(seconds=400))


def test_the_sweep_fails_an_import_whose_worker_died(employer_user_a, settings, clock):
    dead = queued_import(employer_user_a, settings)
    claim_import(dead.pk)
    clock.shift(LEASE.total_seconds() - 1)
    assert sweep() == 0
    clock.shift(2)
    assert sweep() == 1
    dead.refresh_from_db()
    assert (dead.status, dead.failure_message, dead.accepted, dead.lease_expires_at) == (
        ImportStatus.FAILED, INTERRUPTED_MESSAGE, 0, None)
    assert "处理过程中断" in dead.failure_message and "重新上传" in dead.failure_message
    event = events(dead, "registry.import_interrupted").get()
    assert event.actor_label == "系统（批量报盘巡检）" and event.details["attempt"] == 1
    assert event.details["lease_expired_at"] == (T0 + LEASE).isoformat()
    assert sweep() == 0 and EnrolmentChange.objects.count() == 0


def test_imports_left_running_before_leases_existed_are_swept(employer_user_a, settings, clock):
    old, recent = queued_import(employer_user_a, settings), queued_import(employer_user_a, settings)
    RosterImport.objects.filter(pk=old.pk).update(status=ImportStatus.RUNNING, started_at=T0 - timedelta(minutes=6))
    RosterImport.objects.filter(pk=recent.pk).update(status=ImportStatus.RUNNING, started_at=T0 - timedelta(minutes=1))
    assert sweep() == 1
    assert RosterImport.objects.get(pk=old.pk).status == ImportStatus.FAILED
    assert RosterImport.objects.get(pk=recent.pk).status == ImportStatus.RUNNING


def test_a_slow_worker_that_was_swept_stops_at_its_next_renewal(employer_user_a, settings, clock):
    queued = queued_import(employer_user_a, settings, rows_=3)
    real = rows.RowValidation.add_chunk

    def stalls_then_continues(self, chunk):
        real(self, chunk)
        clock.shift(LEASE.total_seconds() + 1)  # e.g. a long pause: the sweep takes it for dead
        assert sweep() == 1

    with mock.patch.object(services, "CHUNK_ROWS", 1), mock.patch.object(rows.RowValidation, "add_chunk",
                                                                           stalls_then_continues):
        result = services.roster_import_run(queued.pk)
    assert (result.status, result.failure_message) == (ImportStatus.FAILED, INTERRUPTED_MESSAGE)
    assert result.processed == 0  # its renewal with the progress was refused
    assert not events(result, "registry.import_finished").exists()
    assert EnrolmentChange.objects.count() == 0


def test_a_worker_swept_just_before_its_final_write_writes_nothing(employer_user_a, settings, clock):
    queued = queued_import(employer_user_a, settings)
    real = services._accepted_rows

    def swept_meanwhile(roster_import, validation):
        clock.shift(LEASE.total_seconds() + 1)
        sweep()
        return real(roster_import, validation)

    with mock.patch.object(services, "_accepted_rows", swept_meanwhile):
        result = services.roster_import_run(queued.pk)
    assert result.status == ImportStatus.FAILED and EnrolmentChange.objects.count() == 0
    assert not events(result, "registry.import_finished").exists()
    # Nothing of it was written: processing it again imports every row.
    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 256 * 1024
    retried = services.roster_import_retry(actor=employer_user_a, import_id=queued.pk)
    assert (retried.status, retried.accepted, retried.attempts) == (ImportStatus.SUCCEEDED, 2, 2)
    assert EnrolmentChange.objects.count() == 2


def test_the_command_and_the_task_sweep(employer_user_a, settings, clock):
    dead = queued_import(employer_user_a, settings)
    claim_import(dead.pk)
    clock.shift(LEASE.total_seconds() + 1)
    out = io.StringIO()
    call_command("sweep_roster_imports", stdout=out)
    assert "已将 1 个处理中断的批量报盘标记为处理失败" in out.getvalue()
    assert RosterImport.objects.get(pk=dead.pk).status == ImportStatus.FAILED

    from gongshang.registry.imports.tasks import run_roster_import

    second, other = queued_import(employer_user_a, settings), queued_import(employer_user_a, settings)
    claim_import(second.pk)
    clock.shift(LEASE.total_seconds() + 1)
    assert run_roster_import.call(other.pk) == ImportStatus.SUCCEEDED
    assert RosterImport.objects.get(pk=second.pk).status == ImportStatus.FAILED
