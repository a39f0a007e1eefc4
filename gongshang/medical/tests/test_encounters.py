"""Services of 就诊与费用明细 (the API tests cover the HTTP side)."""

from datetime import date, datetime

import pytest

from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent
from gongshang.medical.choices import EventType
from gongshang.medical.models import BillLine, Encounter
from gongshang.medical.services import encounters as services

from .factories_encounters import at, bill_line, encounter, line_body
from .fixtures_encounters import hospital_fixture, recognised_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def _data(case, **fields):
    return {"case_number": case.number, "kind": "inpatient", "admitted_at": at("2026-03-01 08:00"),
            "discharged_at": None, "diagnoses": [{"code": "s62.600 ", "name": " 骨折 "}], "department": "骨科",
            **fields}


def _lines(rows):
    """API-shaped rows as the router hands them over (datetimes parsed)."""
    return [{**row, "occurred_at": datetime.fromisoformat(row["occurred_at"])} for row in rows]


def test_create_records_and_audits(recognised, hospital):
    enc, created = services.encounter_create(actor=hospital[1], data=_data(recognised))
    assert created and enc.diagnoses == [{"code": "S62.600", "name": "骨折"}]
    event = AuditEvent.objects.get(event_type=EventType.ENCOUNTER_CREATED)
    assert event.target_id == str(enc.pk) and event.details["case_number"] == recognised.number


def test_external_key_is_institution_case_kind_and_admission(recognised, hospital):
    first, _ = services.encounter_create(actor=hospital[1], data=_data(recognised))
    same, created = services.encounter_create(actor=hospital[1], data=_data(recognised, department="别的科室"))
    assert same.pk == first.pk and created is False
    outpatient, created = services.encounter_create(actor=hospital[1], data=_data(recognised, kind="outpatient"))
    assert created and outpatient.pk != first.pk
    assert Encounter.objects.count() == 2


def test_naive_times_are_beijing_time(recognised, hospital):
    enc, _ = services.encounter_create(actor=hospital[1],
                                       data=_data(recognised, admitted_at=datetime(2026, 3, 1, 8, 0)))
    assert enc.admitted_at == at("2026-03-01 08:00")


def test_admission_in_the_future_is_refused(recognised, hospital):
    with pytest.raises(FieldErrors) as caught:
        services.encounter_create(actor=hospital[1], data=_data(recognised, admitted_at=at("2026-03-03 08:00")))
    assert "admitted_at" in caught.value.errors


def test_a_stay_from_the_accident_day_registers_even_before_the_decision_day(recognised, hospital):
    # Injured 2025-06-10, recognised 2025-07-01: the stay from the accident on is the injury's treatment.
    with pytest.raises(FieldErrors) as caught:
        services.encounter_create(actor=hospital[1], data=_data(recognised, admitted_at=at("2025-06-09 23:59")))
    assert "早于事故发生日" in caught.value.errors["admitted_at"]
    _enc, created = services.encounter_create(actor=hospital[1],
                                              data=_data(recognised, admitted_at=at("2025-06-10 00:00")))
    assert created


def test_a_stay_while_the_recognition_is_under_way_registers_and_settles_once_recognised(recognised, hospital):
    from gongshang.recognition.models import RecognitionApplication

    RecognitionApplication.objects.filter(case=recognised).update(status="investigating", decision_result="",
                                                                  decided_on=None, delivered_on=None)
    enc, created = services.encounter_create(actor=hospital[1], data=_data(recognised, admitted_at=at("2026-03-01 08:00")))
    assert created
    bill_line(enc, 1, occurred_at=at("2026-03-01 09:00"))
    with pytest.raises(DomainError) as caught:
        services.encounter_settle(actor=hospital[1], encounter=enc, discharged_at=at("2026-03-02 09:00"))
    assert caught.value.code == "medical_not_eligible" and "尚未作出" in caught.value.message
    enc.refresh_from_db()
    assert enc.status == "open" and enc.discharged_at is None          # nothing half-done
    RecognitionApplication.objects.filter(case=recognised).update(status="decided", decision_result="recognized",
                                                                  decided_on=date(2026, 3, 2))
    services.encounter_settle(actor=hospital[1], encounter=enc, discharged_at=at("2026-03-02 09:00"))
    enc.refresh_from_db()
    assert enc.status == "settled"


def test_a_case_decided_as_not_work_injury_is_refused(recognised, hospital):
    from gongshang.recognition.models import RecognitionApplication

    RecognitionApplication.objects.filter(case=recognised).update(decision_result="not_recognized")
    with pytest.raises(DomainError) as caught:
        services.encounter_create(actor=hospital[1], data=_data(recognised, admitted_at=at("2026-03-01 08:00")))
    assert caught.value.code == "medical_not_eligible"


def test_lines_occurred_within_the_stay_boundaries(recognised, hospital):
    enc = encounter(recognised, hospital[0], admitted_at=at("2026-03-01 08:00"), discharged_at=at("2026-03-02 09:00"))
    ok = services.encounter_lines_replace(actor=hospital[1], encounter=enc, lines=_lines([
        line_body(1, occurred_at="2026-03-01T08:00:00+08:00"), line_body(2, occurred_at="2026-03-02T09:00:00+08:00")]))
    assert ok["created"] == 2
    with pytest.raises(DomainError) as caught:
        services.encounter_lines_replace(actor=hospital[1], encounter=enc, lines=_lines([
            line_body(3, occurred_at="2026-03-01T07:59:00+08:00"), line_body(4, occurred_at="2026-03-02T09:01:00+08:00")]))
    assert [(r["line_no"], r["field"]) for r in caught.value.details["lines"]] == [(3, "occurred_at"),
                                                                                   (4, "occurred_at")]
    assert BillLine.objects.filter(encounter=enc).count() == 2


def test_lines_are_audited_with_counts(recognised, hospital):
    enc = encounter(recognised, hospital[0])
    bill_line(enc, 1)
    services.encounter_lines_replace(actor=hospital[1], encounter=enc, lines=_lines([line_body(1), line_body(2)]))
    event = AuditEvent.objects.get(event_type=EventType.LINES_REPLACED)
    assert event.details == {"received": 2, "created": 1, "updated": 1}


def test_discharge_before_last_line_is_refused(recognised, hospital):
    enc = encounter(recognised, hospital[0])
    bill_line(enc, 1, occurred_at=at("2026-03-02 08:00"))
    with pytest.raises(FieldErrors) as caught:
        services.encounter_settle(actor=hospital[1], encounter=enc, discharged_at=at("2026-03-02 07:00"))
    assert "discharged_at" in caught.value.errors
    enc.refresh_from_db()
    assert enc.status == "open" and enc.discharged_at is None


def test_outpatient_settles_without_discharge_time(recognised, hospital):
    enc = encounter(recognised, hospital[0], kind="outpatient")
    bill_line(enc, 1)
    result = services.encounter_settle(actor=hospital[1], encounter=enc)
    assert result.total == result.fund_amount + result.self_amount
    enc.refresh_from_db()
    assert enc.status == "settled"


def test_reviewed_encounter_cannot_be_settled_again(recognised, hospital):
    enc = encounter(recognised, hospital[0], status="approved")
    with pytest.raises(DomainError) as caught:
        services.encounter_settle(actor=hospital[1], encounter=enc)
    assert caught.value.status == 409


def test_answer_goes_through_the_workflow_and_is_audited(recognised, hospital):
    enc = encounter(recognised, hospital[0], status="queried")
    services.encounter_answer(actor=hospital[1], encounter=enc, text="已更正第 2 行")
    enc.refresh_from_db()
    assert enc.status == "open"
    event = AuditEvent.objects.get(event_type="medical_encounter.answer")
    assert event.details["text"] == "已更正第 2 行" and event.details["from"] == "queried"


def test_empty_answer_is_refused(recognised, hospital):
    enc = encounter(recognised, hospital[0], status="queried")
    with pytest.raises(FieldErrors):
        services.encounter_answer(actor=hospital[1], encounter=enc, text="  ")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_registrations_make_one_encounter(recognised, hospital):
    """Review R3: a hospital system retrying at once (no Idempotency-Key) must not open two stays."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks are checked on PostgreSQL (SQLite serialises whole-database writes)")
    results, barrier = [], threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(services.encounter_create(actor=hospital[1], data=_data(recognised))[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert Encounter.objects.count() == 1 and sorted(results) == [False, True]


def test_a_device_supplier_cannot_register_a_stay(recognised):
    """Review R3: a 辅助器具配置机构 settles devices (its own service), it does not treat."""
    from .factories_encounters import institution_with_client

    _supplier, client = institution_with_client(code="F37020200901", kind="device")
    with pytest.raises(FieldErrors) as caught:
        services.encounter_create(actor=client, data=_data(recognised))
    assert "kind" in caught.value.errors and "辅助器具" in caught.value.errors["kind"]
    assert not Encounter.objects.exists()
