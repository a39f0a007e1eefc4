"""rules/workflow.py and rules/periods.PERIOD_WORKFLOW: the tables as data, every action through
core.workflow.transition (allowed steps, refused steps, 409 on a stale status), the timeline entry
and the stored due date written by the model's append_timeline."""

import pytest

from gongshang.accounts.rules.access import MATRIX
from gongshang.core.errors import DomainError
from gongshang.core.workflow import transition
from gongshang.recognition.choices import ApplicationStatus, PeriodStatus
from gongshang.recognition.models import RecognitionApplication
from gongshang.recognition.rules import periods, workflow
from gongshang.recognition.services import intake as intake_svc
from gongshang.recognition.services import submission

W = workflow.WORKFLOW
ALLOWED = [
    ("draft", "submit", "submitted"), ("correction_requested", "resubmit", "allocated"),
    ("draft", "delete", "deleted"), ("correction_requested", "delete", "deleted"),
    ("submitted", "allocate", "allocated"), ("allocated", "allocate", "allocated"),
    ("allocated", "accept", "accepted"), ("allocated", "request_correction", "correction_requested"),
    ("allocated", "reject", "not_accepted"), ("accepted", "investigate", "investigating"),
    ("accepted", "suspend", "suspended"), ("investigating", "suspend", "suspended"),
    ("suspended", "resume", "accepted"), ("suspended", "resume_investigation", "investigating"),
    ("accepted", "decide", "decided"), ("investigating", "decide", "decided"),
    ("decided", "deliver", "delivered"), ("decided", "receive_decision", "delivered"),
    ("investigating", "note", "investigating"), ("draft", "edit", "draft"),
] + [(s, "withdraw", "withdrawn") for s in ("submitted", "allocated", "correction_requested", "accepted",
                                             "investigating", "suspended")]
REFUSED = [("correction_requested", "allocate"), ("correction_requested", "accept"), ("submitted", "accept"),
           ("decided", "withdraw"), ("delivered", "deliver"), ("draft", "decide"), ("accepted", "note"),
           ("submitted", "edit"), ("not_accepted", "resubmit"), ("deleted", "submit")]


def test_the_tables_are_matrix_actions_over_the_model_statuses():
    assert set(W.steps) <= set(MATRIX["recognition_application"])
    assert set(periods.PERIOD_WORKFLOW.steps) <= set(MATRIX["recognition_application"])
    assert set(W.statuses) == set(ApplicationStatus.values)
    assert set(periods.PERIOD_WORKFLOW.statuses) == set(PeriodStatus.values)
    assert set(RecognitionApplication.workflow.steps) == set(W.steps)
    assert workflow.TERMINAL == {"not_accepted", "delivered", "withdrawn", "deleted"}


@pytest.mark.parametrize(("source", "action", "target"), ALLOWED)
def test_allowed_steps(source, action, target):
    assert W.can(action, source) and W.target_of(action, source) == target


@pytest.mark.parametrize(("source", "action"), REFUSED)
def test_refused_steps(source, action):
    assert not W.can(action, source)
    assert workflow.message_for(action, source)  # a sentence for the user, never a code


def test_staff_waiting_for_corrections_are_told_why():
    assert workflow.message_for("accept", "correction_requested").startswith("该申请正等待申请人补正材料")


def test_period_table():
    P = periods.PERIOD_WORKFLOW
    assert P.field == "period_status"
    assert P.can("submit", "") and P.target_of("submit", "") == "expired" and not P.can("submit", "expired")
    for source in ("expired", "employer_late"):
        assert P.target_of("period_extension", source) == "in_time"
    assert not P.can("period_extension", "in_time") and not P.can("period_extension", "")


@pytest.mark.django_db
def test_transition_moves_writes_the_timeline_and_the_due_date(employer_user_a, draft, add_materials, intake):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    assert app.events.order_by("-pk").first().event_type == "recognition.submitted"
    app = transition(intake, app, "allocate", changes={"assignee": intake}, event_type="recognition.allocated")
    app.refresh_from_db()
    last = app.events.order_by("-pk").first()
    assert (app.status, last.event_type, last.status, last.details["from"]) == (
        "allocated", "recognition.allocated", "allocated", "submitted")
    assert app.due_on is not None and app.due_label  # refresh_due ran: the acceptance is now due


@pytest.mark.django_db
def test_a_stale_status_answers_409_and_changes_nothing(employer_user_a, draft, add_materials, intake):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    stale = RecognitionApplication.objects.get(pk=app.pk)  # loaded before another officer acts
    intake_svc.application_reject(actor=intake, application=app, reason="不属于本统筹区管辖")
    with pytest.raises(DomainError) as exc:
        intake_svc.application_accept(actor=intake, application=stale)
    assert exc.value.status == 409 and exc.value.message == workflow.message_for("accept", "allocated")
    assert RecognitionApplication.objects.get(pk=app.pk).status == "not_accepted"


@pytest.mark.django_db
def test_period_extension_goes_through_the_period_table(api_client, token_for, employer_user_a, draft,
                                                        add_materials, intake):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    url, auth = f"/api/v1/recognition/applications/{app.pk}/period-extension", token_for(intake)
    response = api_client.post(url, {"reason": "不可抗力"}, content_type="application/json", **auth)
    assert response.status_code == 409 and "无需登记延长理由" in response.json()["message"]  # in time
    RecognitionApplication.objects.filter(pk=app.pk).update(period_status="employer_late")
    response = api_client.post(url, {"reason": "不可抗力"}, content_type="application/json", **auth)
    assert response.status_code == 200
    app.refresh_from_db()
    assert (app.period_status, app.period_extension_reason) == ("in_time", "不可抗力")
    assert app.events.order_by("-pk").first().event_type == "recognition.period_extension"
