"""Institution API of 工伤医疗: eligibility, register an encounter, upload lines, settle, answer; lists.

Settlement rules are tested in test_settlement.py: here only the answer's shape, the totals' consistency, the
out-of-catalogue line, idempotency and the errors."""

from datetime import date
from decimal import Decimal

import pytest

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.medical.models import BillLine, Encounter

from .factories_encounters import at, bill_line, catalogue_item, encounter, institution_with_client, line_body
from .fixtures_encounters import hospital_fixture, recognised_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
ZHANG = "370202198803151237"
ADMISSION = {"kind": "inpatient", "admitted_at": "2026-03-01T08:00:00+08:00",
             "diagnoses": [{"code": "S62.600", "name": "右手食指骨折"}], "department": "手外科"}


@pytest.fixture
def auth(hospital, token_for):
    return token_for(hospital[1])


def _json(client, method, path, auth, body=None):
    call = getattr(client, method)
    if body is None:
        return call(path, **auth)
    import json

    return call(path, json.dumps(body), content_type="application/json", **auth)


# --- eligibility -----------------------------------------------------------------------------------


def test_eligibility_through_the_api(api_client, recognised, auth):
    response = api_client.get(f"/api/v1/medical/eligibility?id_number={ZHANG}&date=2026-03-02", **auth)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["eligible"] is True and body["case_number"] == recognised.number
    assert body["recognized_on"] == "2025-07-01" and body["injury"]["body_part"] == "右手"


def test_eligibility_date_defaults_to_today(api_client, recognised, auth):
    assert api_client.get(f"/api/v1/medical/eligibility?id_number={ZHANG}", **auth).json()["eligible"] is True


def test_eligibility_bad_id_number_is_422_naming_the_field(api_client, auth):
    response = api_client.get("/api/v1/medical/eligibility?id_number=12345", **auth)
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "id_number"


def test_eligibility_without_agreement_is_403(api_client, recognised, hospital, auth):
    hospital[0].status = "terminated"
    hospital[0].save()
    response = api_client.get(f"/api/v1/medical/eligibility?id_number={ZHANG}", **auth)
    assert response.status_code == 403 and response.json()["code"] == "institution_no_agreement"


def test_eligibility_refused_to_employers(api_client, employer_user_a, token_for):
    response = api_client.get(f"/api/v1/medical/eligibility?id_number={ZHANG}", **token_for(employer_user_a))
    assert response.status_code == 403


# --- register --------------------------------------------------------------------------------------


def test_register_encounter_then_same_key_returns_same_id(api_client, recognised, hospital, auth):
    body = {"case_number": recognised.number, **ADMISSION}
    first = _json(api_client, "post", "/api/v1/medical/encounters", auth, body)
    assert first.status_code == 201, first.content
    again = _json(api_client, "post", "/api/v1/medical/encounters", auth, body)
    assert again.status_code == 200 and again.json() == {"id": first.json()["id"], "created": False}
    enc = Encounter.objects.get()
    assert enc.region == "370200" and enc.treatment_region == "370200" and enc.remote_registration is None
    assert enc.main_diagnosis_code == "S62.600" and enc.status == "open" and enc.institution == hospital[0]


def test_register_unknown_or_not_eligible_case_is_422(api_client, recognised, auth):
    unknown = _json(api_client, "post", "/api/v1/medical/encounters", auth, {"case_number": "GS370200-2026-999999",
                                                                             **ADMISSION})
    assert unknown.status_code == 422 and unknown.json()["code"] == "medical_not_eligible"
    before = _json(api_client, "post", "/api/v1/medical/encounters", auth,
                   {"case_number": recognised.number, **ADMISSION, "admitted_at": "2025-06-09T08:00:00+08:00"})
    assert before.status_code == 422 and "早于事故发生日" in str(before.json()["details"])     # before the accident
    assert not Encounter.objects.exists()


def test_register_refuses_unknown_fields_and_bad_kind(api_client, recognised, auth):
    extra = _json(api_client, "post", "/api/v1/medical/encounters", auth,
                  {"case_number": recognised.number, **ADMISSION, "bed": "12"})
    assert extra.status_code == 422
    kind = _json(api_client, "post", "/api/v1/medical/encounters", auth,
                 {"case_number": recognised.number, **ADMISSION, "kind": "emergency"})
    assert kind.status_code == 422 and kind.json()["details"][0]["field"] == "kind"


def test_discharge_before_admission_is_422(api_client, recognised, auth):
    response = _json(api_client, "post", "/api/v1/medical/encounters", auth,
                     {"case_number": recognised.number, **ADMISSION, "discharged_at": "2026-02-28T08:00:00+08:00"})
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "discharged_at"


# --- lines -----------------------------------------------------------------------------------------


@pytest.fixture
def stay(recognised, hospital):
    return encounter(recognised, hospital[0], admitted_at=at("2026-03-01 08:00"))


def test_put_lines_upserts_by_line_no(api_client, stay, auth):
    path = f"/api/v1/medical/encounters/{stay.pk}/lines"
    first = _json(api_client, "put", path, auth, [line_body(1), line_body(2)])
    assert first.status_code == 200, first.content
    assert first.json() == {"id": stay.pk, "received": 2, "created": 2, "updated": 0, "line_count": 2, "total": "50.00"}
    second = _json(api_client, "put", path, auth, [line_body(2, quantity="1", amount="12.50"), line_body(3)])
    assert second.json() == {"id": stay.pk, "received": 2, "created": 1, "updated": 1, "line_count": 3,
                             "total": "62.50"}
    assert BillLine.objects.get(encounter=stay, line_no=2).amount == Decimal("12.50")


def test_amount_must_equal_quantity_times_price_to_the_fen(api_client, stay, auth):
    path = f"/api/v1/medical/encounters/{stay.pk}/lines"
    # 3 × 0.3333 = 0.9999 → 1.00 (half-up to the fen): accepted.
    ok = _json(api_client, "put", path, auth, [line_body(1, quantity="3", unit_price="0.3333", amount="1.00")])
    assert ok.status_code == 200, ok.content
    # One fen off: refused, saying so.
    off = _json(api_client, "put", path, auth, [line_body(2, quantity="3", unit_price="0.3333", amount="0.99")])
    assert off.status_code == 422
    row = off.json()["details"]["lines"][0]
    assert row["line_no"] == 2 and row["field"] == "amount" and "数量×单价" in row["message"]


def test_row_errors_come_together_and_nothing_is_saved(api_client, stay, auth):
    body = [line_body(1),
            line_body(2, unit_price="1.23456", amount="2.47"),
            line_body(3, amount="25.001"),
            line_body(4, occurred_at="2026-02-28T23:59:00+08:00"),
            line_body(5, category="food"),
            line_body(1)]
    response = _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth, body)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "bill_lines_invalid"
    found = {(r["line_no"], r["field"]) for r in body["details"]["lines"]}
    assert found == {(2, "unit_price"), (3, "amount"), (4, "occurred_at"), (5, "category"), (1, "line_no")}
    assert not BillLine.objects.exists()


def test_money_as_float_is_refused(api_client, stay, auth):
    response = _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth,
                     [line_body(1, quantity=2.5, amount="31.25")])
    assert response.status_code == 422
    assert response.json()["details"]["lines"][0]["field"] == "quantity"


def test_too_many_lines_is_422(api_client, stay, auth):
    body = [line_body(i, amount="25.00") for i in range(1, 5002)]
    response = _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth, body)
    assert response.status_code == 422 and "5000" in response.json()["message"] + str(response.json()["details"])


def test_2000_lines_in_a_fixed_number_of_queries(api_client, stay, auth):
    """Bulk writes in batches: 2,000 lines take a few dozen queries, not one per line (0.2-0.5 s on both
    databases, measured by hand; timings belong to bench/, not to tests)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (20, 2000):
        body = [line_body(i) for i in range(1, size + 1)]
        for expected in ({"created": size, "updated": 0}, {"created": 0, "updated": size}):  # insert, then replace
            if expected["created"]:
                BillLine.objects.filter(encounter=stay).delete()
            with CaptureQueriesContext(connection) as queries:
                response = _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth, body)
            assert response.status_code == 200 and response.json()["line_count"] == size
            assert {k: response.json()[k] for k in expected} == expected
            counts.append(len(queries))
    assert max(counts) < 60, counts


def test_replacing_a_line_drops_its_old_flags(api_client, stay, auth):
    from gongshang.medical.models import LineFlag

    line = bill_line(stay, 1)
    LineFlag.objects.create(encounter=stay, line=line, rule="out_of_catalogue", reason="旧提示", amount=line.amount)
    kept = bill_line(stay, 2)
    LineFlag.objects.create(encounter=stay, line=kept, rule="out_of_catalogue", reason="保留", amount=kept.amount)
    response = _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth, [line_body(1)])
    assert response.json()["updated"] == 1
    assert list(LineFlag.objects.values_list("reason", flat=True)) == ["保留"]


# --- settle ----------------------------------------------------------------------------------------


def test_settle_answers_each_line_and_flags_out_of_catalogue(api_client, stay, auth):
    catalogue_item("XA01")
    _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth,
          [line_body(1), line_body(2, code="ZZ99", quantity="1", unit_price="7.333", amount="7.33")])
    response = _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/settle", auth,
                     {"discharged_at": "2026-03-02T09:00:00+08:00"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "settled"
    assert (body["total"], body["fund_amount"], body["self_amount"]) == ("32.33", "25.00", "7.33")
    lines = {line["line_no"]: line for line in body["lines"]}
    assert lines[1] == {"line_no": 1, "fund_amount": "25.00", "self_amount": "0.00", "flags": []}
    assert lines[2]["fund_amount"] == "0.00" and lines[2]["self_amount"] == "7.33"
    assert [f["rule"] for f in lines[2]["flags"]] == ["out_of_catalogue"] and lines[2]["flags"][0]["amount"] == "7.33"
    for line in body["lines"]:
        assert Decimal(line["fund_amount"]) + Decimal(line["self_amount"]) == \
            BillLine.objects.get(encounter=stay, line_no=line["line_no"]).amount
    assert Decimal(body["fund_amount"]) + Decimal(body["self_amount"]) == Decimal(body["total"])
    stay.refresh_from_db()
    assert stay.discharged_at == at("2026-03-02 09:00") and stay.flagged is True


def test_settle_twice_returns_the_same_result(api_client, stay, auth):
    catalogue_item("XA01")
    bill_line(stay, 1, amount="10.00")
    path = f"/api/v1/medical/encounters/{stay.pk}/settle"
    first = _json(api_client, "post", path, auth, {"discharged_at": "2026-03-02T09:00:00+08:00"})
    second = _json(api_client, "post", path, auth, {})
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()


def test_inpatient_settle_needs_a_discharge_time(api_client, stay, auth):
    bill_line(stay, 1)
    response = _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/settle", auth, {})
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "discharged_at"
    stay.refresh_from_db()
    assert stay.status == "open"


def test_settle_without_lines_is_422(api_client, stay, auth):
    response = _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/settle", auth,
                     {"discharged_at": "2026-03-02T09:00:00+08:00"})
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "lines"


def test_lines_after_settlement_are_409(api_client, stay, auth):
    bill_line(stay, 1)
    _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/settle", auth,
          {"discharged_at": "2026-03-02T09:00:00+08:00"})
    response = _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth, [line_body(2)])
    assert response.status_code == 409 and response.json()["code"] == "encounter_already_settled"


def test_settle_refused_when_agreement_ended(api_client, stay, hospital, auth):
    bill_line(stay, 1)
    hospital[0].status = "suspended"
    hospital[0].save()
    response = _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/settle", auth,
                     {"discharged_at": "2026-03-02T09:00:00+08:00"})
    assert response.status_code == 403 and response.json()["code"] == "institution_no_agreement"


# --- answer, reads, scope --------------------------------------------------------------------------


def test_answer_a_query_reopens_the_encounter(api_client, stay, auth):
    stay.status = "queried"
    stay.save()
    response = _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/answer", auth,
                     {"text": "第 3 行为医嘱开具的同类药品，已更正编码。"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open" and "edit_lines" in response.json()["allowed_actions"]


def test_answer_when_not_queried_is_409(api_client, stay, auth):
    response = _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/answer", auth, {"text": "说明"})
    assert response.status_code == 409


def test_list_and_detail_with_status_filter(api_client, stay, recognised, hospital, auth):
    encounter(recognised, hospital[0], admitted_at=at("2026-02-01 08:00"), status="settled")
    listed = api_client.get("/api/v1/medical/encounters?status=open", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == stay.pk
    assert api_client.get("/api/v1/medical/encounters", **auth).json()["count"] == 2
    detail = api_client.get(f"/api/v1/medical/encounters/{stay.pk}", **auth).json()
    assert detail["case_number"] == recognised.number and detail["total"] == "0.00"


def test_another_institution_gets_404(api_client, stay, token_for):
    _inst, other = institution_with_client(code="H37020200977")
    other_auth = token_for(other)
    assert api_client.get(f"/api/v1/medical/encounters/{stay.pk}", **other_auth).status_code == 404
    assert _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", other_auth,
                 [line_body(1)]).status_code == 404
    assert api_client.get("/api/v1/medical/encounters", **other_auth).json()["count"] == 0


def test_staff_of_the_region_see_the_encounter(api_client, stay, staff_factory, token_for):
    inspector = staff_factory("inspector")
    assert api_client.get(f"/api/v1/medical/encounters/{stay.pk}", **token_for(inspector)).status_code == 200
    elsewhere = staff_factory("inspector", jurisdiction="370300")
    assert api_client.get(f"/api/v1/medical/encounters/{stay.pk}", **token_for(elsewhere)).status_code == 404


def test_worker_sees_own_encounters_read_only(api_client, stay, zhang_wei, token_for):
    worker = IndividualUserFactory(person=zhang_wei)
    headers = token_for(worker)
    mine = api_client.get("/api/v1/medical/my-encounters", **headers)
    assert mine.status_code == 200 and mine.json()["count"] == 1
    assert mine.json()["items"][0]["institution"] == stay.institution.name
    stranger = IndividualUserFactory()
    assert api_client.get("/api/v1/medical/my-encounters", **token_for(stranger)).json()["count"] == 0
    assert _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", headers,
                 [line_body(1)]).status_code == 403


def test_remote_encounter_takes_the_registration(api_client, recognised, employer_user_a, token_for):
    from .factories_encounters import registration

    reg = registration(recognised, employer_user_a, treatment_region="370300", start_date=date(2026, 1, 1))
    _inst, user = institution_with_client(region="370300", county="370302", code="H37030200011",
                                          agreement_from=date(2020, 1, 1))
    response = _json(api_client, "post", "/api/v1/medical/encounters", token_for(user),
                     {"case_number": recognised.number, **ADMISSION})
    assert response.status_code == 201, response.content
    enc = Encounter.objects.get()
    assert (enc.region, enc.treatment_region, enc.remote_registration_id) == ("370200", "370300", reg.pk)


def test_settle_without_a_body(api_client, stay, auth):
    stay.kind = "outpatient"
    stay.save()
    bill_line(stay, 1)
    response = api_client.generic("POST", f"/api/v1/medical/encounters/{stay.pk}/settle", **auth)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "settled"


def test_case_page_lists_the_workers_encounters(client, stay, zhang_wei, recognised):
    worker = IndividualUserFactory(person=zhang_wei)
    client.force_login(worker)
    page = client.get(f"/cases/{recognised.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "工伤医疗" in text and stay.institution.name in text and "在院" in text


# --- review R3: values beyond what the database columns hold are a 422, never a 500 -------------------


def test_quantity_and_price_beyond_the_columns_are_422(api_client, stay, auth):
    body = [line_body(1, quantity="1000000000", unit_price="0", amount="0.00"),        # 10 digits: column holds 9
            line_body(2, quantity="1", unit_price="10000000000", amount="10000000000.00"),  # column holds 10
            line_body(3, quantity="999999999.999", unit_price="0", amount="0.00"),    # the largest that fits
            line_body(4, quantity="1", unit_price="9999999999.9999", amount="10000000000.00")]
    response = _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth, body)
    assert response.status_code == 422, response.content
    found = {(r["line_no"], r["field"]) for r in response.json()["details"]["lines"]}
    assert found == {(1, "quantity"), (2, "unit_price")}
    assert not BillLine.objects.exists()


def test_encounter_total_beyond_the_column_is_422(api_client, stay, auth):
    path = f"/api/v1/medical/encounters/{stay.pk}/lines"
    huge = {"quantity": "1", "unit_price": "9999999999", "amount": "9999999999.00"}
    first = _json(api_client, "put", path, auth, [line_body(1, **huge)])
    assert first.status_code == 200, first.content
    # 费用总额 holds 12 digits before the point: 101 such lines would not fit, nor settle.
    response = _json(api_client, "put", path, auth, [line_body(i, **huge) for i in range(2, 102)])
    assert response.status_code == 422, response.content
    assert response.json()["details"][0]["field"] == "body" and "总额" in response.json()["details"][0]["message"]
    assert BillLine.objects.filter(encounter=stay).count() == 1


def test_quantity_of_the_wrong_type_is_one_error_on_the_field(api_client, stay, auth):
    response = _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth,
                     [line_body(1, quantity=[2])])
    assert response.status_code == 422
    assert response.json()["details"] == [{"field": "0.quantity", "message": "数量应为字符串（如 \"2\"）或整数"}]


def test_discharge_in_the_future_is_422(api_client, recognised, stay, auth):
    # the clock is 2026-03-02 10:00: an hour's slack for clocks, not a day
    body = {"case_number": recognised.number, **ADMISSION, "admitted_at": "2026-03-01T09:00:00+08:00",
            "discharged_at": "2026-03-03T10:00:00+08:00"}
    response = _json(api_client, "post", "/api/v1/medical/encounters", auth, body)
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "discharged_at"
    _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth, [line_body(1)])
    settle = _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/settle", auth,
                   {"discharged_at": "2099-01-01T10:00:00+08:00"})
    assert settle.status_code == 422 and settle.json()["details"][0]["field"] == "discharged_at"
    ok = _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/settle", auth,
               {"discharged_at": "2026-03-02T10:30:00+08:00"})
    assert ok.status_code == 200, ok.content


def test_another_institution_cannot_settle_or_answer(api_client, stay, auth, token_for):
    _json(api_client, "put", f"/api/v1/medical/encounters/{stay.pk}/lines", auth, [line_body(1)])
    _inst, other = institution_with_client(code="H37020200978")
    other_auth = token_for(other)
    settle = _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/settle", other_auth,
                   {"discharged_at": "2026-03-02T09:00:00+08:00"})
    assert settle.status_code == 404
    assert _json(api_client, "post", f"/api/v1/medical/encounters/{stay.pk}/answer", other_auth,
                 {"text": "答复"}).status_code == 404
    stay.refresh_from_db()
    assert stay.status == "open" and stay.discharged_at is None
