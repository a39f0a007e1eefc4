"""费用审核: the queue's order and due dates, approve, deduct (the boundary: the fund amount), query
(the outbox message), and the API."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent, OutboxMessage

from ..models import Deduction, Encounter
from ..selectors import review as selectors
from ..services import review as services
from .factories import InstitutionFactory, ReviewEncounterFactory, ReviewLineFlagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-10 10:00 +08:00")]


def at(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def inspector(staff_factory):
    return staff_factory("inspector", display_name="孙稽核")


@pytest.fixture
def encounter(db):
    return ReviewEncounterFactory(fund_amount=Decimal("800.00"), total=Decimal("1000.00"),
                                  self_amount=Decimal("200.00"), admitted_at=at(2026, 10, 20, 9),
                                  settled_at=at(2026, 10, 26, 15))


def test_queue_flagged_first_then_oldest_and_only_the_region(inspector):
    inst = InstitutionFactory()
    old = ReviewEncounterFactory(institution=inst, settled_at=at(2026, 10, 1, 9))
    new_flagged = ReviewEncounterFactory(institution=inst, settled_at=at(2026, 11, 5, 9), flagged=True)
    older_flagged = ReviewEncounterFactory(institution=inst, settled_at=at(2026, 10, 20, 9), flagged=True)
    ReviewEncounterFactory(institution=inst, status="approved")  # reviewed: not in the queue
    ReviewEncounterFactory(institution=InstitutionFactory(region="370100", county="370102"))  # another region
    rows = list(selectors.review_queue(actor=inspector))
    assert [e.pk for e in rows] == [older_flagged.pk, new_flagged.pk, old.pk]
    assert [e.pk for e in selectors.review_queue(actor=inspector, flagged_only=True)] == [older_flagged.pk,
                                                                                          new_flagged.pk]


def test_due_date_counts_working_days_from_settlement(inspector, encounter):
    # Settled Mon 2026-10-26; 20 working days (no holidays before 11-23) → Mon 2026-11-23.
    [row] = selectors.with_due_dates([encounter])
    assert row.review_due == date(2026, 11, 23)
    assert row.review_days_left == 13


def test_approve_moves_to_approved_with_audit(inspector, encounter):
    services.encounter_approve(actor=inspector, encounter=encounter, note="合理")
    encounter.refresh_from_db()
    assert encounter.status == "approved" and encounter.reviewed_by == inspector
    assert "审核通过" in encounter.review_note
    assert AuditEvent.objects.filter(event_type="medical.encounter_reviewed", target_id=str(encounter.pk),
                                     details__action="approve").exists()


def test_approve_twice_is_refused_409(inspector, encounter):
    services.encounter_approve(actor=inspector, encounter=encounter)
    with pytest.raises(DomainError) as exc:
        services.encounter_approve(actor=inspector, encounter=encounter)
    assert exc.value.status == 409 and exc.value.code == "medical_invalid_transition"


def test_deduct_up_to_the_fund_amount(inspector, encounter):
    services.encounter_deduct(actor=inspector, encounter=encounter, amount="800.00", reason="串换项目")
    encounter.refresh_from_db()
    assert encounter.status == "deducted" and encounter.deducted_amount == Decimal("800.00")
    d = Deduction.objects.get(encounter=encounter)
    assert (d.amount, d.reason, d.statement, d.institution_id) == (Decimal("800.00"), "串换项目", None,
                                                                  encounter.institution_id)


def test_deduct_one_fen_over_the_fund_amount_is_refused(inspector, encounter):
    with pytest.raises(FieldErrors) as exc:
        services.encounter_deduct(actor=inspector, encounter=encounter, amount="800.01", reason="串换项目")
    assert "800.00" in exc.value.errors["amount"]
    encounter.refresh_from_db()
    assert encounter.status == "settled" and not Deduction.objects.exists()


@pytest.mark.parametrize("amount, reason, field", [("0", "原因", "amount"), ("abc", "原因", "amount"),
                                                    ("10", "  ", "reason")])
def test_deduct_bad_input_names_the_field(inspector, encounter, amount, reason, field):
    with pytest.raises(FieldErrors) as exc:
        services.encounter_deduct(actor=inspector, encounter=encounter, amount=amount, reason=reason)
    assert field in exc.value.errors


def test_query_sends_sms_to_the_institution_and_waits(inspector, encounter):
    encounter.institution.contact_phone = "13912345678"
    encounter.institution.save()
    services.encounter_query(actor=inspector, encounter=encounter, text="请补充第3行的医嘱")
    encounter.refresh_from_db()
    assert encounter.status == "queried"
    message = OutboxMessage.objects.get(template=services.QUERY_TEMPLATE)
    assert "请补充第3行的医嘱" in message.body and encounter.case.number in message.body
    # A queried bill may still be approved once answered (SETTLED/QUERIED → APPROVED).
    services.encounter_approve(actor=inspector, encounter=encounter)
    assert Encounter.objects.get(pk=encounter.pk).status == "approved"


def test_other_roles_are_refused(staff_factory, encounter):
    clerk = staff_factory("benefits_reviewer")
    with pytest.raises(DomainError) as exc:
        services.encounter_approve(actor=clerk, encounter=encounter)
    assert exc.value.status == 403


# --- API ---------------------------------------------------------------------------------------

def test_api_queue_lists_with_flags_and_masked_name(api_client, token_for, inspector, encounter):
    ReviewLineFlagFactory(line__encounter=encounter)
    Encounter.objects.filter(pk=encounter.pk).update(flagged=True)
    body = api_client.get("/api/v1/medical/review", **token_for(inspector)).json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["flag_count"] == 1 and row["fund_amount"] == "800.00" and row["review_due"] == "2026-11-23"
    assert "*" in row["worker"]


def test_api_deduct_and_errors(api_client, token_for, inspector, encounter):
    auth = token_for(inspector)
    url = f"/api/v1/medical/encounters/{encounter.pk}/deduct"
    r = api_client.post(url, {"amount": "900.00", "reason": "超限"}, content_type="application/json", **auth)
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "amount"
    r = api_client.post(url, {"amount": "100.5", "reason": "超限", "x": 1}, content_type="application/json", **auth)
    assert r.status_code == 422
    r = api_client.post(url, {"amount": "100.5", "reason": "超限"}, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["deducted_amount"] == "100.50" and r.json()["status"] == "deducted"
    r = api_client.post(f"/api/v1/medical/encounters/{encounter.pk}/approve", {}, content_type="application/json",
                        **auth)
    assert r.status_code == 409 and r.json()["code"] == "medical_invalid_transition"


@pytest.mark.parametrize("amount", ["1e30", "1E+40", "100.555", "1e2"])
def test_api_deduct_amount_not_in_yuan_to_the_fen_is_422(api_client, token_for, inspector, encounter, amount):
    r = api_client.post(f"/api/v1/medical/encounters/{encounter.pk}/deduct", {"amount": amount, "reason": "超限"},
                        content_type="application/json", **token_for(inspector))
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "amount"
    encounter.refresh_from_db()
    assert encounter.status == "settled" and not Deduction.objects.exists()


def test_api_other_region_is_404(api_client, token_for, staff_factory, encounter):
    outsider = staff_factory("inspector", jurisdiction="370100")
    r = api_client.post(f"/api/v1/medical/encounters/{encounter.pk}/query", {"text": "?"},
                        content_type="application/json", **token_for(outsider))
    assert r.status_code == 404


def test_api_deduct_amount_not_a_number_is_422_naming_amount(api_client, token_for, inspector, encounter):
    r = api_client.post(f"/api/v1/medical/encounters/{encounter.pk}/deduct", {"amount": "-1", "reason": "超限"},
                        content_type="application/json", **token_for(inspector))
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "amount"
    assert Encounter.objects.get(pk=encounter.pk).status == "settled"


def test_query_without_a_contact_phone_is_recorded_not_sent(inspector, encounter):
    services.encounter_query(actor=inspector, encounter=encounter, text="请说明第2行")
    assert not OutboxMessage.objects.filter(template=services.QUERY_TEMPLATE).exists()
    assert AuditEvent.objects.filter(target_id=str(encounter.pk), details__action="query_unsent").exists()


def test_deduct_is_checked_against_the_fund_amount_of_the_locked_row(inspector, encounter):
    # The page loaded the bill at 800.00; meanwhile the institution answered and settled again at 500.00.
    Encounter.objects.filter(pk=encounter.pk).update(fund_amount=Decimal("500.00"))
    with pytest.raises(FieldErrors) as exc:
        services.encounter_deduct(actor=inspector, encounter=encounter, amount="600.00", reason="超限")
    assert "500.00" in exc.value.errors["amount"]
    assert Encounter.objects.get(pk=encounter.pk).status == "settled" and not Deduction.objects.exists()
