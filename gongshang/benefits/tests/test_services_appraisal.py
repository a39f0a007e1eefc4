"""A 劳动能力鉴定结论 issued on the platform and the case's benefits (services/appraisal.py and the
re-appraisal stop of services/entitlements.py): a 复查 that falls to 未达级 or drops 生活护理费 stops
the earlier monthly items once a 待遇审核员 approves; the desk cannot type a grade over the platform's."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.appraisal.services import conclusions
from gongshang.appraisal.tests.factories import recognised_case
from gongshang.appraisal.tests.factories_conclusions import examined
from gongshang.benefits.models import CaseConclusion, Entitlement
from gongshang.benefits.services.entitlements import (
    conclusion_record,
    entitlements_approve,
    entitlements_create,
)
from gongshang.core.errors import DomainError
from gongshang.core.files.pdf import blank_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00"),
              pytest.mark.usefixtures("parameters")]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def apr(staff_factory):
    return staff_factory("appraisal_admin", display_name="郑鉴定")


@pytest.fixture
def ben(staff_factory):
    return staff_factory("benefits_reviewer", display_name="王审核")


@pytest.fixture
def worker(zhang_wei):
    return IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")


@pytest.fixture
def case(zhang_wei, employer_a, employer_user_a):
    return recognised_case(zhang_wei, employer_a, employer_user_a)


def _active_monthly(case):
    return set(Entitlement.objects.filter(case=case, period_kind="monthly", status="active")
               .values_list("benefit_type", flat=True))


def test_review_falling_to_not_graded_stops_the_old_grade_once_approved(case, worker, apr, ben, staff_factory,
                                                                        time_machine):
    first = conclusions.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr, grade=5),
                                          data={})
    entitlements_approve(actor=ben, case_id=case.pk)
    assert "disability_allowance" in _active_monthly(case)
    time_machine.move_to("2027-04-10 10:00 +08:00")
    review = examined(case=case, creator=worker, apr=apr, kind="review", grade=0, items=(), previous_conclusion=first,
                      received_on=date(2027, 3, 1), accepted_on=date(2027, 3, 2))
    later = conclusions.conclusion_create(actor=apr, application=review, data={})
    assert later.grade == 0 and later.supersedes == first
    current = CaseConclusion.objects.get(case=case, superseded_by__isnull=True)
    assert current.disability_grade is None and current.conclusion_number == later.number
    # maker-checker: nothing stops until a 待遇审核员 approves
    assert "disability_allowance" in _active_monthly(case)
    with pytest.raises(DomainError) as refused:
        entitlements_create(actor=ben, case_id=case.pk, data=None)
    assert "未达级" in refused.value.message
    entitlements_approve(actor=staff_factory("benefits_reviewer", display_name="李审核"), case_id=case.pk)
    assert _active_monthly(case) == set()
    stopped = Entitlement.objects.get(case=case, benefit_type="disability_allowance")
    assert stopped.status == "stopped" and stopped.stop_reason == "reappraisal"
    assert stopped.end_month == date(2027, 4, 1)  # the month of the 复查 conclusion; none after it


def test_first_appraisal_not_graded_still_records_nothing(case, worker, apr):
    conclusions.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr, grade=0, items=()),
                                  data={})
    assert not CaseConclusion.objects.filter(case=case).exists()
    assert not Entitlement.objects.filter(case=case).exists()


def test_review_fall_that_drops_nursing_stops_the_old_nursing_allowance(case, worker, apr, ben, staff_factory,
                                                                        time_machine):
    first = conclusions.conclusion_create(
        actor=apr, application=examined(case=case, creator=worker, apr=apr, grade=2, self_care="complete",
                                        items=("5.2.2.1",)), data={})
    entitlements_approve(actor=ben, case_id=case.pk)
    assert {"disability_allowance", "nursing_allowance"} <= _active_monthly(case)
    time_machine.move_to("2027-04-10 10:00 +08:00")
    review = examined(case=case, creator=worker, apr=apr, kind="review", grade=2, self_care="", previous_conclusion=first,
                      items=("5.2.2.1",), received_on=date(2027, 3, 1), accepted_on=date(2027, 3, 2))
    conclusions.conclusion_create(actor=apr, application=review, data={})
    entitlements_approve(actor=staff_factory("benefits_reviewer", display_name="李审核"), case_id=case.pk)
    nursing = Entitlement.objects.get(case=case, benefit_type="nursing_allowance")
    assert nursing.status == "stopped" and nursing.end_month == date(2027, 4, 1)
    allowances = Entitlement.objects.filter(case=case, benefit_type="disability_allowance").order_by("pk")
    assert [(e.status, e.end_month) for e in allowances] == [("stopped", date(2027, 4, 1)), ("active", None)]
    assert allowances[1].start_month == date(2027, 5, 1)


def test_benefits_desk_cannot_type_a_grade_over_the_platforms_conclusion(case, worker, apr, ben):
    conclusions.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr, grade=7), data={})
    before = CaseConclusion.objects.get(case=case, superseded_by__isnull=True)
    with pytest.raises(DomainError) as refused:
        conclusion_record(actor=ben, case_id=case.pk, document=SimpleUploadedFile("x.pdf", blank_pdf(),
                                                                                  content_type="application/pdf"),
                          data={"kind": "disability", "disability_grade": 3, "conclusion_number": "手录〔2026〕1号",
                                "concluded_on": date(2026, 3, 1)})
    assert refused.value.status == 409 and "劳动能力鉴定委员会" in refused.value.message
    assert CaseConclusion.objects.get(case=case, superseded_by__isnull=True) == before
    # a death is still recorded at the desk
    death = conclusion_record(actor=ben, case_id=case.pk, document=SimpleUploadedFile(
        "d.pdf", blank_pdf(), content_type="application/pdf"), data={
        "kind": "death", "disability_grade": None, "conclusion_number": "死亡证明 2026-1", "concluded_on": date(2026, 3, 1)})
    assert death.superseded_by is None and death.kind == "death"


def test_case_page_offers_the_stop_after_a_not_graded_review(case, worker, apr, ben, staff_factory, time_machine):
    from django.test import Client

    from gongshang.cases import journey

    first = conclusions.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr, grade=5),
                                          data={})
    entitlements_approve(actor=ben, case_id=case.pk)
    time_machine.move_to("2027-04-10 10:00 +08:00")
    review = examined(case=case, creator=worker, apr=apr, kind="review", grade=0, items=(), previous_conclusion=first,
                      received_on=date(2027, 3, 1), accepted_on=date(2027, 3, 2))
    conclusions.conclusion_create(actor=apr, application=review, data={})
    benefits = next(s for s in journey.case_journey(actor=worker, case=case).stages if s.key == "benefits")
    assert "未达级" in benefits.text and "终止" in benefits.text
    checker = staff_factory("benefits_reviewer", display_name="李审核")
    client = Client()
    client.force_login(checker)
    page = client.get(f"/benefits/cases/{case.pk}/").content.decode()
    assert "未达级" in page and 'id="stops-due"' in page and "复核通过（终止原等级按月待遇）" in page
    assert "按结论计算并核定" not in page  # nothing to compute on a 未达级
    response = client.post(f"/benefits/cases/{case.pk}/decide/", {"action": "approve"})
    assert response.status_code == 302
    assert not Entitlement.objects.filter(case=case, period_kind="monthly", status="active").exists()
    benefits = next(s for s in journey.case_journey(actor=worker, case=case).stages if s.key == "benefits")
    assert benefits.text.startswith("鉴定结论为未达级")
