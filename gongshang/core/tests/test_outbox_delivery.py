"""Outbox delivery at scale: each message sent exactly once by concurrent workers, and the RQ path
(Redis queue, RQ worker) end to end."""

import io
import signal
import threading
import uuid
from collections import Counter

import django_rq
import pytest
from django.core.management import call_command
from django.db import connection, connections

from gongshang.core import tasks
from gongshang.core.models import OutboxMessage
from gongshang.core.models.outbox import OutboxChannel, OutboxStatus
from gongshang.core.notifications.delivery import deliver_message
from gongshang.core.notifications.services import enqueue_messages

# Tests use their own Redis database, apart from a development server's queues and cache.
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


class CountingBackend:
    """A gateway that records every send (thread-safe), so duplicates and misses both show."""

    lock = threading.Lock()
    sends: Counter = Counter()

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        with CountingBackend.lock:
            CountingBackend.sends[message.pk] += 1


@pytest.fixture
def counting(settings, tmp_path):
    settings.NOTIFY_SMS_BACKEND = "gongshang.core.tests.test_outbox_delivery.CountingBackend"
    settings.NOTIFY_OUTBOX_DIR = tmp_path / "outbox"
    CountingBackend.sends = Counter()
    return CountingBackend


def queue_messages(count: int) -> list[int]:
    enqueue_messages({"channel": OutboxChannel.SMS, "recipient": f"1381234{index:04d}", "template": "sms_login_code",
                      "params": {"code": "246810"}} for index in range(count))
    return list(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True))


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
                                                    monkeypatch):
    monkeypatch.setattr(tasks, "deliver_outbox_message", tasks.deliver_outbox_message.using(queue_name=rq_backend))
    with django_capture_on_commit_callbacks(execute=True):
        ids = queue_messages(5)
    # The sweep enqueues the same messages again, as the timer does when it runs meanwhile.
    call_command("send_outbox", "--enqueue", stdout=io.StringIO())

    assert django_rq.get_queue(rq_backend).count == 10
    assert CountingBackend.sends == Counter()  # nothing sent until a worker runs
    run_rq_worker(rq_backend)
    assert django_rq.get_queue(rq_backend).count == 0
    assert sorted(counting.sends) == ids
    assert set(counting.sends.values()) == {1}
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
