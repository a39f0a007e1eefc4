"""services/intake.py: allocation from the 待分配 list, sent twice (two tabs, a double click)."""

import pytest

from gongshang.core.errors import DomainError
from gongshang.core.models import AuditEvent
from gongshang.recognition.models import RecognitionApplication, RecognitionEvent
from gongshang.recognition.services import intake as intake_svc
from gongshang.recognition.services import submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(employer_user_a, draft, add_materials):
    add_materials(employer_user_a, draft)
    return submission.application_submit(actor=employer_user_a, application=draft)


def _counts(app):
    return (RecognitionEvent.objects.filter(application=app, event_type="recognition.allocated").count(),
            AuditEvent.objects.filter(event_type="recognition.allocated").count())


def test_the_unallocated_list_sent_twice_answers_409_and_allocates_once(submitted, intake, staff_factory):
    other = staff_factory("intake")
    intake_svc.application_allocate_many(actor=intake, application_ids=[submitted.pk], assignee_id=intake.pk)
    # A colleague's tab still shows it as 待分配: the stale list must not re-allocate it silently.
    with pytest.raises(DomainError) as exc:
        intake_svc.application_allocate_many(actor=other, application_ids=[submitted.pk], assignee_id=other.pk)
    assert exc.value.status == 409 and "已分配" in exc.value.message and "刷新" in exc.value.message
    assert RecognitionApplication.objects.get(pk=submitted.pk).assignee_id == intake.pk
    assert _counts(submitted) == (1, 1)


def test_allocating_again_to_the_same_officer_answers_409(submitted, intake):
    intake_svc.application_allocate(actor=intake, application=submitted, assignee_id=intake.pk)
    with pytest.raises(DomainError) as exc:
        intake_svc.application_allocate(actor=intake, application=submitted, assignee_id=intake.pk)
    assert exc.value.status == 409 and "已分配给" in exc.value.message
    assert _counts(submitted) == (1, 1)


def test_re_allocation_to_another_officer_still_works(submitted, intake, staff_factory):
    other = staff_factory("intake")
    intake_svc.application_allocate(actor=intake, application=submitted, assignee_id=intake.pk)
    moved = intake_svc.application_allocate(actor=intake, application=submitted, assignee_id=other.pk)
    assert moved.assignee_id == other.pk and _counts(submitted) == (2, 2)
