"""一窗受理 services: the counter takes and accepts the recognition application, the request names
every matter with its statutory date, the decision creates the follow-ons once and only once."""

from datetime import date

import pytest
from django.core.cache import cache

from gongshang.appraisal.models import AppraisalApplication
from gongshang.core.errors import DomainError, FieldErrors, NotFound
from gongshang.core.models import OutboxMessage
from gongshang.recognition.models import RecognitionApplication
from gongshang.service.models import WindowMatter, WindowRequest
from gongshang.service.services import window as services

from .factories_window import counter_draft, counter_request, decide, quick_case, submitted_online

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


@pytest.fixture
def window(staff_factory):
    return staff_factory("window", display_name="赵窗口")


@pytest.fixture
def reviewer(staff_factory):
    return staff_factory("reviewer", display_name="吴审核")


@pytest.fixture
def case(employer_user_a, zhang_wei):
    return quick_case(employer_user_a)


def _matters(request) -> dict:
    return {m.kind: m for m in WindowMatter.objects.filter(request=request)}


def test_counter_accepts_at_once_and_names_every_matter(window, case):
    request = counter_request(window, case)

    application = RecognitionApplication.objects.get(pk=request.recognition_id)
    assert application.status == "accepted"
    assert application.assignee_id == window.pk and application.accepted_on == date(2026, 3, 2)
    assert application.documents.filter(kind="recognition.acceptance_notice").count() == 1
    case.refresh_from_db()
    assert case.status == "opened"
    assert request.channel == "window" and request.accepted_by_id == window.pk
    matters = _matters(request)
    assert set(matters) == {"recognition", "appraisal", "benefits"}
    # 条例 第二十条: 60 days from acceptance (2026-03-02 + 60 = 2026-05-01, a holiday → the first workday after)
    assert matters["recognition"].status == "accepted" and matters["recognition"].due_date >= date(2026, 5, 1)
    assert "第二十条" in matters["recognition"].due_basis
    assert matters["appraisal"].status == "waiting" and "第二十五条" in matters["appraisal"].due_basis
    assert matters["benefits"].status == "waiting" and matters["benefits"].due_date is None
    sms = OutboxMessage.objects.filter(template=services.REGISTERED_TEMPLATE)
    assert sms.exists() and "劳动能力鉴定" in sms.first().body


def test_counter_with_missing_materials_refuses_and_keeps_the_draft(window, case):
    draft = counter_draft(window, case, kinds=("application_form", "labour_relation"))
    with pytest.raises(DomainError) as caught:
        services.window_request_create(actor=window, application=draft, wants_appraisal=True, injury_stable=True,
                                       wants_benefits=True, channel="window")
    assert caught.value.status == 422 and caught.value.code == "materials_missing"
    labels = [m["label"] for m in caught.value.details["missing"]]
    assert any("诊断" in label for label in labels)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.case.documents.count() >= 2
    assert not WindowRequest.objects.exists()


def test_online_request_on_a_submitted_application(employer_user_a, case):
    application = submitted_online(employer_user_a, case)
    request = services.window_request_create(actor=employer_user_a, application=application, wants_appraisal=True,
                                             injury_stable=False, wants_benefits=False, channel="")
    assert request.channel == "online" and request.accepted_by_id is None
    application.refresh_from_db()
    assert application.status == "submitted"  # the recognition desk accepts it as usual
    matters = _matters(request)
    assert set(matters) == {"recognition", "appraisal"}
    assert "相对稳定" in matters["appraisal"].note
    # acceptance (认定办法 第八条: 15 days from receipt) until accepted
    assert matters["recognition"].due_date == date(2026, 3, 17)


def test_online_refuses_a_draft_and_a_second_request(employer_user_a, case, window):
    from gongshang.recognition.services import drafts

    draft = drafts.application_create(actor=employer_user_a, data={"circumstance": "art14_1"}, case=case)
    with pytest.raises(DomainError) as caught:
        services.window_request_create(actor=employer_user_a, application=draft, wants_appraisal=True,
                                       injury_stable=True, wants_benefits=True)
    assert caught.value.status == 409 and "先提交" in caught.value.message
    assert not WindowRequest.objects.exists()


def test_second_request_on_the_same_application_is_refused(window, case):
    request = counter_request(window, case)
    with pytest.raises(DomainError) as caught:
        services.window_request_create(actor=window, application=request.recognition, wants_appraisal=False,
                                       injury_stable=False, wants_benefits=True, channel="window")
    assert caught.value.status == 409 and caught.value.code == "window_request_exists"
    assert WindowRequest.objects.count() == 1


def test_channel_must_fit_the_account(employer_user_a, case):
    application = submitted_online(employer_user_a, case)
    with pytest.raises(FieldErrors) as caught:
        services.window_request_create(actor=employer_user_a, application=application, wants_appraisal=True,
                                       injury_stable=True, wants_benefits=True, channel="window")
    assert "channel" in caught.value.errors
    assert not WindowRequest.objects.exists()


def test_window_of_another_region_cannot_take_the_application(staff_factory, window, case):
    draft = counter_draft(window, case)
    other = staff_factory("window", jurisdiction="370700")
    with pytest.raises(NotFound):
        services.window_request_create(actor=other, application=draft, wants_appraisal=True, injury_stable=True,
                                       wants_benefits=True, channel="window")
    assert not WindowRequest.objects.exists()


def test_recognised_creates_the_appraisal_application_once_and_only_once(window, reviewer, case):
    request = counter_request(window, case)
    decide(reviewer, request.recognition)

    request.refresh_from_db()
    assert request.status == "follow_ons_created"
    matters = _matters(request)
    assert matters["recognition"].status == "done"
    appraisal = AppraisalApplication.objects.get(case=case)
    assert appraisal.status == "submitted" and appraisal.kind == "initial"
    assert appraisal.received_on == date(2026, 3, 2) and appraisal.applicant_kind == "worker"
    # the same materials: the vault's diagnosis and ID satisfy the appraisal checklist, no new upload
    uploads_before = case.documents.filter(source="upload").count()
    assert matters["appraisal"].status == "created" and matters["appraisal"].target_id == appraisal.pk
    assert matters["appraisal"].due_date == date(2026, 5, 6)  # 60 days from 03-02 is 05-01 (劳动节) → after it
    assert matters["benefits"].status == "created" and matters["benefits"].target_id == case.pk
    assert any("劳动能力鉴定申请已代为提出" in m.body for m in OutboxMessage.objects.filter(template=services.NEXT_TEMPLATE))

    again = services.window_request_recognition_decided(request.recognition)
    assert again.pk == request.pk
    assert AppraisalApplication.objects.filter(case=case).count() == 1
    assert case.documents.filter(source="upload").count() == uploads_before


def test_not_recognised_cancels_the_follow_ons(window, reviewer, case):
    request = counter_request(window, case)
    decide(reviewer, request.recognition, result="not_recognized")

    request.refresh_from_db()
    assert request.status == "not_recognised"
    matters = _matters(request)
    assert matters["appraisal"].status == "cancelled" and matters["benefits"].status == "cancelled"
    assert not AppraisalApplication.objects.filter(case=case).exists()
    assert any("不是工伤" in m.body for m in OutboxMessage.objects.filter(template=services.NEXT_TEMPLATE))


def test_unstable_injury_leaves_the_appraisal_waiting(window, reviewer, case):
    request = counter_request(window, case, injury_stable=False)
    decide(reviewer, request.recognition)
    matters = _matters(request)
    assert matters["appraisal"].status == "waiting" and "相对稳定" in matters["appraisal"].note
    assert matters["benefits"].status == "created"
    assert not AppraisalApplication.objects.filter(case=case).exists()


def test_prepare_by_the_desk_of_the_matter(window, reviewer, case, staff_factory):
    request = counter_request(window, case)
    appraisal_admin = staff_factory("appraisal_admin")
    benefits = staff_factory("benefits_reviewer")
    with pytest.raises(FieldErrors) as caught:
        services.window_matter_prepare(actor=benefits, request=request, kind="appraisal")
    assert "鉴定管理员" in caught.value.errors["kind"]
    matter = services.window_matter_prepare(actor=appraisal_admin, request=request, kind="appraisal")
    assert matter.status == "prepared" and matter.prepared_by_id == appraisal_admin.pk
    with pytest.raises(DomainError) as twice:
        services.window_matter_prepare(actor=appraisal_admin, request=request, kind="appraisal")
    assert twice.value.status == 409
    decide(reviewer, request.recognition)
    assert _matters(request)["appraisal"].status == "created"


def test_withdraw_a_follow_on_before_the_decision(window, reviewer, case):
    request = counter_request(window, case)
    matter = services.window_matter_withdraw(actor=window, request=request, kind="benefits", reason="本人暂不申请")
    assert matter.status == "withdrawn" and "暂不申请" in matter.note
    with pytest.raises(FieldErrors):
        services.window_matter_withdraw(actor=window, request=request, kind="recognition")
    with pytest.raises(DomainError) as twice:
        services.window_matter_withdraw(actor=window, request=request, kind="benefits")
    assert twice.value.status == 409
    decide(reviewer, request.recognition)
    assert _matters(request)["benefits"].status == "withdrawn"
    assert _matters(request)["appraisal"].status == "created"


def test_a_role_without_the_action_is_refused(window, case, staff_factory):
    from gongshang.core.errors import Forbidden

    request = counter_request(window, case)
    intake = staff_factory("intake")
    with pytest.raises(Forbidden):
        services.window_matter_prepare(actor=intake, request=request, kind="appraisal")
    with pytest.raises(Forbidden):
        services.window_matter_withdraw(actor=intake, request=request, kind="appraisal")
    assert _matters(request)["appraisal"].status == "waiting"


def test_withdrawn_recognition_leaves_the_queue_and_says_so(employer_user_a, case, staff_factory):
    from gongshang.recognition.services import submission
    from gongshang.service.presenters.window import next_steps
    from gongshang.service.selectors.window import window_queue

    application = submitted_online(employer_user_a, case)
    request = services.window_request_create(actor=employer_user_a, application=application, wants_appraisal=True,
                                             injury_stable=True, wants_benefits=True)
    appraisal_admin = staff_factory("appraisal_admin")
    assert window_queue(actor=appraisal_admin).count() == 1
    submission.application_withdraw(actor=employer_user_a, application=application, reason="已协商解决")
    request.refresh_from_db()
    assert window_queue(actor=appraisal_admin).count() == 0
    assert "已撤回" in next_steps(request)[0]


def _online_request(employer_user, case):
    application = submitted_online(employer_user, case)
    return services.window_request_create(actor=employer_user, application=application, wants_appraisal=True,
                                          injury_stable=True, wants_benefits=True)


def _ended_as(request, reason_word: str):
    request.refresh_from_db()
    assert request.status == "recognition_ended"
    matters = _matters(request)
    assert matters["appraisal"].status == "cancelled" and matters["benefits"].status == "cancelled"
    assert reason_word in matters["appraisal"].note and reason_word in matters["benefits"].note
    assert matters["recognition"].status == "cancelled" and reason_word in matters["recognition"].note
    sms = OutboxMessage.objects.filter(template=services.NEXT_TEMPLATE)
    assert sms.exists() and all(reason_word in m.body and "不再办理" in m.body for m in sms)
    from gongshang.core.models import AuditEvent

    assert AuditEvent.objects.filter(event_type="window_request.recognition_ended", target_id=str(request.pk)).exists()


def test_withdrawn_recognition_cancels_the_follow_ons_and_tells_the_applicant(employer_user_a, case):
    from gongshang.recognition.services import submission

    request = _online_request(employer_user_a, case)
    submission.application_withdraw(actor=employer_user_a, application=request.recognition, reason="已协商解决")
    _ended_as(request, "撤回")
    # Ended once: the hook again changes nothing and sends nothing more.
    sent = OutboxMessage.objects.filter(template=services.NEXT_TEMPLATE).count()
    services.window_request_recognition_ended(RecognitionApplication.objects.get(pk=request.recognition_id))
    assert OutboxMessage.objects.filter(template=services.NEXT_TEMPLATE).count() == sent


def test_not_accepted_recognition_cancels_the_follow_ons_and_tells_the_applicant(employer_user_a, case,
                                                                                 staff_factory):
    from gongshang.recognition.services import intake as intake_services

    request = _online_request(employer_user_a, case)
    intake = staff_factory("intake")
    application = intake_services.application_allocate(actor=intake, application=request.recognition,
                                                       assignee_id=intake.pk)
    intake_services.application_reject(actor=intake, application=application, reason="不属于本统筹区管辖")
    _ended_as(request, "不予受理")


def test_a_withdrawn_follow_on_stays_withdrawn_when_the_recognition_ends(employer_user_a, case):
    from gongshang.recognition.services import submission

    request = _online_request(employer_user_a, case)
    services.window_matter_withdraw(actor=employer_user_a, request=request, kind="benefits")
    submission.application_withdraw(actor=employer_user_a, application=request.recognition)
    request.refresh_from_db()
    assert request.status == "recognition_ended"
    assert _matters(request)["benefits"].status == "withdrawn"
    assert _matters(request)["appraisal"].status == "cancelled"


def test_the_recognition_date_follows_the_application_once_accepted(employer_user_a, case, staff_factory):
    """Registered online before acceptance the matter's date is the acceptance deadline (认定办法 第八条);
    once the desk accepts, the request, the receipt and the API show the decision deadline (条例 第二十条)."""
    from gongshang.recognition import deadlines
    from gongshang.recognition.services import intake as intake_services
    from gongshang.service.presenters.window import receipt_context, request_dict

    request = _online_request(employer_user_a, case)
    recognition = request_dict(request)["matters"][0]
    assert recognition["kind"] == "recognition" and "第八条" in recognition["due_basis"]
    intake = staff_factory("intake")
    application = intake_services.application_allocate(actor=intake, application=request.recognition,
                                                       assignee_id=intake.pk)
    accepted = intake_services.application_accept(actor=intake, application=application)
    decision = deadlines.decision_due(accepted)
    request = WindowRequest.objects.get(pk=request.pk)
    for view in (request_dict(request), receipt_context(request)["r"]):
        recognition = view["matters"][0]
        assert recognition["due_date"] == decision.due and "第二十条" in recognition["due_basis"]
