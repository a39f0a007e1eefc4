"""工伤就医资格: recognised / confirmed cases, the day, answers by the place of treatment, agreement,
audit (no clear ID number), rate limit, bad ID numbers."""

from datetime import date

import pytest
from django.test import override_settings

from gongshang.appraisal.models import AppraisalConclusion
from gongshang.appraisal.tests.factories import make_application
from gongshang.benefits.tests.factories import make_case
from gongshang.core.errors import DomainError, FieldErrors, RateLimited
from gongshang.core.models import AuditEvent
from gongshang.medical.choices import EventType
from gongshang.medical.services.eligibility import NOT_FOUND_REASON, eligibility_check
from gongshang.recognition.models import RecognitionApplication

from .factories_encounters import institution_with_client, registration
from .fixtures_encounters import hospital_fixture, recognised_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
ZHANG = "370202198803151237"


def test_recognised_case_is_eligible(recognised, hospital):
    answer = eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2026, 3, 2))
    assert answer["eligible"] is True
    assert answer["case_number"] == recognised.number
    assert answer["injury"] == {"body_part": "右手", "diagnosis": "右手食指挤压伤"}
    assert answer["recognized_on"] == date(2025, 7, 1)
    assert answer["remote_registration"] is None
    assert "认定为工伤" in answer["reason"]


def test_the_day_before_the_decision_is_not_eligible(recognised, hospital):
    before = eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2025, 6, 30))
    on_the_day = eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2025, 7, 1))
    assert before["eligible"] is False and before["case_number"] is None
    assert on_the_day["eligible"] is True


def test_not_recognised_decision_is_not_eligible(recognised, hospital):
    RecognitionApplication.objects.filter(case=recognised).update(decision_result="not_recognized")
    answer = eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2026, 3, 2))
    assert answer == {"eligible": False, "case_number": None, "injury": None, "recognized_on": None,
                      "remote_registration": None, "reason": NOT_FOUND_REASON}


def test_relapse_confirmation_counts(zhang_wei, employer_a, employer_user_a, hospital):
    case = make_case(zhang_wei, employer_a)
    application = make_application(case=case, creator=employer_user_a, kind="relapse", status="delivered")
    AppraisalConclusion.objects.create(application=application, case=case, region=case.region, number="青劳鉴〔2026〕9号",
                                       confirmed=True, concluded_on=date(2026, 2, 1), concluded_by=employer_user_a)
    assert eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2026, 1, 31))["eligible"] is False
    answer = eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2026, 2, 1))
    assert answer["eligible"] is True and "旧伤复发" in answer["reason"]


def test_unconfirmed_relapse_does_not_count(zhang_wei, employer_a, employer_user_a, hospital):
    case = make_case(zhang_wei, employer_a)
    application = make_application(case=case, creator=employer_user_a, kind="relapse", status="delivered")
    AppraisalConclusion.objects.create(application=application, case=case, region=case.region, number="青劳鉴〔2026〕8号",
                                       confirmed=False, concluded_on=date(2026, 2, 1), concluded_by=employer_user_a)
    assert eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2026, 3, 1))["eligible"] is False


def test_several_cases_answer_the_most_recent(recognised, zhang_wei, employer_a, employer_user_a, hospital):
    later = make_case(zhang_wei, employer_a, injured_on=date(2026, 1, 5))
    RecognitionApplication.objects.create(
        case=later, region=later.region, owner_key="x", created_by=employer_user_a, status="decided",
        applicant_kind="employer", decision_result="deemed", circumstance="art15_1", person=zhang_wei,
        employer=employer_a, injured_name="张伟", body_part="左腿", diagnosis="左胫骨骨折", decided_on=date(2026, 2, 10))
    answer = eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2026, 3, 2))
    assert answer["case_number"] == later.number
    assert answer["injury"]["body_part"] == "左腿"
    assert "共有 2 起" in answer["reason"] and later.number in answer["reason"]


def test_institution_of_another_region_learns_nothing(recognised):
    _inst, user = institution_with_client(region="370300", county="370302", code="H37030200001")
    answer = eligibility_check(actor=user, id_number=ZHANG, on=date(2026, 3, 2))
    assert answer["eligible"] is False and answer["case_number"] is None
    assert answer["reason"] == NOT_FOUND_REASON  # the same words as no case at all


def test_remote_registration_answers_by_place_of_treatment(recognised, employer_user_a):
    _inst, user = institution_with_client(region="370300", county="370302", code="H37030200002")
    reg = registration(recognised, employer_user_a, treatment_region="370300", start_date=date(2026, 1, 1),
                       valid_until=date(2026, 12, 31))
    answer = eligibility_check(actor=user, id_number=ZHANG, on=date(2026, 3, 2))
    assert answer["eligible"] is True
    assert answer["remote_registration"] == {"id": reg.pk, "treatment_region": "370300",
                                             "valid_until": date(2026, 12, 31)}
    # Valid until the last day, not the day after.
    assert eligibility_check(actor=user, id_number=ZHANG, on=date(2026, 12, 31))["eligible"] is True
    assert eligibility_check(actor=user, id_number=ZHANG, on=date(2027, 1, 1))["eligible"] is False


def test_cancelled_registration_does_not_count(recognised, employer_user_a):
    _inst, user = institution_with_client(region="370300", county="370302", code="H37030200003")
    registration(recognised, employer_user_a, treatment_region="370300", status="cancelled")
    assert eligibility_check(actor=user, id_number=ZHANG, on=date(2026, 3, 2))["eligible"] is False


def test_institution_without_agreement_in_force_is_refused(recognised, hospital):
    institution, user = hospital
    institution.agreement_to = date(2026, 3, 1)
    institution.save()
    assert eligibility_check(actor=user, id_number=ZHANG, on=date(2026, 3, 1))["eligible"] is True
    with pytest.raises(DomainError) as caught:
        eligibility_check(actor=user, id_number=ZHANG, on=date(2026, 3, 2))
    assert caught.value.status == 403 and caught.value.code == "institution_no_agreement"


def test_suspended_agreement_is_refused(recognised, hospital):
    institution, user = hospital
    institution.status = "suspended"
    institution.save()
    with pytest.raises(DomainError) as caught:
        eligibility_check(actor=user, id_number=ZHANG, on=date(2026, 3, 2))
    assert caught.value.code == "institution_no_agreement"


def test_staff_answer_for_their_region(recognised, staff_factory):
    inspector = staff_factory("inspector")
    assert eligibility_check(actor=inspector, id_number=ZHANG, on=date(2026, 3, 2))["eligible"] is True
    elsewhere = staff_factory("inspector", jurisdiction="370300")
    assert eligibility_check(actor=elsewhere, id_number=ZHANG, on=date(2026, 3, 2))["eligible"] is False


def test_invalid_id_number_names_the_field(hospital):
    with pytest.raises(FieldErrors) as caught:
        eligibility_check(actor=hospital[1], id_number="370202198803151230", on=date(2026, 3, 2))
    assert "id_number" in caught.value.errors
    assert "校验位" in caught.value.errors["id_number"]


def test_every_check_is_audited_without_the_id_number(recognised, hospital):
    eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2026, 3, 2))
    event = AuditEvent.objects.get(event_type=EventType.ELIGIBILITY_CHECKED)
    assert ZHANG not in str(event.details)
    assert event.details["eligible"] is True and event.details["case_number"] == recognised.number
    assert event.target_id == str(recognised.pk)


@override_settings(MEDICAL_ELIGIBILITY_LIMIT=3)
def test_checks_are_rate_limited(recognised, hospital):
    for _ in range(3):
        eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2026, 3, 2))
    with pytest.raises(RateLimited):
        eligibility_check(actor=hospital[1], id_number=ZHANG, on=date(2026, 3, 2))


def test_other_audiences_are_refused(employer_user_a):
    from gongshang.core.errors import Forbidden

    with pytest.raises(Forbidden):
        eligibility_check(actor=employer_user_a, id_number=ZHANG, on=date(2026, 3, 2))
