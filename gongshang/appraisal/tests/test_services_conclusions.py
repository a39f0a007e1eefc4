"""Conclusions: the 文号, the 结论书 PDF verifiable at /v/<code>, supersede at 再次/复查, and the push
to benefits (pending entitlements for the conclusion's grade; 未达级 pushes nothing)."""

from datetime import date

import pytest
from django.test import Client

from gongshang.appraisal.models import AppraisalConclusion
from gongshang.appraisal.services import conclusions as services
from gongshang.benefits.models import CaseConclusion, Entitlement
from gongshang.benefits.services.entitlements import entitlements_approve
from gongshang.cases.models_vault import CaseDocument
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models.outbox import OutboxMessage

from .factories_conclusions import examined

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture(autouse=True)
def parameters(db):
    from gongshang.benefits.demo import seed_parameters

    seed_parameters()


@pytest.fixture
def ben(staff_factory):
    return staff_factory("benefits_reviewer", display_name="王审核")


def test_conclusion_takes_the_panels_grade_numbers_and_issues_a_verifiable_pdf(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr, grade=7)
    conclusion = services.conclusion_create(actor=apr, application=application, data={})
    assert conclusion.grade == 7 and conclusion.number == "青劳鉴〔2026〕1号"
    assert conclusion.basis["standard_items"] == ["5.7.2.16"]
    application.refresh_from_db()
    assert application.status == "concluded" and application.concluded_on == date(2026, 3, 2)
    assert conclusion.document.file.content_type == "application/pdf"
    page = Client().get(f"/v/{conclusion.document.code}/")
    assert page.status_code == 200 and "劳动能力鉴定结论书" in page.content.decode()
    assert CaseDocument.objects.filter(case=case, kind="conclusion_appraisal").count() == 1
    texts = [m.body for m in OutboxMessage.objects.all()]
    assert any("七级伤残" in t and "15日内申请再次鉴定" in t for t in texts)


def test_numbers_run_per_region_and_year(case, worker, apr):
    first = services.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr), data={})
    second = services.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr,
                                                                        kind="device"),
                                        data={"confirmed": True, "confirmation_detail": "假肢一具"})
    assert (first.number, second.number) == ("青劳鉴〔2026〕1号", "青劳鉴〔2026〕2号")
    assert AppraisalConclusion.objects.values("number").distinct().count() == 2
    assert second.grade is None and second.confirmed is True and second.supersedes is None


def test_differing_from_the_panel_needs_a_reason(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr, grade=7)
    with pytest.raises(FieldErrors) as exc:
        services.conclusion_create(actor=apr, application=application, data={"grade": 6})
    assert "reason" in exc.value.errors
    conclusion = services.conclusion_create(actor=apr, application=application,
                                            data={"grade": 6, "reason": "复核影像后认定为六级"})
    assert conclusion.grade == 6 and conclusion.basis["differs_from_panel"]["panel_grade"] == 7


def test_benefits_pushed_pending_with_the_grade_and_the_worker_told(case, worker, apr, ben):
    conclusion = services.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr,
                                                                            grade=7), data={})
    recorded = CaseConclusion.objects.get(case=case)
    assert recorded.disability_grade == 7 and recorded.conclusion_number == conclusion.number
    assert recorded.document_id == conclusion.document.file_id and recorded.recorded_by == apr
    assert recorded.recognition is not None
    rows = list(Entitlement.objects.filter(case=case))
    assert rows and {r.status for r in rows} == {"pending"} and {r.created_by for r in rows} == {None}
    assert "one_time_disability_subsidy" in {r.benefit_type for r in rows}
    assert any("一次性伤残补助金" in m.body and "审核通过后发放" in m.body for m in OutboxMessage.objects.all())
    assert entitlements_approve(actor=ben, case_id=case.pk) == len(rows)  # a person approves


def test_not_graded_pushes_nothing(case, worker, apr):
    conclusion = services.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr,
                                                                            grade=0), data={})
    assert conclusion.grade == 0
    assert not CaseConclusion.objects.filter(case=case).exists()
    assert not Entitlement.objects.filter(case=case).exists()


def test_review_supersedes_and_recomputes_from_its_date(case, worker, apr, ben, time_machine):
    first = services.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr, grade=5),
                                       data={})
    entitlements_approve(actor=ben, case_id=case.pk)
    time_machine.move_to("2027-04-10 10:00 +08:00")
    review = examined(case=case, creator=worker, apr=apr, kind="review", grade=4, previous_conclusion=first,
                      received_on=date(2027, 3, 1), accepted_on=date(2027, 3, 2))
    later = services.conclusion_create(actor=apr, application=review, data={})
    assert later.supersedes == first and services.current_conclusion(case) == later
    current = CaseConclusion.objects.get(case=case, superseded_by__isnull=True)
    assert current.disability_grade == 4 and current.concluded_on == date(2027, 4, 10)
    new_rows = Entitlement.objects.filter(case=case, conclusion=current)
    assert new_rows.exists() and all(r.status == "pending" for r in new_rows)
    allowance = new_rows.get(benefit_type="disability_allowance")
    assert allowance.start_month == date(2027, 5, 1)
    assert not new_rows.filter(benefit_type="one_time_disability_subsidy").exists()  # paid once per case


def test_referred_is_concluded_only_by_the_province(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr, kind="second")
    application.status = "referred"
    application.save(update_fields=["status"])
    with pytest.raises(DomainError) as exc:
        services.conclusion_create(actor=apr, application=application, data={})
    assert exc.value.status == 409


def test_delivery_by_post_needs_the_tracking_number_and_receipt_starts_fifteen_days(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr)
    services.conclusion_create(actor=apr, application=application, data={})
    with pytest.raises(FieldErrors):
        services.conclusion_deliver(actor=apr, application=application, method="post")
    conclusion = services.conclusion_deliver(actor=apr, application=application, method="post",
                                             tracking_number="SF1234567890")
    application.refresh_from_db()
    assert application.status == "delivered" and conclusion.tracking_number == "SF1234567890"


def test_online_delivery_then_the_applicant_signs(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr)
    services.conclusion_create(actor=apr, application=application, data={})
    services.conclusion_deliver(actor=apr, application=application, method="online")
    application.refresh_from_db()
    assert application.status == "concluded"
    conclusion = services.conclusion_receive(actor=worker, application=application)
    assert conclusion.received_on == date(2026, 3, 2)
    assert services.second_appraisal_until(conclusion) == date(2026, 3, 17)
    application.refresh_from_db()
    assert application.status == "delivered"


def test_a_taken_number_is_skipped(case, worker, apr):
    first = services.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr), data={})
    AppraisalConclusion.objects.filter(pk=first.pk).update(number="青劳鉴〔2026〕2号")  # e.g. typed by hand before
    later = services.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr), data={})
    assert later.number == "青劳鉴〔2026〕3号"


def test_second_appraisal_is_never_concluded_by_the_city(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr, kind="second")
    with pytest.raises(DomainError) as exc:
        services.conclusion_create(actor=apr, application=application, data={})
    assert exc.value.status == 409 and "省级" in exc.value.message
    assert not AppraisalConclusion.objects.filter(application=application).exists()


def test_conclusion_basis_must_cite_items_of_the_standard(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr, grade=7)
    with pytest.raises(FieldErrors) as exc:
        services.conclusion_create(actor=apr, application=application,
                                   data={"basis": {"standard_items": ["随便写的条款"]}})
    assert "GB/T 16180" in exc.value.errors["basis.standard_items"]
    conclusion = services.conclusion_create(actor=apr, application=application,
                                            data={"basis": {"standard_items": ["5.7.2.16"]}})
    assert conclusion.basis["standard_items"] == ["5.7.2.16"]
