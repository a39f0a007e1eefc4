"""Notifications outbox: written in the business transaction, sent after commit, retried, visible."""

import io
import json
import signal
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongshang.accounts.models import StaffRoleAssignment, User
from gongshang.core.errors import DomainError
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.core.models.outbox import OutboxChannel, OutboxStatus
from gongshang.core.notifications.backends import DeliveryError, HttpGatewayBackend, get_backend
from gongshang.core.notifications.delivery import backoff, due_message_ids
from gongshang.core.notifications.selectors import outbox_message_list
from gongshang.core.notifications.services import enqueue_message, enqueue_messages, retry_message
from gongshang.core.notifications.templates import TemplateError, register_template, render
from gongshang.core.tasks import deliver_due_messages, deliver_outbox_message

MOBILE = "13812345678"
TASK_PATH = "gongshang.core.tasks.deliver_outbox_message"


class BrokenBackend:
    """A gateway that is down."""

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        raise DeliveryError("网关维护中")


@pytest.fixture
def outbox(settings, tmp_path):
    settings.NOTIFY_OUTBOX_DIR = tmp_path / "outbox"
    settings.NOTIFY_SMS_BACKEND = "console"
    settings.NOTIFY_WECHAT_BACKEND = "console"
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


def sms_log(settings) -> list[str]:
    path = settings.NOTIFY_OUTBOX_DIR / "sms.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def run_worker() -> str:
    """Run the real ORM worker until the queue is empty (what `manage.py db_worker` does).

    The worker closes connections that are not in autocommit mode; inside the test's wrapping
    transaction that would drop the PostgreSQL connection, so that one call is neutralised."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    out = io.StringIO()
    try:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
                         stdout=out, stderr=out)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return out.getvalue()


def make_login_code(region=""):
    return enqueue_message(channel=OutboxChannel.SMS, recipient=MOBILE, template="sms_login_code",
                           params={"code": "246810"}, region=region)


# --- templates -----------------------------------------------------------------------------


def test_render_fills_placeholders_and_refuses_missing_or_unknown():
    assert render("sms_login_code", {"code": "123456"}).startswith("【工伤保险】您的登录验证码为123456，")
    with pytest.raises(TemplateError, match="缺少参数：code"):
        render("sms_login_code", {})
    with pytest.raises(TemplateError, match="未知的消息模板"):
        render("sms_nope", {})


def test_register_template_extends_the_registry():
    register_template("sms_test_hello", "【工伤保险】{name}，您好")
    assert render("sms_test_hello", {"name": "张三"}) == "【工伤保险】张三，您好"
    with pytest.raises(TemplateError):
        register_template("sms_test_bad", "{a.b}")


# --- enqueue -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_enqueue_writes_a_pending_row_and_its_job_in_the_same_transaction(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = make_login_code(region="370200")
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.recipient == MOBILE
    assert message.body == "【工伤保险】您的登录验证码为246810，5分钟内有效。如非本人操作请忽略。"
    assert message.params == {"code": "246810"}
    assert message.region == "370200"
    assert message.next_attempt_at is not None
    # The job row is written by the same transaction (database task backend): it exists only if
    # the message commits, and nothing waits for the commit.
    assert len(callbacks) == 0
    assert DBTaskResult.objects.get().args_kwargs["args"] == [message.pk]
    # The recipient is encrypted at rest.
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient FROM core_outboxmessage WHERE id = %s", [message.pk])
        assert MOBILE not in cursor.fetchone()[0]


@pytest.mark.django_db
def test_enqueue_refuses_bad_input(outbox):
    with pytest.raises(DomainError):
        enqueue_message(channel="fax", recipient=MOBILE, template="sms_generic", params={"text": "x"})
    with pytest.raises(DomainError):
        enqueue_message(channel="sms", recipient="  ", template="sms_generic", params={"text": "x"})
    with pytest.raises(TemplateError):
        enqueue_message(channel="sms", recipient=MOBILE, template="sms_generic", params={})
    assert not OutboxMessage.objects.exists()


# --- the required demonstration: rollback means nothing runs -------------------------------


@pytest.mark.django_db
def test_task_enqueued_in_a_rolled_back_transaction_never_runs(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            make_login_code()
            assert OutboxMessage.objects.count() == 1
            raise RuntimeError("业务校验失败")
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert sms_log(outbox) == []


@pytest.mark.django_db
def test_committed_message_is_sent_by_the_db_worker(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = make_login_code()
    task_row = DBTaskResult.objects.get()
    assert task_row.task_path == TASK_PATH
    assert task_row.args_kwargs == {"args": [message.pk], "kwargs": {}}
    assert sms_log(outbox) == []  # queued, not sent: sending is the worker's job

    run_worker()

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    task_row.refresh_from_db()
    assert task_row.status == "SUCCESSFUL"
    (line,) = sms_log(outbox)
    stamp, channel, recipient, body = line.split("\t")
    assert (channel, recipient, body) == ("sms", MOBILE, message.body)


@pytest.mark.django_db(transaction=True)
def test_real_commit_and_rollback_end_to_end(outbox):
    """Same demonstration with real transactions (no test-case wrapper, on_commit fires for real)."""
    with pytest.raises(RuntimeError), transaction.atomic():
        make_login_code()
        raise RuntimeError("rollback")
    assert not OutboxMessage.objects.exists()
    assert not DBTaskResult.objects.exists()

    with transaction.atomic():
        message = make_login_code()
        # Written by the same transaction (database task backend), invisible to workers until it commits.
        assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    run_worker()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(sms_log(outbox)) == 1


@pytest.mark.django_db
def test_immediate_backend_does_not_send_when_the_transaction_rolls_back(
        outbox, django_capture_on_commit_callbacks):
    """With a backend that runs tasks at once, only the after-commit hand-off keeps a rolled
    back change from sending (the DB backend's queue row would roll back with it anyway)."""
    outbox.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            make_login_code()
            raise RuntimeError("rollback")
    assert sms_log(outbox) == []


@pytest.mark.django_db
def test_immediate_backend_sends_on_commit(outbox, django_capture_on_commit_callbacks):
    outbox.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        message = make_login_code()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(sms_log(outbox)) == 1


# --- delivery: retries, backoff, failure ---------------------------------------------------


def test_backoff_doubles_from_30_seconds_and_caps_at_one_hour():
    assert [backoff(n).total_seconds() for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert backoff(50) == timedelta(hours=1)


@pytest.mark.django_db
def test_failures_retry_with_backoff_then_fail(outbox, django_capture_on_commit_callbacks):
    outbox.NOTIFY_SMS_BACKEND = "gongshang.core.tests.test_outbox.BrokenBackend"
    message = make_login_code()

    expected_waits = [30, 60]
    for attempt, wait in enumerate(expected_waits, start=1):
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            outcome = deliver_outbox_message.call(message.pk)
        assert outcome == OutboxStatus.RETRYING
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.status == OutboxStatus.RETRYING
        assert "网关维护中" in message.last_error
        delay = (message.next_attempt_at - before).total_seconds()
        assert wait - 1 <= delay <= wait + 1
        # It re-enqueued itself for that time; the worker leaves it alone until then.
        retry_task = DBTaskResult.objects.order_by("-enqueued_at").first()
        assert retry_task.task_path == TASK_PATH
        assert retry_task.run_after == message.next_attempt_at
        run_worker()
        message.refresh_from_db()
        assert message.attempts == attempt
        # A duplicate run before the time (the sweep racing the retry) does not cut the wait short.
        assert deliver_outbox_message.call(message.pk) == "skipped:not_due"
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))

    tasks_before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_outbox_message.call(message.pk) == OutboxStatus.FAILED
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3
    assert message.next_attempt_at is None
    assert DBTaskResult.objects.count() == tasks_before  # no further retry
    assert deliver_outbox_message.call(message.pk) == "skipped:failed"


@pytest.mark.django_db
def test_a_sent_message_is_not_sent_twice(outbox):
    message = make_login_code()
    assert deliver_outbox_message.call(message.pk) == OutboxStatus.SENT
    assert deliver_outbox_message.call(message.pk) == "skipped:sent"
    assert deliver_outbox_message.call(999999) == "skipped:missing"
    assert len(sms_log(outbox)) == 1


def make_notices(count: int) -> list[int]:
    """`count` payment notices (they never expire), committed without running their jobs."""
    enqueue_messages({"channel": OutboxChannel.SMS, "recipient": f"1391234{index:04d}",
                      "template": "sms_payment_issued",
                      "params": {"month": "2026年11月", "amount": "3000.00", "account_tail": "1234"}}
                     for index in range(count))
    return list(OutboxMessage.objects.filter(template="sms_payment_issued").order_by("pk")
                .values_list("pk", flat=True))


@pytest.mark.django_db
def test_sweep_enqueues_a_few_drain_jobs_whatever_the_backlog(outbox):
    outbox.NOTIFY_DRAIN_JOBS = 3
    waiting = make_login_code()
    OutboxMessage.objects.filter(pk=waiting.pk).update(status=OutboxStatus.RETRYING,
                                                       next_attempt_at=timezone.now() + timedelta(minutes=5))
    fresh = make_login_code()  # due now, but its own after-commit task is about to run
    sent = make_login_code()
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxStatus.SENT)
    DBTaskResult.objects.all().delete()  # their own jobs, written with them, are not what is counted here
    assert deliver_due_messages.call() == 0
    assert not DBTaskResult.objects.exists()

    backlog = make_notices(250)  # the workers were down: 250 messages overdue
    OutboxMessage.objects.filter(pk__in=backlog).update(next_attempt_at=timezone.now() - timedelta(minutes=10))
    assert deliver_due_messages.call() == 3
    assert deliver_due_messages.call() == 3  # every run adds a few jobs, not the backlog again
    call_command("send_outbox", "--enqueue", stdout=io.StringIO())
    jobs = list(DBTaskResult.objects.all())
    assert len(jobs) == 9
    assert {job.task_path for job in jobs} == {"gongshang.core.tasks.drain_outbox"}

    run_worker()
    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert {statuses[pk] for pk in [*backlog, fresh.pk]} == {OutboxStatus.SENT}
    assert statuses[waiting.pk] == OutboxStatus.RETRYING  # its backoff is respected
    assert len(sms_log(outbox)) == 251
    assert OutboxMessage.objects.filter(pk__in=backlog, attempts=1).count() == 250


@pytest.mark.django_db
def test_send_outbox_command_flushes_without_a_worker(outbox):
    first, second = make_login_code(), make_login_code()
    waiting = make_login_code()
    OutboxMessage.objects.filter(pk=waiting.pk).update(status=OutboxStatus.RETRYING,
                                                       next_attempt_at=timezone.now() + timedelta(hours=1))
    DBTaskResult.objects.all().delete()  # no worker: their jobs are never run
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    assert "已发送 2 条" in out.getvalue()
    assert not DBTaskResult.objects.exists()
    assert set(OutboxMessage.objects.filter(status=OutboxStatus.SENT).values_list("pk", flat=True)) == {
        first.pk, second.pk}
    call_command("send_outbox", "--all", stdout=out)
    waiting.refresh_from_db()
    assert waiting.status == OutboxStatus.SENT
    assert len(sms_log(outbox)) == 3


# --- HTTP gateway ---------------------------------------------------------------------------


class Gateway:
    """A tiny gateway on 127.0.0.1 recording what it receives."""

    def __init__(self, status=200):
        self.requests = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                gateway.requests.append({"path": self.path, "headers": dict(self.headers),
                                         "body": json.loads(self.rfile.read(length))})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "quota exceeded"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.django_db
def test_http_backend_posts_json_with_bearer_key(outbox):
    with Gateway() as gateway:
        outbox.NOTIFY_SMS_BACKEND = "http"
        outbox.NOTIFY_SMS_GATEWAY_URL = gateway.url
        outbox.NOTIFY_SMS_GATEWAY_KEY = "sekret-key"
        message = make_login_code()
        assert deliver_outbox_message.call(message.pk) == OutboxStatus.SENT
    (request,) = gateway.requests
    assert request["path"] == "/sms/send"
    assert request["headers"]["Authorization"] == "Bearer sekret-key"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert request["body"] == {"to": MOBILE, "template": "sms_login_code", "params": {"code": "246810"},
                               "body": message.body}
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert sms_log(outbox) == []


@pytest.mark.django_db
def test_http_backend_non_2xx_is_a_retryable_failure(outbox):
    with Gateway(status=503) as gateway:
        outbox.NOTIFY_SMS_BACKEND = "http"
        outbox.NOTIFY_SMS_GATEWAY_URL = gateway.url
        message = make_login_code()
        assert deliver_outbox_message.call(message.pk) == OutboxStatus.RETRYING
    message.refresh_from_db()
    assert "HTTP 503" in message.last_error
    assert "quota exceeded" in message.last_error


def test_http_backend_unreachable_and_misconfigured(settings):
    settings.NOTIFY_SMS_GATEWAY_URL = ""
    settings.NOTIFY_SMS_BACKEND = "http"
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        get_backend("sms")
    backend = HttpGatewayBackend("sms", url="http://127.0.0.1:9/x", key="k")  # discard port: refused
    message = OutboxMessage(channel="sms", recipient=MOBILE, template="sms_generic", params={}, body="x")
    with pytest.raises(DeliveryError, match="无法连接网关"):
        backend.send(message)


# --- staff page ----------------------------------------------------------------------------


def staff(username, role, jurisdiction="370200"):
    user = User.objects.create_user(username=username, password="x", kind="staff", jurisdiction=jurisdiction)
    if role:
        StaffRoleAssignment.objects.create(user=user, role=role)
    return user


@pytest.mark.django_db
def test_outbox_page_shows_masked_recipients_to_system_admins(client, outbox):
    make_login_code(region="370200")
    other = enqueue_message(channel="sms", recipient="13900001111", template="sms_generic",
                            params={"text": "其他统筹区"}, region="370100")
    client.force_login(staff("sys", "system_admin"))
    response = client.get(reverse("core:outbox_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "138****5678" in html
    assert MOBILE not in html
    assert "246810" not in html  # one-time codes stay off the page
    assert "139****1111" not in html and f"<td>{other.pk}</td>" not in html  # another jurisdiction
    assert "重新发送" not in html.split("<tbody>")[1]  # nothing failed yet


@pytest.mark.django_db
def test_outbox_page_filters_and_paginates(client, outbox):
    for _ in range(3):
        make_login_code()
    failed = make_login_code()
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED, attempts=3)
    client.force_login(staff("sys", "system_admin"))
    html = client.get(reverse("core:outbox_list"), {"status": "failed"}).content.decode()
    assert html.count("138****5678") == 1
    assert "重新发送" in html
    html = client.get(reverse("core:outbox_list"), {"channel": "wechat"}).content.decode()
    assert "138****5678" not in html
    assert "共 0 条" in html

    OutboxMessage.objects.bulk_create(
        OutboxMessage(channel="wechat", recipient="oWx-openid-0001", template="wechat_generic",
                      body="x", region="370200") for _ in range(51))
    html = client.get(reverse("core:outbox_list"), {"channel": "wechat"}).content.decode()
    assert "第 1 / 2 页，共 51 条" in html
    assert "channel=wechat&amp;page=2" in html
    html = client.get(reverse("core:outbox_list"), {"channel": "wechat", "page": 2}).content.decode()
    assert html.count("oWx********0001") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["audit_admin", "security_admin", "intake", None])
def test_outbox_page_is_for_system_admins_only(client, outbox, role):
    message = make_login_code()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED)
    client.force_login(staff("other", role))
    assert client.get(reverse("core:outbox_list")).status_code == 403
    assert client.post(reverse("core:outbox_retry", args=[message.pk])).status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED


@pytest.mark.django_db
def test_outbox_page_requires_login(client):
    response = client.get(reverse("core:outbox_list"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_retry_button_requeues_a_failed_message(client, outbox, django_capture_on_commit_callbacks):
    message = make_login_code(region="370200")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, attempts=3,
                                                       last_error="DeliveryError: 网关维护中",
                                                       next_attempt_at=None)
    admin = staff("sys", "system_admin")
    client.force_login(admin)
    DBTaskResult.objects.all().delete()  # the first attempt's job is done with
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:outbox_retry", args=[message.pk]), {"query": "status=failed"})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:outbox_list") + "?status=failed"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 0
    event = AuditEvent.objects.get(event_type="outbox.retried")
    assert event.actor == admin
    assert event.target_id == str(message.pk)
    assert event.details["previous_attempts"] == 3
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    run_worker()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT

    # Only failed messages can be retried; a sent one gets a message, not a 500.
    response = client.post(reverse("core:outbox_retry", args=[message.pk]), follow=True)
    assert "只有发送失败的消息才能重新发送" in response.content.decode()
    assert client.get(reverse("core:outbox_retry", args=[message.pk])).status_code == 405


@pytest.mark.django_db
def test_retry_of_another_jurisdictions_message_is_404(client, outbox):
    message = make_login_code(region="370100")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED)
    client.force_login(staff("sys", "system_admin"))
    assert client.post(reverse("core:outbox_retry", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED


@pytest.mark.django_db
def test_retry_message_service_refuses_open_messages(outbox):
    message = make_login_code()
    with pytest.raises(DomainError) as exc:
        retry_message(actor=staff("sys", "system_admin"), message=message)
    assert exc.value.status == 409


# --- secrets at rest and expiry ------------------------------------------------------------


def raw_row(message_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT params, body FROM core_outboxmessage WHERE id = %s", [message_id])
        return cursor.fetchone()


@pytest.mark.django_db
def test_params_and_body_are_encrypted_at_rest(outbox):
    message = make_login_code()
    params, body = raw_row(message.pk)
    for raw in (params, body):
        assert raw.startswith("enc1:")
        assert "246810" not in raw
    fresh = OutboxMessage.objects.get(pk=message.pk)
    assert fresh.params == {"code": "246810"}
    assert "246810" in fresh.body


@pytest.mark.django_db
def test_encrypted_json_field_round_trips_values_and_refuses_searching(outbox):
    values = [{}, {"code": "123456", "名称": "工伤", "n": 3, "nested": {"list": [1, None, True]}}]
    for value in values:
        message = OutboxMessage.objects.create(channel="sms", recipient=MOBILE, template="sms_generic",
                                               params=value, body="")
        assert OutboxMessage.objects.get(pk=message.pk).params == value
        assert raw_row(message.pk)[0].startswith("enc1:")
    assert OutboxMessage.objects.filter(params__isnull=False).count() == 2
    with pytest.raises(TypeError, match="加密字段不支持"):
        list(OutboxMessage.objects.filter(params__code="123456"))
    with pytest.raises(TypeError):
        list(OutboxMessage.objects.filter(body__contains="123456"))


@pytest.mark.django_db
def test_secret_templates_expire_after_the_code_ttl_by_default(outbox):
    outbox.SMS_CODE_TTL_SECONDS = 300
    before = timezone.now()
    message = make_login_code()
    assert before + timedelta(seconds=299) <= message.expires_at <= timezone.now() + timedelta(seconds=300)
    reset = enqueue_message(channel="sms", recipient=MOBILE, template="sms_reset_code", params={"code": "1"},
                            expires_in_seconds=60)
    assert reset.expires_at <= timezone.now() + timedelta(seconds=60)
    # Ordinary messages do not expire unless the caller says so.
    plain = enqueue_message(channel="sms", recipient=MOBILE, template="sms_generic", params={"text": "x"})
    assert plain.expires_at is None
    timed = enqueue_message(channel="sms", recipient=MOBILE, template="sms_generic", params={"text": "x"},
                            expires_in_seconds=3600)
    assert timed.expires_at > timezone.now() + timedelta(minutes=59)
    for bad in (0, -5, "60", True):
        with pytest.raises(DomainError):
            enqueue_message(channel="sms", recipient=MOBILE, template="sms_generic", params={"text": "x"},
                            expires_in_seconds=bad)


@pytest.mark.django_db
def test_register_template_secret_is_honoured(outbox):
    register_template("sms_test_secret_code", "【工伤保险】验证码{code}", secret=True)
    message = enqueue_message(channel="sms", recipient=MOBILE, template="sms_test_secret_code",
                              params={"code": "1"})
    assert message.expires_at is not None


class RecordingBackend:
    sent: list = []

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        RecordingBackend.sent.append(message.pk)


@pytest.mark.django_db
def test_an_expired_code_is_never_sent_and_not_retried(outbox, django_capture_on_commit_callbacks):
    outbox.NOTIFY_SMS_BACKEND = "gongshang.core.tests.test_outbox.RecordingBackend"
    RecordingBackend.sent = []
    message = make_login_code()
    OutboxMessage.objects.filter(pk=message.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    DBTaskResult.objects.all().delete()  # its first job is what runs below (called directly)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert deliver_outbox_message.call(message.pk) == OutboxStatus.FAILED
    assert callbacks == []
    assert RecordingBackend.sent == []
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.last_error == "已过期，未发送"
    assert message.next_attempt_at is None
    assert message.attempts == 0
    assert not DBTaskResult.objects.exists()
    assert deliver_outbox_message.call(message.pk) == "skipped:failed"
    # Staff cannot send it again either: the code is useless now.
    with pytest.raises(DomainError, match="已过有效期"):
        retry_message(actor=staff("sys", "system_admin"), message=message)


@pytest.mark.django_db
def test_a_code_that_expires_while_retrying_fails_on_the_next_attempt(outbox, django_capture_on_commit_callbacks):
    outbox.NOTIFY_SMS_BACKEND = "gongshang.core.tests.test_outbox.BrokenBackend"
    message = make_login_code()
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_outbox_message.call(message.pk) == OutboxStatus.RETRYING
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now(),
                                                       expires_at=timezone.now())
    outbox.NOTIFY_SMS_BACKEND = "console"
    assert deliver_outbox_message.call(message.pk) == OutboxStatus.FAILED
    message.refresh_from_db()
    assert (message.status, message.last_error, message.attempts) == (OutboxStatus.FAILED, "已过期，未发送", 1)
    assert sms_log(outbox) == []


@pytest.mark.django_db
def test_outbox_page_offers_no_retry_for_an_expired_code(client, outbox):
    message = make_login_code(region="370200")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, last_error="已过期，未发送",
                                                       expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(staff("sys", "system_admin"))
    html = client.get(reverse("core:outbox_list")).content.decode()
    assert "已过期，未发送" in html
    assert "重新发送</button>" not in html


# --- delivery holds no transaction while the gateway is called -----------------------------


class ObservingBackend:
    """Looks at the database from inside send(): what the gateway call runs alongside."""

    seen: dict = {}

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        from gongshang.core.notifications.delivery import deliver_message

        ObservingBackend.seen["in_atomic_block"] = connection.in_atomic_block
        # Another connection (another worker or a web request) sees the committed lease and
        # can write meanwhile.
        def other_connection():
            try:
                row = OutboxMessage.objects.get(pk=message.pk)
                ObservingBackend.seen["lease"] = (row.attempts, row.next_attempt_at)
                ObservingBackend.seen["other_write"] = OutboxMessage.objects.filter(pk=message.pk).update(
                    region="370200")
            finally:
                from django.db import connections

                connections.close_all()

        thread = threading.Thread(target=other_connection)
        thread.start()
        thread.join(timeout=15)
        # A second worker racing this one skips the message instead of sending it again.
        ObservingBackend.seen["duplicate"] = deliver_message(message.pk)
        ObservingBackend.sent += 1

    sent = 0


@pytest.mark.django_db(transaction=True)
def test_the_gateway_is_called_outside_any_transaction_under_a_committed_lease(outbox):
    outbox.NOTIFY_SMS_BACKEND = "gongshang.core.tests.test_outbox.ObservingBackend"
    ObservingBackend.seen, ObservingBackend.sent = {}, 0
    message = make_login_code()
    before = timezone.now()
    assert deliver_outbox_message.call(message.pk) == OutboxStatus.SENT
    seen = ObservingBackend.seen
    assert seen["in_atomic_block"] is False
    attempts, lease_until = seen["lease"]
    assert attempts == 1
    assert lease_until >= before + timedelta(minutes=1)
    assert seen["other_write"] == 1
    assert seen["duplicate"] == "skipped:not_due"
    assert ObservingBackend.sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at, message.region) == (
        OutboxStatus.SENT, 1, None, "370200")


@pytest.mark.django_db
def test_a_worker_that_died_mid_send_leaves_a_lease_that_runs_out(outbox):
    from gongshang.core.notifications.delivery import LEASE, _claim

    message = make_login_code()
    claimed, _ = _claim(message.pk, timezone.now())  # ... and the process was killed here
    assert claimed.attempts == 1
    assert deliver_outbox_message.call(message.pk) == "skipped:not_due"
    assert due_message_ids() == []
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert LEASE >= timedelta(minutes=2)
    assert due_message_ids() == [message.pk]
    assert deliver_outbox_message.call(message.pk) == OutboxStatus.SENT
    message.refresh_from_db()
    assert message.attempts == 2
    assert len(sms_log(outbox)) == 1


class TakenOverBackend:
    """The lease ran out during the call and another worker claimed the message meanwhile."""

    fail = True

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1,
                                                           next_attempt_at=timezone.now() + timedelta(minutes=2))
        if TakenOverBackend.fail:
            raise DeliveryError("超时")


@pytest.mark.django_db
def test_outcomes_after_a_lost_lease(outbox, django_capture_on_commit_callbacks):
    outbox.NOTIFY_SMS_BACKEND = "gongshang.core.tests.test_outbox.TakenOverBackend"
    TakenOverBackend.fail = True
    message = make_login_code()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert deliver_outbox_message.call(message.pk) == "skipped:superseded"
    assert callbacks == []
    message.refresh_from_db()
    # The failure is not recorded over the other worker's claim.
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.PENDING, 2, "")

    TakenOverBackend.fail = False
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver_outbox_message.call(message.pk) == OutboxStatus.SENT
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT  # a successful send is always recorded


# --- scope: the 系统管理员 of the region; platform-wide messages only for the home region's -------------


@pytest.mark.django_db
def test_platform_wide_messages_only_for_the_home_regions_system_admin(client, outbox, settings):
    """Before: every region's 系统管理员 saw the region-less messages (login codes of anyone)."""
    settings.DEFAULT_POOLING_REGION = "370200"
    platform, jinan_message = make_login_code(region=""), make_login_code(region="370100")
    home, jinan = staff("sys-qd", "system_admin"), staff("sys-jn", "system_admin", jurisdiction="370100")
    assert list(outbox_message_list(actor=home)) == [platform]
    assert list(outbox_message_list(actor=jinan)) == [jinan_message]
    OutboxMessage.objects.filter(pk=platform.pk).update(status=OutboxStatus.FAILED)
    client.force_login(jinan)
    assert client.post(reverse("core:outbox_retry", args=[platform.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["audit_admin", "security_admin", "intake", "hotline"])
def test_outbox_selector_gives_other_roles_nothing(outbox, role):
    """Before: the selector admitted every staff role of the region (only the page held it to SYS)."""
    make_login_code(region="370200")
    assert not outbox_message_list(actor=staff(f"o-{role}", role)).exists()


@pytest.mark.django_db
def test_retry_is_a_workflow_step(outbox):
    from gongshang.core.rules.outbox import OUTBOX_WORKFLOW

    assert OutboxMessage.workflow is OUTBOX_WORKFLOW
    admin = staff("sys", "system_admin")
    message = make_login_code(region="370200")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED)
    message.refresh_from_db()
    from gongshang.accounts.access import allowed_actions

    assert allowed_actions(admin, message) == {"view", "retry"}
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT)
    message.refresh_from_db()
    assert allowed_actions(admin, message) == {"view"}
    assert allowed_actions(staff("aud", "audit_admin"), message) == frozenset()
