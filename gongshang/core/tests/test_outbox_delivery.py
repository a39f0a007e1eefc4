"""Outbox delivery at scale: each message sent exactly once by concurrent workers (one at a time
and in batches), failures and expiry inside a batch, drain jobs, and the RQ path (Redis queue,
RQ worker) end to end."""

import io
import signal
import threading
import uuid
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import django_rq
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongshang.core import tasks
from gongshang.core.models import OutboxMessage
from gongshang.core.models.outbox import OutboxChannel, OutboxStatus
from gongshang.core.notifications import delivery
from gongshang.core.notifications.backends import DeliveryError
from gongshang.core.notifications.delivery import EXPIRED_ERROR, deliver_batch, deliver_message, drain
from gongshang.core.notifications.services import enqueue_message, enqueue_messages
from gongshang.core.tests.test_outbox import run_worker

# Tests use their own Redis database, apart from a development server's queues and cache.
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


class CountingBackend:
    """A gateway that records every send (thread-safe), so duplicates and misses both show; it
    refuses recipients listed in `refuse`."""

    lock = threading.Lock()
    sends: Counter = Counter()
    refuse: set = set()

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        if message.recipient in CountingBackend.refuse:
            raise DeliveryError("号码无法接收")
        with CountingBackend.lock:
            CountingBackend.sends[message.pk] += 1


@pytest.fixture
def counting(settings, tmp_path):
    settings.NOTIFY_SMS_BACKEND = "gongshang.core.tests.test_outbox_delivery.CountingBackend"
    settings.NOTIFY_OUTBOX_DIR = tmp_path / "outbox"
    settings.NOTIFY_MAX_ATTEMPTS = 3
    CountingBackend.sends, CountingBackend.refuse = Counter(), set()
    return CountingBackend


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queue_messages(count: int, template: str = "sms_login_code") -> list[int]:
    params = {"sms_login_code": {"code": "246810"},
              "sms_payment_issued": {"month": "2026年11月", "amount": "3000.00", "account_tail": "1234"}}[template]
    enqueue_messages({"channel": OutboxChannel.SMS, "recipient": f"1381234{index:04d}", "template": template,
                      "params": params} for index in range(count))
    return list(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True))


def exactly_once_problems(sends: Counter, ids: list[int]) -> dict:
    """What went wrong: ids sent more than once, ids never sent (empty when each went out once)."""
    problems = {"duplicates": sorted(pk for pk, count in sends.items() if count > 1),
                "missing": sorted(set(ids) - set(sends))}
    return {key: value for key, value in problems.items() if value}


# --- concurrent workers claiming the same message ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_message_exactly_once(counting, settings):
    """Four workers race on every message (a retry, the sweep and the after-commit job can all hold
    the same id): the conditional claim lets exactly one of them send."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no race to test")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ids = queue_messages(40)
    workers = 4
    barrier = threading.Barrier(workers)
    outcomes: Counter = Counter()
    errors: list[BaseException] = []

    def work():
        try:
            for message_id in ids:
                barrier.wait(timeout=30)  # all four start on the same message together
                outcome = deliver_message(message_id)
                with CountingBackend.lock:
                    outcomes[outcome] += 1
        except BaseException as exc:  # noqa: BLE001 (reported by the main thread)
            errors.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    # The losers of each race find the message claimed (or already sent): they skip it.
    assert outcomes["sent"] == len(ids)
    assert sum(outcomes.values()) == len(ids) * workers
    assert sorted(counting.sends) == ids
    assert set(counting.sends.values()) == {1}
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT, attempts=1).count() == len(ids)


# --- batches: four drain loops racing on one backlog ----------------------------------------------


def naive_claim(limit, now):
    """A claim as it must NOT be written: read the due ids, then take them unconditionally (no row
    locks, no skipping, no re-check). Used to show the race test catches it."""
    ids = list(OutboxMessage.objects.filter(status__in=delivery.OPEN_STATUSES, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    first_call.wait()
    OutboxMessage.objects.filter(pk__in=ids).update(next_attempt_at=now + delivery.LEASE)
    return list(OutboxMessage.objects.filter(pk__in=ids)), []


class FirstCall:
    """Holds each thread's first claim until all have read the table: the race at its worst."""

    def __init__(self, parties):
        self.barrier, self.local = threading.Barrier(parties), threading.local()

    def wait(self):
        if not getattr(self.local, "done", False):
            self.local.done = True
            self.barrier.wait(timeout=30)


first_call = FirstCall(1)


def race_drains(workers: int, batch_size: int) -> list[BaseException]:
    """`workers` threads, each draining the outbox in batches until nothing is due."""
    errors: list[BaseException] = []

    def work():
        try:
            drain(budget_seconds=0, batch_size=batch_size)
        except BaseException as exc:  # noqa: BLE001 (reported by the main thread)
            errors.append(exc)
            first_call.barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return errors


@pytest.fixture
def racing(counting, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no race to test")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(__name__ + ".first_call", FirstCall(4))
    return counting


@pytest.mark.django_db(transaction=True)
def test_four_drains_racing_send_each_message_exactly_once(racing, monkeypatch):
    ids = queue_messages(400, template="sms_payment_issued")
    real_claim = delivery._claim_due

    def claim_together(limit, now):
        first_call.wait()  # all four claim their first batch at the same moment
        return real_claim(limit, now)

    monkeypatch.setattr(delivery, "_claim_due", claim_together)
    assert race_drains(workers=4, batch_size=25) == []
    assert exactly_once_problems(racing.sends, ids) == {}
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT, attempts=1).count() == len(ids)


@pytest.mark.django_db(transaction=True)
def test_the_race_test_catches_a_claim_without_locks_or_fencing(racing, monkeypatch):
    ids = queue_messages(100, template="sms_payment_issued")
    monkeypatch.setattr(delivery, "_claim_due", naive_claim)
    assert race_drains(workers=4, batch_size=25) == []
    problems = exactly_once_problems(racing.sends, ids)
    assert len(problems["duplicates"]) >= 25  # the first batch went out four times


# --- batches: failures, expiry, drain jobs ---------------------------------------------------------


@pytest.mark.django_db
def test_a_failure_inside_a_batch_retries_only_that_message(counting, db_tasks):
    ids = queue_messages(10, template="sms_payment_issued")
    counting.refuse = {"13812340003"}
    refused = OutboxMessage.objects.get(pk=ids[3])
    before = timezone.now()
    assert deliver_batch(100) == Counter({"sent": 9, "retrying": 1})
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == (OutboxStatus.RETRYING, 1)
    assert "号码无法接收" in refused.last_error
    assert 29 <= (refused.next_attempt_at - before).total_seconds() <= 31  # the same backoff
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT, attempts=1).count() == 9
    # One drain job is scheduled for the retry (not one job per failed message).
    retry_job = DBTaskResult.objects.get()
    assert (retry_job.task_path, retry_job.run_after) == ("gongshang.core.tasks.drain_outbox",
                                                          refused.next_attempt_at)
    assert deliver_batch(100) == Counter()  # not due before its backoff

    counting.refuse = set()
    OutboxMessage.objects.filter(pk=refused.pk).update(next_attempt_at=timezone.now())
    assert deliver_batch(100) == Counter({"sent": 1})
    refused.refresh_from_db()
    assert (refused.status, refused.attempts, refused.last_error) == (OutboxStatus.SENT, 2, "")
    assert exactly_once_problems(counting.sends, ids) == {}


@pytest.mark.django_db
def test_a_message_out_of_attempts_in_a_batch_fails(counting, db_tasks):
    ids = queue_messages(3, template="sms_payment_issued")
    counting.refuse = {"13812340001"}
    OutboxMessage.objects.filter(pk=ids[1]).update(attempts=2)  # NOTIFY_MAX_ATTEMPTS is 3
    assert deliver_batch(100) == Counter({"sent": 2, "failed": 1})
    failed = OutboxMessage.objects.get(pk=ids[1])
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (OutboxStatus.FAILED, 3, None)
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_expired_messages_in_a_batch_fail_unsent(counting, db_tasks):
    codes = queue_messages(4)  # login codes expire
    OutboxMessage.objects.filter(pk__in=codes[:2]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert deliver_batch(100) == Counter({"sent": 2, "failed": 2})
    expired = OutboxMessage.objects.filter(pk__in=codes[:2])
    assert {(m.status, m.last_error, m.attempts, m.next_attempt_at) for m in expired} == {
        (OutboxStatus.FAILED, EXPIRED_ERROR, 0, None)}
    assert sorted(counting.sends) == codes[2:]


@pytest.mark.django_db
def test_a_batch_leaves_sent_leased_and_waiting_messages_alone(counting, db_tasks):
    ids = queue_messages(4, template="sms_payment_issued")
    now = timezone.now()
    OutboxMessage.objects.filter(pk=ids[0]).update(status=OutboxStatus.SENT, next_attempt_at=None)
    OutboxMessage.objects.filter(pk=ids[1]).update(attempts=1, next_attempt_at=now + delivery.LEASE)
    OutboxMessage.objects.filter(pk=ids[2]).update(status=OutboxStatus.FAILED, next_attempt_at=now)
    assert deliver_batch(100) == Counter({"sent": 1})
    assert sorted(counting.sends) == [ids[3]]


class SlowBackend:
    """A gateway whose every call takes a minute (the clock is moved on by the test's traveller)."""

    traveller = None
    sends: list = []

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        SlowBackend.sends.append(message.pk)
        SlowBackend.traveller.shift(timedelta(minutes=1))


@pytest.mark.django_db
def test_a_slow_batch_hands_back_what_it_cannot_send_within_its_lease(settings, db_tasks):
    settings.NOTIFY_SMS_BACKEND = "gongshang.core.tests.test_outbox_delivery.SlowBackend"
    SlowBackend.sends = []
    with time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as traveller:
        SlowBackend.traveller = traveller
        ids = queue_messages(5, template="sms_payment_issued")
        # The lease is 2 minutes; a send starts only with 30 s of it left: two go out, three go back.
        assert delivery.LEASE - delivery.SEND_MARGIN == timedelta(seconds=90)
        assert deliver_batch(100) == Counter({"sent": 2, "released": 3})
        assert len(set(SlowBackend.sends)) == 2
        rest = OutboxMessage.objects.exclude(pk__in=SlowBackend.sends)
        assert {(m.status, m.attempts, m.next_attempt_at) for m in rest} == {
            (OutboxStatus.PENDING, 0, timezone.now())}  # due again, the attempt not counted
        assert deliver_batch(100) == Counter({"sent": 2, "released": 1})
        assert deliver_batch(100) == Counter({"sent": 1})
    assert sorted(SlowBackend.sends) == ids  # each once
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT, attempts=1).count() == 5


@pytest.mark.django_db
def test_a_drain_that_runs_out_of_time_enqueues_itself_again(counting, db_tasks, settings):
    settings.NOTIFY_BATCH_SIZE = 10
    settings.NOTIFY_DRAIN_SECONDS = 1e-9  # spent after the first batch
    ids = queue_messages(25, template="sms_payment_issued")
    assert tasks.drain_outbox.call() == {"sent": 10, "more": True}
    assert DBTaskResult.objects.get().task_path == "gongshang.core.tasks.drain_outbox"
    run_worker()
    assert exactly_once_problems(counting.sends, ids) == {}
    # The job re-enqueued once more after its own full batch; the third found a short one.
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_bulk_sends_enqueue_a_few_drain_jobs_a_lone_message_its_own(counting, db_tasks, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.NOTIFY_BATCH_SIZE, settings.NOTIFY_DRAIN_JOBS = 100, 4
    for count, expected in [(1, {"gongshang.core.tasks.deliver_outbox_message": 1}),
                            (150, {"gongshang.core.tasks.drain_outbox": 2}),
                            (2000, {"gongshang.core.tasks.drain_outbox": 4})]:
        DBTaskResult.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            queue_messages(count, template="sms_payment_issued")
        assert Counter(DBTaskResult.objects.values_list("task_path", flat=True)) == expected
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        code = enqueue_message(channel=OutboxChannel.SMS, recipient="13812345678", template="sms_login_code",
                               params={"code": "135790"})
    assert DBTaskResult.objects.get().args_kwargs["args"] == [code.pk]


@pytest.mark.django_db
def test_send_outbox_sends_in_batches_up_to_the_limit(counting, db_tasks, settings):
    settings.NOTIFY_BATCH_SIZE = 7
    ids = queue_messages(30, template="sms_payment_issued")
    out = io.StringIO()
    call_command("send_outbox", "--limit", "10", stdout=out)
    assert "已发送 10 条" in out.getvalue()
    assert len(counting.sends) == 10
    call_command("send_outbox", stdout=out)
    assert exactly_once_problems(counting.sends, ids) == {}


# --- the RQ path: Redis queue, RQ worker ---------------------------------------------------------


@pytest.fixture
def rq_backend(settings):
    redis = pytest.importorskip("redis")
    pytest.importorskip("django_tasks_rq")
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not running at {TEST_REDIS_URL} (start it: redis-server --daemonize yes)")
    # A queue name of its own: two test runs sharing the server never take each other's jobs.
    queue = f"test-outbox-{uuid.uuid4().hex[:12]}"
    settings.RQ_QUEUES = {queue: {"URL": TEST_REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue],
                                  "OPTIONS": {}}}
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    yield queue
    for key in client.scan_iter(f"rq:*{queue}*"):
        client.delete(key)
    client.srem("rq:queues", f"rq:queue:{queue}")
    client.close()


def run_rq_worker(queue: str) -> None:
    """What `manage.py rqworker --burst --worker-class rq.worker.SimpleWorker` does, in this
    process (the test database is only visible here)."""
    from django_rq.workers import get_worker
    from rq.worker import SimpleWorker

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker = get_worker(queue, worker_class=SimpleWorker, job_class="django_tasks_rq.Job")
        worker.work(burst=True, logging_level="WARNING")
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.mark.django_db
def test_messages_go_through_redis_and_an_rq_worker(counting, rq_backend, django_capture_on_commit_callbacks,
                                                    monkeypatch, settings):
    for name in ("deliver_outbox_message", "drain_outbox"):
        monkeypatch.setattr(tasks, name, getattr(tasks, name).using(queue_name=rq_backend))
    settings.NOTIFY_BATCH_SIZE, settings.NOTIFY_DRAIN_JOBS = 2, 3
    with django_capture_on_commit_callbacks(execute=True):
        ids = queue_messages(5)  # a bulk send: drain jobs
    with django_capture_on_commit_callbacks(execute=True):
        code = enqueue_message(channel=OutboxChannel.SMS, recipient="13812345678", template="sms_login_code",
                               params={"code": "135790"})  # a lone code: its own job
    # The sweep adds a few drain jobs, as the timer does when it runs meanwhile.
    call_command("send_outbox", "--enqueue", stdout=io.StringIO())

    assert django_rq.get_queue(rq_backend).count == 3 + 1 + 3
    assert CountingBackend.sends == Counter()  # nothing sent until a worker runs
    run_rq_worker(rq_backend)
    assert django_rq.get_queue(rq_backend).count == 0
    assert exactly_once_problems(counting.sends, [*ids, code.pk]) == {}
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
