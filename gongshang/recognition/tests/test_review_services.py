"""Review 5 fixes through services and the API: period on the first filing, applicant-only edges,
the insured 统筹区, date bounds, several applicants per case, concurrency, small API answers."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.workdays.calendar import ChineseCalendar
from gongshang.core.workflow import transition
from gongshang.recognition.models import RecognitionApplication, RecognitionDocument
from gongshang.recognition.rules import periods, workflow
from gongshang.recognition.services import drafts, submission
from gongshang.recognition.services import intake as intake_svc

from .conftest import COMPLETE

pytestmark = pytest.mark.django_db
BASE = "/api/v1/recognition/applications"
JSON = {"content_type": "application/json"}
WORKER_DATA = {"injured_id_number": "370202198803151237", "injured_name": "张伟", "circumstance": "art14_1",
               "accident_place": "车间", "description": "砸伤", "body_part": "左足", "diagnosis": "骨折",
               "treatments": ["outpatient"], "handling_region": "370200",
               "employer_name": "青岛海川机械制造有限公司", "employer_uscc": "91370200MA3C5UWK4C"}


def _to_correction(actor, app, add_materials, intake):
    add_materials(actor, app)
    app = submission.application_submit(actor=actor, application=app)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    return intake_svc.application_request_correction(actor=intake, application=app, items=["说明"])


def _backdate(app, *, accident_days, submitted_days):
    now = timezone.now()
    RecognitionApplication.objects.filter(pk=app.pk).update(accident_at=now - timedelta(days=accident_days),
                                                            submitted_at=now - timedelta(days=submitted_days))
    app.refresh_from_db()
    return app


# 1. The period is met by the first submission, not the 补正 resubmission.
def test_employer_filed_in_time_is_not_reflagged_on_resubmission(employer_user_a, draft, add_materials, intake):
    app = _to_correction(employer_user_a, draft, add_materials, intake)
    app = _backdate(app, accident_days=45, submitted_days=25)  # filed on day 20, resubmitted on day 45
    app = submission.application_submit(actor=employer_user_a, application=app)
    accident_day = timezone.localtime(app.accident_at).date()
    expected = periods.period_due(accident_day, "employer", ChineseCalendar())[0].due
    assert (app.status, app.period_status, app.period_due) == ("allocated", "in_time", expected)


def test_worker_filed_within_a_year_resubmits_after_it(worker, zhang_wei, add_materials, intake):
    app = drafts.application_create(actor=worker, data={**WORKER_DATA,
                                                        "accident_at": timezone.now() - timedelta(days=300)})
    app = _to_correction(worker, app, add_materials, intake)
    app = _backdate(app, accident_days=400, submitted_days=100)  # filed on day 300, resubmitted on day 400
    app = submission.application_submit(actor=worker, application=app)
    assert (app.status, app.period_status) == ("allocated", "in_time")


# 2. Every illegal transition, from each status, is refused by the table and by the helper.
ILLEGAL = [(s, t) for s in workflow.STATUSES for t in workflow.STATUSES if t not in workflow.TRANSITIONS[s]]


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_table_refuses_illegal_transition(current, target):
    assert not workflow.can_transition(current, target)
    assert not workflow.can_transition(current, target, by=workflow.STAFF)
    assert not workflow.can_transition(current, target, by=workflow.APPLICANT)


@pytest.mark.parametrize("current", workflow.STATUSES)
def test_helper_refuses_every_action_the_table_does_not_allow(current, draft):
    """core.workflow.transition on the table: every action not allowed from `current` answers 409
    with its message and changes nothing (the platform itself acting: no matrix in the way)."""
    RecognitionApplication.objects.filter(pk=draft.pk).update(status=current)
    for action in [a for a in workflow.STEPS if not workflow.WORKFLOW.can(a, current)]:
        with pytest.raises(DomainError) as exc:
            transition(None, draft, action, message=workflow.message_for(action, current))
        assert (exc.value.status, exc.value.details) == (409, {"status": current, "action": action})
        assert exc.value.message == workflow.message_for(action, current)
    assert RecognitionApplication.objects.get(pk=draft.pk).status == current


def test_staff_cannot_allocate_an_application_awaiting_correction(api_client, token_for, employer_user_a, draft,
                                                                  add_materials, intake):
    app = _to_correction(employer_user_a, draft, add_materials, intake)
    response = api_client.post(f"{BASE}/{app.pk}/allocate", {"assignee": intake.pk}, **JSON, **token_for(intake))
    assert response.status_code == 409
    assert response.json()["message"].startswith("该申请正等待申请人补正材料")
    with pytest.raises(DomainError):
        intake_svc.application_accept(actor=intake, application=app)
    assert RecognitionApplication.objects.get(pk=app.pk).status == "correction_requested"
    assert submission.application_submit(actor=employer_user_a, application=app).status == "allocated"


# 3. The 统筹区 is the employer's insured region.
def test_handling_region_must_be_the_insured_region(api_client, token_for, employer_user_a, draft, add_materials,
                                                    staff_factory):
    auth = token_for(employer_user_a)
    for code in ("220100", "370000"):
        response = api_client.put(f"{BASE}/{draft.pk}", {"handling_region": code}, **JSON, **auth)
        assert response.status_code == 422, code
        assert [d["field"] for d in response.json()["details"]] == ["handling_region"]
        assert "370200" in response.json()["details"][0]["message"]
    assert api_client.put(f"{BASE}/{draft.pk}", {"handling_region": "370202"}, **JSON, **auth).status_code == 200
    add_materials(employer_user_a, draft)
    assert api_client.post(f"{BASE}/{draft.pk}/submit", **auth).json()["region"] == "370200"
    assert api_client.get(f"{BASE}/{draft.pk}", **token_for(staff_factory("intake"))).status_code == 200
    assert api_client.get(f"{BASE}/{draft.pk}",
                          **token_for(staff_factory("intake", jurisdiction="220100"))).status_code == 404


# 4. Dates out of range answer 422 naming the field.
@pytest.mark.parametrize(("body", "field"), [({"accident_at": "0001-01-01T00:00:00"}, "accident_at"),
                                             ({"accident_at": "1900-01-01T00:00:00+08:00"}, "accident_at"),
                                             ({"diagnosed_on": "1949-12-31"}, "diagnosed_on"),
                                             ({"diagnosed_on": "2999-01-01"}, "diagnosed_on")])
def test_out_of_range_dates_are_422(api_client, token_for, employer_user_a, draft, body, field):
    response = api_client.put(f"{BASE}/{draft.pk}", body, **JSON, **token_for(employer_user_a))
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["details"]] == [field]


# 8. The worker may apply on the employer's case; never sees the other applicant's ids.
def test_worker_applies_on_a_case_the_employer_has_a_draft_for(worker, employer_user_a, draft, quick_case,
                                                                add_materials):
    mine = drafts.application_create(actor=worker, data=dict(COMPLETE), case=quick_case)
    assert mine.case_id == draft.case_id and mine.owner_key != draft.owner_key
    with pytest.raises(DomainError) as exc:  # a second one of the worker's own: its own id
        drafts.application_create(actor=worker, data=dict(COMPLETE), case=quick_case)
    assert exc.value.details["existing_id"] == mine.pk
    add_materials(employer_user_a, draft)
    submission.application_submit(actor=employer_user_a, application=draft)
    with pytest.raises(DomainError) as exc:
        submission.application_submit(actor=worker, application=mine)
    assert (exc.value.code, exc.value.status, exc.value.details) == ("case_applied_by_other", 409, {})


# 11. Two officers accepting at once: one 409, one notice.
@pytest.mark.django_db(transaction=True)
def test_concurrent_accept_answers_409_and_issues_one_notice(employer_user_a, quick_case, add_materials, intake,
                                                             staff_factory):
    app = drafts.application_create(actor=employer_user_a, data=dict(COMPLETE), case=quick_case)
    add_materials(employer_user_a, app)
    app = submission.application_submit(actor=employer_user_a, application=app)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    if connection.vendor != "postgresql":
        # The in-memory SQLite test database (shared cache) locks whole tables at unpredictable
        # points, so two threads cannot give a repeatable answer there; row locks are checked on
        # PostgreSQL, where CI runs this test too.
        pytest.skip("concurrent acceptance is checked on PostgreSQL")
    results, barrier = [], threading.Barrier(2)

    def run(actor):
        try:
            barrier.wait()
            intake_svc.application_accept(actor=actor, application=RecognitionApplication.objects.get(pk=app.pk))
            results.append("ok")
        except DomainError as exc:
            results.append(exc.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(staff_factory("reviewer"),)) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    notices = RecognitionDocument.objects.filter(application_id=app.pk, kind="recognition.acceptance_notice")
    assert sorted(results, key=str) == [409, "ok"]  # row locks serialise: the second sees "accepted"
    assert notices.count() == 1


# 16. Small API answers.
def test_withdraw_while_suspended_closes_the_suspension(employer_user_a, draft, add_materials, intake, reviewer):
    from gongshang.recognition.services import decision

    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    app = intake_svc.application_accept(actor=intake, application=app)
    app = decision.application_suspend(actor=reviewer, application=app, reason="等待法院判决")
    app.suspensions.update(started_on=timezone.localdate() - timedelta(days=3))
    submission.application_withdraw(actor=employer_user_a, application=app)
    assert list(app.suspensions.values_list("ended_on", flat=True)) == [timezone.localdate() - timedelta(days=1)]


def test_api_refuses_malformed_bodies(api_client, token_for, employer_user_a, draft, add_materials, intake,
                                      reviewer):
    auth, staff = token_for(employer_user_a), token_for(intake)
    response = api_client.put(f"{BASE}/{draft.pk}", "[]", **JSON, **auth)
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "body"
    response = api_client.post("/api/v1/recognition/employee-check", {"id_number": "x" * 30}, **JSON, **auth)
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "id_number"
    response = api_client.get("/api/v1/recognition/queue?view=zzz<b>", **staff)
    assert response.status_code == 422 and "zzz" not in response.content.decode()
    add_materials(employer_user_a, draft)
    submission.application_submit(actor=employer_user_a, application=draft)
    intake_svc.application_allocate(actor=intake, application=draft, assignee_id=intake.pk)
    response = api_client.post(f"{BASE}/{draft.pk}/accept", {"simple": "yes"}, **JSON, **staff)
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "simple"
    assert api_client.post(f"{BASE}/{draft.pk}/accept", **staff).status_code == 200
    response = api_client.post(f"{BASE}/{draft.pk}/suspend", **token_for(reviewer))
    assert response.status_code == 422 and [d["field"] for d in response.json()["details"]] == ["reason"]


def test_services_refuse_instead_of_truncating(employer_user_a, draft, add_materials, intake):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    with pytest.raises(FieldErrors) as exc:
        intake_svc.application_reject(actor=intake, application=app, reason="x" * 1001)
    assert list(exc.value.errors) == ["reason"]
    with pytest.raises(FieldErrors) as exc:
        intake_svc.application_request_correction(actor=intake, application=app, items=["y" * 201])
    assert list(exc.value.errors) == ["items"]


# 17. The enrolment in force on the accident date; local materials of the filing date.
def test_lookup_takes_the_enrolment_in_force_on_the_accident(employer_user_a, employer_a, zhang_wei):
    from gongshang.recognition import lookup
    from gongshang.registry.models import Enrolment

    Enrolment.objects.filter(person=zhang_wei).update(start_month=date(2020, 1, 1), stop_month=date(2024, 1, 1),
                                                      status="stopped", declared_wage=5000)
    Enrolment.objects.create(person=zhang_wei, employer=employer_a, insurance_type="injury",
                             start_month=date(2025, 1, 1), declared_wage=8000)
    old = lookup.employee_check(actor=employer_user_a, id_number="370202198803151237", name="张伟",
                                accident_on=date(2023, 6, 1))
    new = lookup.employee_check(actor=employer_user_a, id_number="370202198803151237", name="张伟",
                                accident_on=date(2026, 6, 1))
    assert old.fields["enrolment_note"].endswith("2020年01月起") and new.fields["enrolment_note"].endswith("2025年01月起")


def test_local_extra_materials_use_the_filing_date(draft):
    from gongshang.recognition import selectors
    from gongshang.recognition.models import JurisdictionSetting

    JurisdictionSetting.objects.create(region="370200", name="青岛市", extra_materials=["witness_statement"],
                                       valid_from=timezone.localdate(), source="本地规定")
    assert selectors.local_extra_materials(draft) == ("witness_statement",)
    RecognitionApplication.objects.filter(pk=draft.pk).update(submitted_at=timezone.now() - timedelta(days=10))
    draft.refresh_from_db()
    assert selectors.local_extra_materials(draft) == ()


def test_lists_are_paged_never_cut_silently(api_client, token_for, employer_user_a, draft):
    headers = token_for(employer_user_a)
    body = api_client.get("/api/v1/recognition/applications?limit=1&offset=0", **headers).json()
    assert (body["count"], body["limit"], body["offset"], len(body["items"])) == (1, 1, 0, 1)
    empty = api_client.get("/api/v1/recognition/applications?limit=1&offset=1", **headers).json()
    assert empty["count"] == 1 and empty["items"] == []
    too_many = api_client.get("/api/v1/recognition/applications?limit=1000", **headers)
    assert too_many.status_code == 422 and too_many.json()["details"][0]["field"] == "limit"
