"""身份核验 of a quick report's injured workers runs in a task after the commit (services/people
.schedule_identity_checks): the submission never waits for the register; the check is still made,
as the reporter, from the reporter's address."""

import pytest

from gongshang.core.audit.context import AuditContext, using
from gongshang.core.models import AuditEvent
from gongshang.integrations.models import IdentityCheck
from gongshang.integrations.tests.factories_identity import LISTED_ID
from gongshang.quickreports import tasks
from gongshang.quickreports.services import people
from gongshang.quickreports.services.people import schedule_identity_checks as real_schedule

from .conftest import other_person

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-06-10 10:00 +08:00")]


def _report(submit, employer_user_a):
    return submit(employer_user_a, reporter_kind="employer", reporter_mobile="13800000001",
                  persons=[other_person(name="周建华", id_number=LISTED_ID)])


def test_the_check_follows_the_commit_in_a_task(submit, employer_user_a, settings, monkeypatch,
                                                django_capture_on_commit_callbacks):
    monkeypatch.setattr(people, "schedule_identity_checks", real_schedule)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with using(AuditContext(ip="203.0.113.7")), django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = _report(submit, employer_user_a)
        assert not IdentityCheck.objects.exists()  # the answer did not wait for the register
    for callback in callbacks:
        callback()
    check = IdentityCheck.objects.get()
    assert check.result == "name_mismatch" and check.actor_id == employer_user_a.pk
    assert check.region == result.report.region
    event = AuditEvent.objects.get(event_type="integrations.identity_checked", target_id=str(check.pk))
    assert event.ip == "203.0.113.7"


def test_a_queue_that_refuses_the_job_checks_at_once(submit, employer_user_a, monkeypatch,
                                                     django_capture_on_commit_callbacks):
    class QueueDown:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue down")

    monkeypatch.setattr(people, "schedule_identity_checks", real_schedule)
    monkeypatch.setattr(tasks, "check_identities_later", QueueDown())
    with django_capture_on_commit_callbacks(execute=True):
        _report(submit, employer_user_a)
    assert IdentityCheck.objects.get().result == "name_mismatch"


def test_nothing_is_scheduled_without_an_id_number_and_a_name(submit, employer_user_a, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    monkeypatch.setattr(people, "schedule_identity_checks", real_schedule)
    with django_capture_on_commit_callbacks(execute=True):
        submit(employer_user_a, reporter_kind="employer", reporter_mobile="13800000001",
               persons=[other_person(name="王五", id_number="")])
    assert not IdentityCheck.objects.exists()
