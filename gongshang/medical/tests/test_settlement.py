"""encounter_settle: database state, idempotency, the agreement check, scope, constant queries."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongshang.accounts.tests.factories import UserFactory
from gongshang.core.errors import DomainError, NotFound
from gongshang.core.models.audit import AuditEvent
from gongshang.medical.models import LineFlag, MedicalSetting, RemoteRegistration
from gongshang.medical.services.settlement import encounter_settle, settlement_result

from .factories import BillLineFactory, CatalogueItemFactory, EncounterFactory, InstitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-12 15:00 +08:00")]
TZ = ZoneInfo("Asia/Shanghai")
ADMITTED = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


@pytest.fixture
def hospital():
    user = UserFactory(kind="institution", username="inst-b")
    institution = InstitutionFactory()
    institution.api_clients.add(user)
    return institution, user


@pytest.fixture
def bill(hospital):
    institution, user = hospital
    CatalogueItemFactory(code="DRUG1", price_cap=Decimal("10.00"))
    CatalogueItemFactory(code="DRUG1", region="370200", price_cap=Decimal("8.00"))     # the regional cap wins
    CatalogueItemFactory(code="XRAY", kind="service", frequency_limit=Decimal("1"))
    CatalogueItemFactory(code="BED", kind="standard")
    encounter = EncounterFactory(institution=institution)
    BillLineFactory(encounter=encounter, line_no=1, catalogue_code="BED", category="bed", unit_price=Decimal("60"),
                    occurred_at=ADMITTED + timedelta(hours=1))
    BillLineFactory(encounter=encounter, line_no=2, catalogue_code="DRUG1", quantity=Decimal("2"),
                    unit_price=Decimal("9.50"), occurred_at=ADMITTED + timedelta(hours=3))
    BillLineFactory(encounter=encounter, line_no=3, catalogue_code="NOPE", unit_price=Decimal("40"),
                    occurred_at=ADMITTED + timedelta(hours=4))
    return encounter, user


def test_settle_writes_lines_flags_and_totals(bill):
    encounter, user = bill
    result = encounter_settle(actor=user, encounter=encounter)
    assert (result.total, result.fund_amount, result.self_amount) == (Decimal("119.00"), Decimal("76.00"),
                                                                      Decimal("43.00"))
    encounter.refresh_from_db()
    assert encounter.status == "settled" and encounter.flagged and encounter.settled_at is not None
    assert (encounter.total, encounter.fund_amount, encounter.self_amount) == (
        Decimal("119.00"), Decimal("76.00"), Decimal("43.00"))
    lines = {line.line_no: (line.fund_amount, line.self_amount) for line in encounter.lines.all()}
    assert lines == {1: (Decimal("60.00"), Decimal("0.00")), 2: (Decimal("16.00"), Decimal("3.00")),
                     3: (Decimal("0.00"), Decimal("40.00"))}
    flags = sorted(LineFlag.objects.filter(encounter=encounter).values_list("line__line_no", "rule", "amount", "source"))
    assert flags == [(2, "over_price_cap", Decimal("3.00"), "settle"), (3, "out_of_catalogue", Decimal("40.00"), "settle")]
    assert AuditEvent.objects.filter(event_type="medical.encounter_settled", target_id=str(encounter.pk)).count() == 1


def test_settling_again_answers_the_stored_result(bill):
    encounter, user = bill
    first = encounter_settle(actor=user, encounter=encounter)
    again = encounter_settle(actor=user, encounter=encounter)
    assert (again.total, again.fund_amount, again.self_amount) == (first.total, first.fund_amount, first.self_amount)
    assert [(r.line_no, r.fund_amount, [f.rule for f in r.flags]) for r in again.lines] == \
           [(r.line_no, r.fund_amount, [f.rule for f in r.flags]) for r in first.lines]
    assert LineFlag.objects.filter(encounter=encounter).count() == 2
    assert AuditEvent.objects.filter(event_type="medical.encounter_settled").count() == 1
    assert settlement_result(encounter).lines[1].flags[0].reason == first.lines[1].flags[0].reason


def test_agreement_not_in_force_is_refused(bill):
    encounter, user = bill
    encounter.institution.agreement_to = date(2026, 3, 11)
    encounter.institution.save()
    with pytest.raises(DomainError) as caught:
        encounter_settle(actor=user, encounter=encounter)
    assert caught.value.status == 403 and caught.value.code == "institution_no_agreement"
    assert "2026-03-11" in caught.value.message  # the reason: the agreement's period, named
    encounter.refresh_from_db()
    assert encounter.status == "open" and not LineFlag.objects.exists()


def test_agreement_last_day_still_settles(bill):
    encounter, user = bill
    encounter.institution.agreement_to = date(2026, 3, 12)
    encounter.institution.save()
    assert encounter_settle(actor=user, encounter=encounter).total == Decimal("119.00")


def test_another_institution_cannot_settle(bill):
    encounter, _user = bill
    stranger = UserFactory(kind="institution", username="inst-other")
    InstitutionFactory().api_clients.add(stranger)
    with pytest.raises(NotFound):
        encounter_settle(actor=stranger, encounter=encounter)


def test_regional_setting_and_split_stay(hospital):
    institution, user = hospital
    MedicalSetting.objects.create(region="370200", valid_from=date(2026, 1, 1), readmission_days=7, idle_stay_hours=24)
    CatalogueItemFactory(code="BED", kind="standard")
    CatalogueItemFactory(code="DRUG1")
    earlier = EncounterFactory(institution=institution, admitted_at=ADMITTED - timedelta(days=20),
                               discharged_at=ADMITTED - timedelta(days=7))
    encounter = EncounterFactory(institution=institution, case=earlier.case)
    BillLineFactory(encounter=encounter, line_no=1, catalogue_code="BED", category="bed", unit_price=Decimal("60"),
                    occurred_at=ADMITTED + timedelta(hours=2))
    BillLineFactory(encounter=encounter, line_no=2, catalogue_code="DRUG1", occurred_at=ADMITTED + timedelta(hours=30))
    result = encounter_settle(actor=user, encounter=encounter)
    assert sorted(f.rule for f in result.encounter_flags) == ["idle_stay", "split_stay"]   # 24 h and 7 days
    assert result.fund_amount == Decimal("10.00")
    assert LineFlag.objects.filter(encounter=encounter, line__isnull=True).count() == 2


def test_unrelated_diagnosis_against_the_case(hospital):
    institution, user = hospital
    CatalogueItemFactory(code="DRUG1")
    encounter = EncounterFactory(institution=institution, kind="outpatient", main_diagnosis_code="I10",
                                 diagnoses=[{"code": "I10", "name": "高血压"}])
    BillLineFactory(encounter=encounter, line_no=1, catalogue_code="DRUG1")
    result = encounter_settle(actor=user, encounter=encounter)
    assert result.fund_amount == Decimal("0.00") and result.encounter_flags[0].rule == "unrelated_diagnosis"


def test_cross_province_registration_excludes_meals(hospital):
    institution, user = hospital
    CatalogueItemFactory(code="MEAL", kind="standard")
    encounter = EncounterFactory(institution=institution, treatment_region="110100", kind="outpatient")
    encounter.remote_registration = RemoteRegistration.objects.create(
        case=encounter.case, region="370200", treatment_region="110100", reason="posted", start_date=date(2026, 1, 1),
        valid_until=date(2026, 12, 31), created_by=user)
    encounter.save()
    BillLineFactory(encounter=encounter, line_no=1, catalogue_code="MEAL", category="meal", unit_price=Decimal("30"))
    result = encounter_settle(actor=user, encounter=encounter)
    assert [f.rule for f in result.lines[0].flags] == ["outside_direct_settlement"]


def _settle_counting(institution, user, count) -> int:
    encounter = EncounterFactory(institution=institution)
    for n in range(count):
        BillLineFactory(encounter=encounter, line_no=n + 1, catalogue_code="DRUG1" if n % 2 else "NOPE",
                        occurred_at=ADMITTED + timedelta(hours=1, minutes=n))
    with CaptureQueriesContext(connection) as captured:
        encounter_settle(actor=user, encounter=encounter)
    return len(captured)


def test_queries_do_not_grow_with_lines(hospital):
    institution, user = hospital
    CatalogueItemFactory(code="DRUG1", price_cap=Decimal("5"))
    few, many = _settle_counting(institution, user, 5), _settle_counting(institution, user, 120)
    assert few == many <= 25


def test_settling_again_after_the_answer_recomputes(bill):
    encounter, user = bill
    encounter_settle(actor=user, encounter=encounter)
    from gongshang.medical.models import BillLine, Encounter
    Encounter.objects.filter(pk=encounter.pk).update(status="open")          # the institution answered a query
    BillLine.objects.filter(encounter=encounter, line_no=3).update(catalogue_code="DRUG1", unit_price=Decimal("8"),
                                                                   amount=Decimal("8"))
    LineFlag.objects.create(encounter=encounter, rule="frequency", reason="夜间", amount=Decimal("1"), source="nightly")
    encounter.refresh_from_db()
    result = encounter_settle(actor=user, encounter=encounter)
    assert result.fund_amount == Decimal("84.00") and result.self_amount == Decimal("3.00")
    assert sorted(LineFlag.objects.values_list("rule", "source")) == [("frequency", "nightly"),
                                                                      ("over_price_cap", "settle")]


@pytest.mark.parametrize(("code", "name", "fund"), [("S92.000", "跟骨骨折", Decimal("10.00")),
                                                     ("I10", "高血压", Decimal("0.00"))])
def test_injury_from_the_recognition_decision(hospital, code, name, fund):
    from gongshang.recognition.models import RecognitionApplication

    institution, user = hospital
    CatalogueItemFactory(code="DRUG1")
    encounter = EncounterFactory(institution=institution, kind="outpatient", main_diagnosis_code=code,
                                 diagnoses=[{"code": code, "name": name}], case__body_part="")
    RecognitionApplication.objects.create(case=encounter.case, region="370200", owner_key="user:1", created_by=user,
                                          status="decided", applicant_kind="employer", body_part="右足",
                                          diagnosis="右足跟骨骨折", decision_result="recognized")
    BillLineFactory(encounter=encounter, line_no=1, catalogue_code="DRUG1")
    result = encounter_settle(actor=user, encounter=encounter)
    assert result.fund_amount == fund
    if fund == 0:
        assert "右足跟骨骨折" in result.encounter_flags[0].reason


def test_remote_rehabilitation_items_follow_the_province_catalogue(hospital):
    """异地就医: 待遇 by the place of treatment (its caps for drugs and services), but rehabilitation
    items follow the province's catalogue: the place of treatment's own rehabilitation row (cap 80)
    does not lower the province's cap (100)."""
    institution, user = hospital
    CatalogueItemFactory(code="KF01", kind="rehabilitation", price_cap=Decimal("100.00"))
    CatalogueItemFactory(code="KF01", kind="rehabilitation", region="370100", price_cap=Decimal("80.00"))
    CatalogueItemFactory(code="DRUG1", price_cap=Decimal("10.00"))
    CatalogueItemFactory(code="DRUG1", region="370100", price_cap=Decimal("8.00"))
    encounter = EncounterFactory(institution=institution, treatment_region="370100", kind="rehabilitation")
    encounter.remote_registration = RemoteRegistration.objects.create(
        case=encounter.case, region="370200", treatment_region="370100", reason="referral", start_date=date(2026, 1, 1),
        valid_until=date(2026, 12, 31), created_by=user)
    encounter.save()
    BillLineFactory(encounter=encounter, line_no=1, catalogue_code="KF01", category="service",
                    unit_price=Decimal("100.00"), occurred_at=ADMITTED + timedelta(hours=1))
    BillLineFactory(encounter=encounter, line_no=2, catalogue_code="DRUG1", unit_price=Decimal("9.00"),
                    occurred_at=ADMITTED + timedelta(hours=1))
    result = encounter_settle(actor=user, encounter=encounter)
    assert [(r.fund_amount, r.self_amount) for r in result.lines] == [
        (Decimal("100.00"), Decimal("0.00")), (Decimal("8.00"), Decimal("1.00"))]
