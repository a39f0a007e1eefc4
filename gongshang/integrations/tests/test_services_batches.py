"""The exchange mechanism: receiving (checks, checksum, duplicates), processing in one transaction
(done, failed on a format error or an unexpected one, nothing applied), retry, the sweep, dead
letters and the outbound record with its webhook message."""

import base64
import hashlib
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from gongshang.accounts.choices import StaffRole
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.storage import open_stored
from gongshang.core.models import AuditEvent, OutboxMessage, StoredFile

from ..adapters import INBOUND, FormatError, Outcome, RowError
from ..choices import BatchStatus, DeadLetterStatus, Direction, ExchangeEventType
from ..models import DeadLetter, ExchangeBatch
from ..services import batches as services
from .factories import ExchangeBatchFactory
from .factories_batches import *  # noqa: F403
from .factories_batches import (
    GOOD_ID,
    MIXED,
    FakeAdapter,
    applied_refs,
    csv_bytes,
    registered,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-02 10:00 +08:00")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _receive(actor, content=MIXED, **kwargs):
    kwargs.setdefault("partner", "tax")
    kwargs.setdefault("kind", "contributions")
    return services.batch_receive(actor=actor, upload=upload(content, kwargs.pop("name", "rows.csv")), **kwargs)


def _events(batch, event_type):
    return list(AuditEvent.objects.filter(event_type=event_type, target_id=str(batch.pk)))


# --- receiving and processing -----------------------------------------------------------------------------

def test_receive_processes_a_small_file_at_once(fake_partner, exchange_admin):
    batch = _receive(exchange_admin)
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.accepted, batch.rejected, batch.duplicate) == (BatchStatus.DONE, 3, 2, 1, 0)
    assert batch.errors == [{"row": 4, "message": "“id_number”列：身份证号应为 18 位，请交换方核对后重新报送。"}]
    assert (batch.region, batch.direction, batch.format_version, batch.created_by) == (
        "370200", Direction.INBOUND, "1.1", exchange_admin)
    assert batch.checksum == hashlib.sha256(MIXED).hexdigest() == batch.file.sha256
    assert batch.summary == {"新增记录": 2} and batch.started_at and batch.finished_at
    with open_stored(batch.file) as stream:
        assert stream.read() == MIXED
    assert (batch.file.extension, batch.file.content_type) == ("csv", "text/csv")
    dead = DeadLetter.objects.get(batch=batch)
    assert (dead.row, dead.region, dead.status) == (4, "370200", DeadLetterStatus.OPEN)
    assert json.loads(dead.payload) == {"ref": "A3", "name": "王芳", "id_number": "3702"}
    assert applied_refs() == ["A1", "A2"]
    processed = _events(batch, ExchangeEventType.BATCH_PROCESSED)[0]
    assert processed.details == {"from": "processing", "to": "done", "total": 3, "accepted": 2, "rejected": 1,
                                 "duplicate": 0}
    assert processed.actor is None and processed.actor_label == "系统（数据交换）"
    assert _events(batch, ExchangeEventType.BATCH_RECEIVED)[0].actor == exchange_admin


def test_the_same_file_again_is_a_duplicate_that_changes_nothing(fake_partner, exchange_admin):
    first = _receive(exchange_admin)
    files = StoredFile.objects.count()
    second = _receive(exchange_admin, name="again.csv")
    second.refresh_from_db()
    assert (second.status, second.duplicate_of, second.total, second.duplicate, second.accepted) == (
        BatchStatus.DUPLICATE, first, 3, 3, 0)
    assert second.file_id == first.file_id and StoredFile.objects.count() == files  # the copy is removed
    assert second.original_name == "again.csv" and second.checksum == first.checksum
    assert applied_refs() == ["A1", "A2"] and DeadLetter.objects.count() == 1
    assert _events(second, ExchangeEventType.BATCH_DUPLICATE)[0].details["duplicate_of"] == first.pk
    assert not _events(second, ExchangeEventType.BATCH_PROCESSED)


def test_rows_seen_in_an_earlier_file_count_as_duplicates(fake_partner, exchange_admin):
    _receive(exchange_admin)
    later = _receive(exchange_admin, csv_bytes([["A1", "张伟", GOOD_ID], ["B1", "赵敏", GOOD_ID]]))
    assert (later.status, later.total, later.accepted, later.duplicate, later.rejected) == (BatchStatus.DONE, 2, 1, 1, 0)
    assert applied_refs() == ["A1", "A2", "B1"]


def test_a_file_matching_only_a_failed_batch_is_processed_again(exchange_admin):
    class Broken(FakeAdapter):
        def process(self, batch, stream):
            raise FormatError("第 1 行表头不对。")

    with registered(Broken):
        failed = _receive(exchange_admin)
    assert failed.status == BatchStatus.FAILED
    with registered():
        again = _receive(exchange_admin)
    assert (again.status, again.duplicate_of) == (BatchStatus.DONE, None)


def test_other_regions_keep_their_own_duplicates(fake_partner, exchange_admin, other_exchange_admin):
    _receive(exchange_admin)
    other = _receive(other_exchange_admin)
    assert (other.region, other.status, other.accepted) == ("370700", BatchStatus.DONE, 2)


def test_the_platform_receives_for_a_region(fake_partner):
    batch = services.batch_receive(actor=None, region="370200", partner="tax", kind="contributions",
                                   upload=upload(MIXED))
    assert (batch.created_by, batch.region, batch.status) == (None, "370200", BatchStatus.DONE)
    assert _events(batch, ExchangeEventType.BATCH_RECEIVED)[0].actor_label == "系统（数据交换）"
    with pytest.raises(DomainError) as refused:
        services.batch_receive(actor=None, region="999999", partner="tax", kind="contributions", upload=upload(MIXED))
    assert (refused.value.status, refused.value.code) == (400, "exchange_region_required")


# --- refusals before anything is stored -------------------------------------------------------------------

def test_an_unknown_pair_names_both_fields(fake_partner, exchange_admin):
    with pytest.raises(DomainError) as refused:
        _receive(exchange_admin, kind="deaths")
    error = refused.value
    assert (error.status, error.code) == (400, "exchange_unknown_kind")
    assert [d["field"] for d in error.details] == ["partner", "kind"]
    assert "税务局（社保费征收）—社保费缴费明细" in error.message
    assert not ExchangeBatch.objects.exists() and not StoredFile.objects.exists()


def test_format_versions(fake_partner, exchange_admin):
    with pytest.raises(DomainError) as refused:
        _receive(exchange_admin, format_version="2.0")
    assert (refused.value.status, refused.value.code) == (400, "exchange_format_version")
    assert "格式版本“2.0”不受支持" in refused.value.message and "1.0、1.1" in refused.value.message
    assert refused.value.details[0]["field"] == "format_version"
    assert _receive(exchange_admin, format_version="1.0").format_version == "1.0"


@pytest.mark.parametrize(("content", "name", "status", "code"), [
    (b"", "rows.csv", 400, "exchange_file_empty"),
    (b"%PDF-1.4\n%%EOF\n", "rows.csv", 415, "exchange_file_format"),
    (b"ref,name\x00,id\n", "rows.csv", 415, "exchange_file_format"),
])
def test_files_refused_by_content(fake_partner, exchange_admin, content, name, status, code):
    with pytest.raises(DomainError) as refused:
        _receive(exchange_admin, content, name=name)
    assert (refused.value.status, refused.value.code) == (status, code)
    assert refused.value.details[0]["field"] == "file"
    assert not ExchangeBatch.objects.exists() and not StoredFile.objects.exists()


def test_files_over_the_limit_are_refused(fake_partner, exchange_admin, settings):
    settings.EXCHANGE_MAX_BYTES = 20
    with pytest.raises(DomainError) as refused:
        _receive(exchange_admin)
    assert (refused.value.status, refused.value.code) == (413, "file_too_large")
    assert not StoredFile.objects.exists()


def test_json_and_zip_are_stored_as_what_they_are(exchange_admin):
    import io
    import zipfile

    class Counting(FakeAdapter):
        def process(self, batch, stream):
            return Outcome(total=1, accepted=1)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("rows.csv", "ref\n")
    with registered(Counting):
        as_json = _receive(exchange_admin, b'\xef\xbb\xbf  {"rows": []}', name="payload")
        as_zip = _receive(exchange_admin, buffer.getvalue(), name="rows.zip")
    assert (as_json.file.extension, as_json.file.content_type) == ("json", "application/json")
    assert (as_zip.file.extension, as_zip.file.content_type) == ("zip", "application/zip")


def test_a_role_without_create_is_refused(fake_partner, staff_factory):
    with pytest.raises(DomainError) as refused:
        _receive(staff_factory(StaffRole.INTAKE))
    assert refused.value.status == 403 and not ExchangeBatch.objects.exists()


# --- failures: nothing applied, the file kept -------------------------------------------------------------

def test_a_format_error_fails_the_batch_with_its_message(fake_partner, exchange_admin):
    batch = _receive(exchange_admin, b"wrong,header\n1,2\n")
    assert batch.status == BatchStatus.FAILED
    assert batch.failure_message == "第 1 行表头应为“ref,name,id_number”，请让交换方按约定格式重新导出。"
    assert (batch.total, batch.accepted, batch.rejected, batch.errors) == (0, 0, 0, [])
    assert not DeadLetter.objects.exists() and default_storage.exists(batch.file.storage_path)
    assert _events(batch, ExchangeEventType.BATCH_FAILED)[0].details == {"from": "processing", "to": "failed",
                                                                         "reason": "format"}


def test_an_unexpected_error_rolls_back_what_the_adapter_wrote(fake_partner, exchange_admin):
    content = csv_bytes([["A1", "张伟", GOOD_ID], ["A2", "李娜", "12"], ["boom", "", ""]])
    batch = _receive(exchange_admin, content)
    assert batch.status == BatchStatus.FAILED
    assert batch.failure_message.startswith("处理过程中发生系统错误，本批次的数据均未写入。")
    assert f"#{batch.pk}" in batch.failure_message
    assert applied_refs() == [] and not DeadLetter.objects.exists()
    assert _events(batch, ExchangeEventType.BATCH_FAILED)[0].details["reason"] == "error"


def test_retry_processes_the_stored_file_again(exchange_admin):
    class Flaky(FakeAdapter):
        calls = 0

        def process(self, batch, stream):
            Flaky.calls += 1
            if Flaky.calls == 1:
                raise ConnectionError("the partner's lookup was down")
            return super().process(batch, stream)

    with registered(Flaky):
        batch = _receive(exchange_admin)
        assert batch.status == BatchStatus.FAILED
        retried = services.batch_retry(actor=exchange_admin, batch_id=batch.pk)
    assert (retried.status, retried.accepted, retried.rejected, retried.failure_message) == (BatchStatus.DONE, 2, 1, "")
    assert applied_refs() == ["A1", "A2"] and DeadLetter.objects.filter(batch=batch).count() == 1
    assert _events(batch, "exchange_batch.retry")[0].actor == exchange_admin


def test_retry_is_refused_unless_failed(fake_partner, exchange_admin, other_exchange_admin, staff_factory):
    batch = _receive(exchange_admin)
    with pytest.raises(DomainError) as refused:
        services.batch_retry(actor=exchange_admin, batch_id=batch.pk)
    assert (refused.value.status, refused.value.code) == (409, "exchange_batch_not_retryable")
    with pytest.raises(DomainError) as hidden:
        services.batch_retry(actor=other_exchange_admin, batch_id=batch.pk)
    assert hidden.value.status == 404
    with pytest.raises(DomainError) as forbidden:
        services.batch_retry(actor=staff_factory(StaffRole.BENEFITS_REVIEWER), batch_id=batch.pk)
    assert forbidden.value.status == 403


def test_an_adapter_gone_before_processing_fails_the_batch(exchange_admin, settings):
    settings.EXCHANGE_INLINE_MAX_BYTES = 1
    with registered():
        batch = _receive(exchange_admin)
    assert batch.status == BatchStatus.RECEIVED
    # gone altogether (the real adapter of this pair too), e.g. a partner switched off after receipt
    with mock.patch.dict(INBOUND, clear=True):
        processed = services.batch_process(batch.pk)
    assert (processed.status, processed.failure_message) == (BatchStatus.FAILED, services.NO_ADAPTER_MESSAGE)


def test_processing_a_finished_batch_changes_nothing(fake_partner, exchange_admin):
    batch = _receive(exchange_admin)
    again = services.batch_process(batch.pk)
    assert (again.status, again.accepted) == (BatchStatus.DONE, 2) and applied_refs() == ["A1", "A2"]


# --- the worker ------------------------------------------------------------------------------------------

def test_large_files_go_to_the_task_queue(fake_partner, exchange_admin, settings, django_capture_on_commit_callbacks):
    from .. import tasks

    settings.EXCHANGE_INLINE_MAX_BYTES = 10
    with mock.patch.object(services, "enqueue") as enqueue, django_capture_on_commit_callbacks(execute=True):
        batch = _receive(exchange_admin)
    assert batch.status == BatchStatus.RECEIVED
    enqueue.assert_called_once_with(batch.pk)
    assert tasks.process_exchange_batch.call(batch.pk) == BatchStatus.DONE
    assert services.batch_process(batch.pk).accepted == 2 and applied_refs() == ["A1", "A2"]


def test_an_enqueue_failure_is_logged_not_raised():
    task = mock.Mock()
    task.enqueue.side_effect = ConnectionError("redis down")
    with mock.patch("gongshang.integrations.tasks.process_exchange_batch", task):
        assert services.enqueue(123) is False


def test_the_sweep_task(fake_partner, exchange_admin, settings):
    from .. import tasks

    settings.EXCHANGE_INLINE_MAX_BYTES = 1
    waiting = _receive(exchange_admin)
    assert tasks.sweep_exchange_batches.call(-1) == 1
    waiting.refresh_from_db()
    assert waiting.status == BatchStatus.DONE


def test_the_sweep_fails_stale_batches_and_processes_waiting_ones(fake_partner, exchange_admin, settings):
    stale = ExchangeBatchFactory(status=BatchStatus.PROCESSING, started_at=timezone.now() - timedelta(hours=3))
    fresh = ExchangeBatchFactory(status=BatchStatus.PROCESSING, started_at=timezone.now() - timedelta(minutes=5))
    assert services.batch_sweep() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.failure_message) == (BatchStatus.FAILED, services.INTERRUPTED_MESSAGE)
    assert fresh.status == BatchStatus.PROCESSING
    settings.EXCHANGE_INLINE_MAX_BYTES = 1
    waiting = _receive(exchange_admin)
    assert services.batch_process_waiting(now=timezone.now() + timedelta(minutes=1)) == 0
    assert services.batch_process_waiting(now=timezone.now() + timedelta(minutes=6)) == 1
    waiting.refresh_from_db()
    assert waiting.status == BatchStatus.DONE


# --- dead letters ----------------------------------------------------------------------------------------

def test_resolving_a_dead_letter_needs_a_note(fake_partner, exchange_admin, other_exchange_admin):
    dead = DeadLetter.objects.get(batch=_receive(exchange_admin))
    with pytest.raises(FieldErrors) as refused:
        services.dead_letter_resolve(actor=exchange_admin, dead_letter_id=dead.pk, note="  ")
    assert "note" in refused.value.errors
    with pytest.raises(DomainError) as hidden:
        services.dead_letter_resolve(actor=other_exchange_admin, dead_letter_id=dead.pk, note="已处理")
    assert hidden.value.status == 404
    resolved = services.dead_letter_resolve(actor=exchange_admin, dead_letter_id=dead.pk, note="已通知税务局更正")
    dead.refresh_from_db()
    assert (dead.status, dead.note, dead.resolved_by) == (DeadLetterStatus.RESOLVED, "已通知税务局更正", exchange_admin)
    assert timezone.localdate(dead.resolved_at).isoformat() == "2026-11-02" and resolved.pk == dead.pk
    event = AuditEvent.objects.get(event_type=ExchangeEventType.DEAD_LETTER_RESOLVED)
    assert event.details == {"from": "open", "to": "resolved", "batch": dead.batch_id, "row": 4}
    with pytest.raises(DomainError) as again:
        services.dead_letter_resolve(actor=exchange_admin, dead_letter_id=dead.pk, note="再次")
    assert (again.value.status, again.value.code) == (409, "exchange_invalid_transition")


# --- outbound --------------------------------------------------------------------------------------------

def test_an_outbound_file_is_recorded_and_pushed(settings, exchange_admin):
    settings.EXCHANGE_PARTNER_URLS = {"province": "https://province.example.cn/exchange"}
    content = b'{"report": "2026-10"}'
    batch = services.batch_record_outbound(actor=exchange_admin, partner="province", kind="statistics",
                                           content=content, name="2026-10.json", format_version="1.0", region="370200")
    assert (batch.status, batch.direction, batch.checksum) == (BatchStatus.SENT, Direction.OUTBOUND,
                                                                hashlib.sha256(content).hexdigest())
    with open_stored(batch.file) as stream:
        assert stream.read() == content
    message = OutboxMessage.objects.get()
    assert (message.channel, message.recipient, message.region) == ("webhook", "https://province.example.cn/exchange",
                                                                    "370200")
    assert base64.b64decode(message.params["content_base64"]) == content
    assert message.params["batch_id"] == str(batch.pk) and "批次 #" in message.body
    event = _events(batch, ExchangeEventType.BATCH_SENT)[0]
    assert (event.details["pushed"], event.details["outbox_message"]) == (True, message.pk)


def test_an_outbound_file_without_an_address_is_recorded_not_pushed(settings):
    settings.EXCHANGE_PARTNER_URLS = {}
    batch = services.batch_record_outbound(actor=None, partner="province", kind="case_package", content=b"PK..",
                                           name="pkg.zip", format_version="1.0", region="370200")
    assert batch.status == BatchStatus.SENT and not OutboxMessage.objects.exists()
    assert _events(batch, ExchangeEventType.BATCH_SENT)[0].details["pushed"] is False
    settings.EXCHANGE_PUSH_MAX_BYTES = 2
    with pytest.raises(DomainError) as refused:
        services.batch_record_outbound(actor=None, partner="province", kind="case_package", content=b"PK..",
                                       name="pkg.zip", format_version="1.0", region="370200")
    assert refused.value.status == 413


@pytest.mark.django_db(transaction=True)
def test_the_same_file_twice_at_once_is_applied_once(exchange_admin, monkeypatch):
    """Two uploads of one file at the same moment (a partner's retry after a timeout, the page and the
    file drop): the second waits for the first one's receipt and is recorded as its duplicate
    (PostgreSQL; SQLite serialises every write)."""
    import threading
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions are a PostgreSQL matter")
    inside, release, errors = threading.Event(), threading.Event(), []
    real_original_of = services._original_of

    def held_original_of(*args):          # the first upload pauses after finding no original
        found = real_original_of(*args)
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(30)
        return found

    monkeypatch.setattr(services, "_original_of", held_original_of)

    def receive():
        try:
            _receive(exchange_admin)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    with registered():
        one, two = threading.Thread(target=receive, name="first"), threading.Thread(target=receive, name="second")
        one.start()
        assert inside.wait(30)
        two.start()
        for _ in range(200):              # until the second waits on a lock (without one: 10 s, then on)
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                               "AND datname = current_database()")
                if cursor.fetchone()[0]:
                    break
            time.sleep(0.05)
        release.set()
        one.join(30)
        two.join(30)
    assert errors == []
    assert sorted(ExchangeBatch.objects.values_list("status", flat=True)) == [BatchStatus.DONE, BatchStatus.DUPLICATE]
    assert applied_refs() == ["A1", "A2"]
    assert DeadLetter.objects.count() == 1


def test_numbers_quoted_in_an_adapter_message_are_kept_masked(exchange_admin):
    """A row error is shown in lists and downloads and kept in a plain column: an ID number or mobile
    that an adapter quotes in its message is stored masked (the raw row stays encrypted)."""

    class Quoting(FakeAdapter):
        def process(self, batch, stream):
            return Outcome(total=1, errors=[RowError(2, "身份证号 370202198803151237（手机13812345678）在人口库中不存在。",
                                                     {"id_number": GOOD_ID})])

    with registered(Quoting):
        batch = _receive(exchange_admin)
    batch.refresh_from_db()
    masked = "身份证号 370202********1237（手机138****5678）在人口库中不存在。"
    assert batch.errors == [{"row": 2, "message": masked}]
    dead = DeadLetter.objects.get(batch=batch)
    assert dead.message == masked and json.loads(dead.payload) == {"id_number": GOOD_ID}
