"""机构月度结算: exactly once, payable never below zero (carried forward), maker ≠ checker ≠
releaser, the bank file, 追回, and the institution's own statements through the API."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongshang.accounts.tests.factories import UserFactory
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent

from ..models import Deduction, Encounter, InstitutionStatement
from ..rules.statements import review_deduction_valid, statement_amounts
from ..services import bankfile
from ..services import statements as services
from .factories import InstitutionFactory, ReviewEncounterFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-03 10:00 +08:00")]


def at(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def maker(staff_factory):
    return staff_factory("inspector", display_name="孙稽核")


@pytest.fixture
def checker(staff_factory):
    return staff_factory("inspector", display_name="周稽核")


@pytest.fixture
def releaser(staff_factory):
    return staff_factory("inspector", display_name="吴稽核")


@pytest.fixture
def inst(db):
    return InstitutionFactory(bank_name="青岛银行市南支行", bank_account="6222020200012345678")


def reviewed(inst, fund, *, status="approved", settled=(2026, 11, 20, 10)):
    return ReviewEncounterFactory(institution=inst, status=status, fund_amount=Decimal(fund), total=Decimal(fund),
                                  admitted_at=at(*settled) - timedelta(days=5), settled_at=at(*settled))


# --- rules -------------------------------------------------------------------------------------

def test_amounts_payable_is_fund_less_deductions():
    a = statement_amounts(Decimal("1000.00"), Decimal("300.00"))
    assert (a.applied, a.payable, a.carried) == (Decimal("300.00"), Decimal("700.00"), Decimal("0.00"))


def test_amounts_never_below_zero_and_carry_the_rest():
    a = statement_amounts(Decimal("1000.00"), Decimal("1000.01"))
    assert (a.applied, a.payable, a.carried) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.01"))


def test_deduction_boundary_is_the_fund_amount():
    assert review_deduction_valid(Decimal("500.00"), Decimal("500.00")) is None
    assert review_deduction_valid(Decimal("500.01"), Decimal("500.00"))
    assert review_deduction_valid(Decimal("0"), Decimal("500.00"))


# --- compute -----------------------------------------------------------------------------------

def test_compute_takes_reviewed_encounters_of_the_month_and_open_deductions(maker, inst):
    a = reviewed(inst, "1000.00")
    b = reviewed(inst, "500.00", status="deducted")
    Deduction.objects.create(institution=inst, region=inst.region, encounter=b, amount=Decimal("120.00"),
                             reason="串换", created_by=maker)
    last_instant = reviewed(inst, "10.00", settled=(2026, 11, 30, 23, 59, 59))
    next_month = reviewed(inst, "99.00", settled=(2026, 12, 1, 0, 0, 0))
    waiting = ReviewEncounterFactory(institution=inst, status="settled", settled_at=at(2026, 11, 10, 9))
    other = reviewed(InstitutionFactory(), "70.00")
    s = services.statement_compute(actor=maker, institution=inst, period="2026-11")
    assert (s.encounter_count, s.fund_amount, s.deducted_amount, s.payable) == (
        3, Decimal("1510.00"), Decimal("120.00"), Decimal("1390.00"))
    assert set(s.encounters.values_list("pk", flat=True)) == {a.pk, b.pk, last_instant.pk}
    assert set(Encounter.objects.filter(statement=s).values_list("status", flat=True)) == {"in_statement"}
    for untouched in (next_month, waiting, other):
        untouched.refresh_from_db()
        assert untouched.statement is None and untouched.status != "in_statement"
    assert Deduction.objects.get(encounter=b).statement == s
    event = AuditEvent.objects.get(event_type="medical.statement_computed", target_id=str(s.pk))
    assert sorted(event.details["encounters"]) == sorted([a.pk, b.pk, last_instant.pk])


def test_compute_twice_is_409_and_the_encounters_are_taken_once(maker, inst):
    e = reviewed(inst, "1000.00")
    first = services.statement_compute(actor=maker, institution=inst, period="2026-11")
    reviewed(inst, "200.00")  # approved later: waits for next month's statement, not a second November
    with pytest.raises(DomainError) as exc:
        services.statement_compute(actor=maker, institution=inst, period="2026-11")
    assert exc.value.status == 409 and exc.value.code == "statement_already_exists"
    e.refresh_from_db()
    assert e.statement == first and InstitutionStatement.objects.count() == 1


def test_a_row_taken_meanwhile_rolls_the_compute_back(maker, inst, monkeypatch):
    """The conditional UPDATE's count check: if another compute took a row between the read and the
    update, nothing of this one is kept."""
    e = reviewed(inst, "1000.00")
    real_take = services._take

    def racing(model, ids, statement, **filters):
        if model is Encounter:
            Encounter.objects.filter(pk=e.pk).update(status="in_statement")  # the other compute won
        return real_take(model, ids, statement, **filters)

    monkeypatch.setattr(services, "_take", racing)
    with pytest.raises(DomainError) as exc:
        services.statement_compute(actor=maker, institution=inst, period="2026-11")
    assert exc.value.status == 409
    assert not InstitutionStatement.objects.exists()


def test_deductions_larger_than_the_fund_carry_forward(maker, inst, time_machine):
    reviewed(inst, "100.00")
    Deduction.objects.create(institution=inst, region=inst.region, amount=Decimal("150.00"), reason="追回",
                             created_by=maker)
    s = services.statement_compute(actor=maker, institution=inst, period="2026-11")
    assert (s.deducted_amount, s.payable) == (Decimal("100.00"), Decimal("0.00"))
    carried = Deduction.objects.get(statement__isnull=True)
    assert carried.amount == Decimal("50.00") and "结转" in carried.reason
    reviewed(inst, "80.00", settled=(2026, 12, 2, 9))
    time_machine.move_to("2027-01-02 10:00 +08:00")
    december = services.statement_compute(actor=maker, institution=inst, period="2026-12")
    assert (december.deducted_amount, december.payable) == (Decimal("50.00"), Decimal("30.00"))


@pytest.mark.parametrize("period", ["2026-12", "2027-05"])
def test_a_month_not_yet_ended_is_refused(maker, inst, period):
    # Today is 2026-12-03: December has not ended; a later month even less.
    reviewed(inst, "100.00")
    with pytest.raises(FieldErrors) as exc:
        services.statement_compute(actor=maker, institution=inst, period=period)
    assert "period" in exc.value.errors
    assert not InstitutionStatement.objects.exists()
    assert services.statement_compute(actor=maker, institution=inst, period="2026-11").payable == Decimal("100.00")


def test_compute_all_of_a_month_not_yet_ended_names_the_month(maker, inst):
    reviewed(inst, "100.00")
    with pytest.raises(FieldErrors) as exc:
        services.statement_compute_all(actor=maker, period="2026-12")
    assert exc.value.errors["period"] == "2026年12月尚未结束，月底后才能生成该月结算单"


def test_a_deduction_waits_for_its_encounters_statement(maker, inst):
    from ..services import review as review_services

    reviewed(inst, "1000.00")
    december = reviewed(inst, "500.00", status="settled", settled=(2026, 12, 2, 10))
    review_services.encounter_deduct(actor=maker, encounter=december, amount="200", reason="串换")
    november = services.statement_compute(actor=maker, institution=inst, period="2026-11")
    assert (november.payable, november.deducted_amount) == (Decimal("1000.00"), Decimal("0.00"))
    assert Deduction.objects.get(encounter=december).statement is None


def test_nothing_to_settle_is_422(maker, inst):
    with pytest.raises(DomainError) as exc:
        services.statement_compute(actor=maker, institution=inst, period="2026-11")
    assert exc.value.status == 422


@pytest.mark.parametrize("period", ["2026-13", "11/2026", ""])
def test_bad_period_names_the_field(maker, inst, period):
    with pytest.raises(FieldErrors) as exc:
        services.statement_compute(actor=maker, institution=inst, period=period)
    assert "period" in exc.value.errors


def test_compute_all_reports_created_and_skipped(maker, inst):
    reviewed(inst, "100.00")
    idle = InstitutionFactory(name="没有就诊的医院")
    result = services.statement_compute_all(actor=maker, period="2026-11")
    assert [s.institution_id for s in result["created"]] == [inst.pk]
    assert [s["institution"] for s in result["skipped"]] == [idle.name]
    again = services.statement_compute_all(actor=maker, period="2026-11")
    assert again["created"] == [] and len(again["skipped"]) == 2


# --- two people, three people ------------------------------------------------------------------

@pytest.fixture
def computed(maker, inst):
    reviewed(inst, "1000.00")
    return services.statement_compute(actor=maker, institution=inst, period="2026-11")


def test_the_maker_cannot_approve(maker, computed):
    with pytest.raises(DomainError) as exc:
        services.statement_approve(actor=maker, statement=computed)
    assert exc.value.status == 403


def test_the_checker_cannot_release(checker, computed):
    services.statement_approve(actor=checker, statement=computed)
    with pytest.raises(DomainError) as exc:
        services.statement_release(actor=checker, statement=computed)
    assert exc.value.status == 403 and "复核人" in exc.value.message


def test_the_maker_may_release_what_another_approved(maker, checker, computed):
    services.statement_approve(actor=checker, statement=computed)
    services.statement_release(actor=maker, statement=computed)
    assert computed.status == "released" and computed.released_by == maker


def test_release_before_approval_is_409(releaser, computed):
    with pytest.raises(DomainError) as exc:
        services.statement_release(actor=releaser, statement=computed)
    assert exc.value.status == 409


def test_three_people_release_then_bank_file_then_paid(maker, checker, releaser, computed):
    with pytest.raises(DomainError):
        bankfile.export_csv(actor=releaser, statement=computed)  # not before release
    services.statement_approve(actor=checker, statement=computed)
    services.statement_release(actor=releaser, statement=computed)
    text = bankfile.export_csv(actor=releaser, statement=computed)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == bankfile.HEADER
    assert rows[1][2:] == [computed.institution.name, "青岛银行市南支行", "6222020200012345678", "1000.00", "2026-11"]
    assert bankfile.export_xlsx(actor=releaser, statement=computed)[:2] == b"PK"
    assert AuditEvent.objects.filter(event_type="medical.bank_file_exported", target_id=str(computed.pk)).count() == 2
    services.statement_record_paid(actor=releaser, statement=computed)
    computed.refresh_from_db()
    assert computed.status == "paid" and computed.paid_at is not None
    assert (computed.created_by, computed.approved_by, computed.released_by) == (maker, checker, releaser)


# --- 追回 ----------------------------------------------------------------------------------------

def test_adjustment_is_taken_by_the_next_statement(maker, inst):
    services.adjustment_create(actor=maker, institution=inst, amount="300", reason="现场稽核发现挂床住院")
    reviewed(inst, "1000.00")
    s = services.statement_compute(actor=maker, institution=inst, period="2026-11")
    assert s.payable == Decimal("700.00")


@pytest.mark.parametrize("amount, reason, field", [("-1", "原因", "amount"), ("x", "原因", "amount"),
                                                    ("10", "", "reason")])
def test_adjustment_bad_input(maker, inst, amount, reason, field):
    with pytest.raises(FieldErrors) as exc:
        services.adjustment_create(actor=maker, institution=inst, amount=amount, reason=reason)
    assert field in exc.value.errors


# --- API ---------------------------------------------------------------------------------------

@pytest.fixture
def inst_user(inst):
    user = UserFactory(kind="institution", username="inst-qdfy", display_name="青岛附院")
    inst.api_clients.add(user)
    return user


def test_api_institution_sees_its_own_statements_only(api_client, token_for, maker, inst, inst_user, computed):
    other_inst = InstitutionFactory()
    reviewed(other_inst, "50.00")
    other = services.statement_compute(actor=maker, institution=other_inst, period="2026-11")
    auth = token_for(inst_user)
    body = api_client.get("/api/v1/medical/statements", **auth).json()
    assert [s["id"] for s in body["items"]] == [computed.pk] and body["items"][0]["payable"] == "1000.00"
    detail = api_client.get(f"/api/v1/medical/statements/{computed.pk}", **auth).json()
    assert len(detail["encounters"]) == 1 and detail["encounters"][0]["fund_amount"] == "1000.00"
    assert api_client.get(f"/api/v1/medical/statements/{other.pk}", **auth).status_code == 404
    assert api_client.post(f"/api/v1/medical/statements/{computed.pk}/approve", **auth).status_code == 403


def test_api_compute_twice_409_and_adjustment(api_client, token_for, maker, inst):
    reviewed(inst, "1000.00")
    auth = token_for(maker)
    body = {"institution_id": inst.pk, "period": "2026-11"}
    r = api_client.post("/api/v1/medical/statements", body, content_type="application/json", **auth)
    assert r.status_code == 201 and r.json()["payable"] == "1000.00"
    r = api_client.post("/api/v1/medical/statements", body, content_type="application/json", **auth)
    assert r.status_code == 409 and r.json()["code"] == "statement_already_exists"
    r = api_client.post("/api/v1/medical/adjustments", {"institution_id": inst.pk, "amount": "12.30", "reason": "追回"},
                        content_type="application/json", **auth)
    assert r.status_code == 201 and r.json()["amount"] == "12.30"
    assert Deduction.objects.get(pk=r.json()["id"]).statement is None


def test_api_statement_list_bad_period_is_422(api_client, token_for, maker):
    r = api_client.get("/api/v1/medical/statements?period=2026-1", **token_for(maker))
    assert r.status_code == 422


def test_period_first_day(maker):
    assert services.parse_period("2026-02") == date(2026, 2, 1)
    assert services.period_end(date(2026, 12, 1)) == at(2027, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_computes_one_statement_one_409(staff_factory):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        # In-memory SQLite locks whole tables unpredictably across threads; row locks are checked on
        # PostgreSQL (CI runs this test there too).
        pytest.skip("concurrent computes are checked on PostgreSQL")
    inst = InstitutionFactory()
    encounters = [reviewed(inst, "100.00") for _ in range(3)]
    makers = [staff_factory("inspector"), staff_factory("inspector")]
    results, barrier = [], threading.Barrier(2)

    def run(actor):
        try:
            barrier.wait()
            results.append(services.statement_compute(actor=actor, institution=inst, period="2026-11").pk)
        except DomainError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(m,)) for m in makers]
    [t.start() for t in threads]
    [t.join() for t in threads]
    [statement] = InstitutionStatement.objects.all()
    assert sorted(results, key=str) == sorted([statement.pk, "statement_already_exists"], key=str)
    assert set(Encounter.objects.filter(pk__in=[e.pk for e in encounters]).values_list("statement", flat=True)) == {
        statement.pk}
