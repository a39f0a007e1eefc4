"""The one transition helper (core/workflow.py), on a real workflow model: OutboxMessage."""

import pytest
from django.db import OperationalError
from django.utils import timezone

from gongshang.accounts.choices import StaffRole
from gongshang.core.errors import DomainError, Forbidden
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.core.models.outbox import OutboxStatus
from gongshang.core.rules.outbox import OUTBOX_WORKFLOW
from gongshang.core.workflow import BUSY_MESSAGE, STALE_MESSAGE, Workflow, step, transition

pytestmark = pytest.mark.django_db


def make_message(status=OutboxStatus.FAILED, region="370200", **fields):
    return OutboxMessage.objects.create(channel="sms", recipient="13800000001", template="t", body="b",
                                        status=status, region=region, attempts=3, **fields)


# --- the table (pure) ---------------------------------------------------------------------------------------

def test_table_helpers():
    flow = Workflow(kind="outbox_message", steps={"retry": step("failed", "pending"), "send": step(["a", "b"], None)},
                    statuses=("failed", "pending", "a", "b"))
    assert flow.can("retry", "failed") and not flow.can("retry", "pending") and not flow.can("nope", "failed")
    assert flow.target_of("retry", "failed") == "pending"
    assert flow.target_of("send", "a") == "a"  # None: the status stays
    assert flow.actions_from("a") == ("send",)
    assert flow.table() == {"failed": {"pending"}, "pending": set(), "a": {"a"}, "b": {"b"}}


def test_outbox_table():
    assert OUTBOX_WORKFLOW.actions_from("failed") == ("retry",)
    assert set(OUTBOX_WORKFLOW.actions_from("pending")) == {"send", "defer", "fail"}
    assert OUTBOX_WORKFLOW.actions_from("sent") == ()
    assert set(OUTBOX_WORKFLOW.statuses) == set(OutboxStatus.values)


# --- transition -------------------------------------------------------------------------------------------

def test_transition_saves_status_and_changes_and_records_the_event(staff_factory):
    admin = staff_factory(StaffRole.SYSTEM_ADMIN)
    message = make_message()
    due = timezone.now()
    result = transition(admin, message, "retry", changes={"attempts": 0, "next_attempt_at": due},
                        details={"note": "网关恢复"})
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert (stored.status, stored.attempts, stored.next_attempt_at) == ("pending", 0, due)
    assert result.status == message.status == "pending"  # the caller's object is refreshed too
    event = AuditEvent.objects.get(event_type="outbox_message.retry")
    assert event.actor == admin and event.target_id == str(message.pk) and event.region == "370200"
    assert event.details == {"from": "failed", "to": "pending", "note": "网关恢复"}


def test_matrix_refusal_is_403_and_changes_nothing(staff_factory):
    message = make_message()
    with pytest.raises(Forbidden) as refused:
        transition(staff_factory(StaffRole.INTAKE), message, "retry")
    assert refused.value.status == 403
    assert OutboxMessage.objects.get(pk=message.pk).status == "failed"
    assert not AuditEvent.objects.exists()


def test_stale_status_is_409_checked_on_the_locked_row(staff_factory):
    admin = staff_factory(StaffRole.SYSTEM_ADMIN)
    message = make_message()
    # Someone else retried it since the page was loaded: the in-memory object still says failed.
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.PENDING)
    with pytest.raises(DomainError) as conflict:
        transition(admin, message, "retry")
    assert conflict.value.status == 409 and conflict.value.message == STALE_MESSAGE
    assert conflict.value.details == {"status": "pending", "action": "retry"}
    with pytest.raises(DomainError, match="请刷新") as custom:
        transition(admin, message, "retry", message="只有发送失败的消息才能重新发送，请刷新。")
    assert custom.value.status == 409
    assert not AuditEvent.objects.exists()


def test_actor_none_is_the_platform_and_skips_the_matrix():
    message = make_message(status=OutboxStatus.PENDING, region="")
    transition(None, message, "send", event_type="outbox.sent")  # nobody may "send" by hand
    assert OutboxMessage.objects.get(pk=message.pk).status == "sent"
    event = AuditEvent.objects.get(event_type="outbox.sent")
    assert event.actor is None and event.region == ""


def test_check_access_false_skips_the_matrix_but_not_the_table(staff_factory):
    message = make_message(status=OutboxStatus.SENT)
    with pytest.raises(DomainError) as conflict:
        transition(staff_factory(StaffRole.INTAKE), message, "retry", check_access=False)
    assert conflict.value.status == 409


def test_the_condition_is_checked(staff_factory):
    message = make_message(expires_at=timezone.now())
    with pytest.raises(Forbidden, match="已过有效期"):
        transition(staff_factory(StaffRole.SYSTEM_ADMIN), message, "retry")


def test_append_timeline_is_called_when_the_model_has_one(monkeypatch, staff_factory):
    calls = []
    monkeypatch.setattr(OutboxMessage, "append_timeline", lambda self, **kw: calls.append(kw), raising=False)
    admin = staff_factory(StaffRole.SYSTEM_ADMIN)
    transition(admin, make_message(), "retry", details={"why": "x"})
    assert calls == [{"actor": admin, "action": "retry", "source": "failed", "target": "pending",
                      "details": {"why": "x"}}]


def test_the_row_is_locked_and_a_lock_timeout_is_409(monkeypatch, staff_factory):
    admin = staff_factory(StaffRole.SYSTEM_ADMIN)
    message = make_message()
    manager_class = type(OutboxMessage._default_manager)
    locked = []
    original = manager_class.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(True)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(manager_class, "select_for_update", spy, raising=False)
    transition(admin, message, "retry")
    assert locked == [True]

    class Busy:
        def get(self, **kwargs):
            raise OperationalError("lock timeout")

    monkeypatch.setattr(manager_class, "select_for_update", lambda self, *a, **k: Busy(), raising=False)
    with pytest.raises(DomainError) as busy:
        transition(admin, make_message(), "retry")
    assert busy.value.status == 409 and busy.value.message == BUSY_MESSAGE


def test_the_condition_is_checked_again_on_the_locked_row(staff_factory):
    """Two requests at once: the object was loaded (and its condition held) before the other request
    committed; the helper decides on the locked row, not on the caller's copy."""
    admin = staff_factory(StaffRole.SYSTEM_ADMIN)
    message = make_message()  # loaded while it could still be retried
    OutboxMessage.objects.filter(pk=message.pk).update(expires_at=timezone.now())
    with pytest.raises(Forbidden, match="已过有效期"):
        transition(admin, message, "retry")
    assert OutboxMessage.objects.get(pk=message.pk).status == "failed"
    assert not AuditEvent.objects.exists()
