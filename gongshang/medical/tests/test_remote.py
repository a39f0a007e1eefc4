"""异地就医备案 services: register (recognised case, the worker or a 稽核员 of the region, region
checks, start-date grace, one active per case), change and cancel with the 3-month lock (the day
before and the day it ends), expiry, the regional parameters, the audit events."""

from datetime import date

import pytest

from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent
from gongshang.medical.models import MedicalSetting, RemoteRegistration
from gongshang.medical.selectors.remote import active_registration, treatment_region_of
from gongshang.medical.services import remote as services
from gongshang.recognition.models import RecognitionApplication

from .factories_remote import *  # noqa: F403
from .factories_remote import make_registration

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]
DATA = {"reason": "referral", "region": "370100", "start_date": date(2026, 3, 10)}


def test_worker_registers_twelve_months(worker, case):
    row = services.remote_registration_create(actor=worker, case_number=case.number, data=DATA)
    assert (row.region, row.treatment_region, row.valid_until) == ("370200", "370100", date(2027, 3, 9))
    assert row.status == "active" and row.created_by == worker
    assert AuditEvent.objects.filter(event_type="medical.remote_registered", target_id=str(row.pk)).exists()


def test_inspector_of_the_region_registers(inspector, case):
    row = services.remote_registration_create(actor=inspector, case_number=case.number, data=DATA)
    assert row.created_by == inspector


def test_inspector_of_another_region_does_not_find_the_case(other_inspector, case):
    with pytest.raises(FieldErrors) as err:
        services.remote_registration_create(actor=other_inspector, case_number=case.number, data=DATA)
    assert "case_number" in err.value.errors


def test_regional_valid_months(worker, case):
    MedicalSetting.objects.create(region="370200", valid_from=date(2026, 1, 1), remote_valid_months=6)
    row = services.remote_registration_create(actor=worker, case_number=case.number, data=DATA)
    assert row.valid_until == date(2026, 9, 9)


def test_setting_not_yet_valid_is_ignored(worker, case):
    MedicalSetting.objects.create(region="370200", valid_from=date(2026, 4, 1), remote_valid_months=6)
    row = services.remote_registration_create(actor=worker, case_number=case.number, data=DATA)
    assert row.valid_until == date(2027, 3, 9)


def test_unrecognised_case_is_refused(worker, case):
    RecognitionApplication.objects.filter(case=case).update(decision_result="not_recognized")
    with pytest.raises(DomainError) as err:
        services.remote_registration_create(actor=worker, case_number=case.number, data=DATA)
    assert err.value.code == "medical_not_eligible" and err.value.status == 422


@pytest.mark.parametrize(("region", "text"), [
    ("370200", "相同"),       # the case's own 统筹区
    ("370202", "统筹区"),     # a county, not a 统筹区
    ("999999", "统筹区"),     # not a region
])
def test_region_must_be_another_pooling_region(worker, case, region, text):
    with pytest.raises(FieldErrors) as err:
        services.remote_registration_create(actor=worker, case_number=case.number, data={**DATA, "region": region})
    assert text in err.value.errors["region"]


def test_start_date_grace_boundary(worker, case):
    with pytest.raises(FieldErrors) as err:
        services.remote_registration_create(actor=worker, case_number=case.number,
                                            data={**DATA, "start_date": date(2026, 2, 7)})  # 31 days back
    assert "start_date" in err.value.errors
    row = services.remote_registration_create(actor=worker, case_number=case.number,
                                              data={**DATA, "start_date": date(2026, 2, 8)})  # 30 days back
    assert row.valid_until == date(2027, 2, 7)


def test_bad_reason(worker, case):
    with pytest.raises(FieldErrors) as err:
        services.remote_registration_create(actor=worker, case_number=case.number, data={**DATA, "reason": "x"})
    assert "转诊转院" in err.value.errors["reason"]


def test_one_active_registration_per_case(worker, case):
    services.remote_registration_create(actor=worker, case_number=case.number, data=DATA)
    with pytest.raises(DomainError) as err:
        services.remote_registration_create(actor=worker, case_number=case.number,
                                            data={**DATA, "region": "370700"})
    assert err.value.code == "remote_registration_exists" and err.value.status == 422


def test_expired_registration_does_not_block(worker, case, time_machine):
    old = make_registration(case, worker, start_date=date(2025, 1, 1), valid_until=date(2025, 12, 31))
    row = services.remote_registration_create(actor=worker, case_number=case.number, data=DATA)
    assert row.pk != old.pk


def test_change_refused_the_day_before_the_lock_ends(worker, case, time_machine):
    row = services.remote_registration_create(actor=worker, case_number=case.number, data=DATA)
    time_machine.move_to("2026-06-09 18:00 +08:00")
    with pytest.raises(DomainError) as err:
        services.remote_registration_change(actor=worker, registration=row,
                                            data={**DATA, "region": "370700", "start_date": date(2026, 6, 9)})
    assert err.value.code == "remote_registration_locked"
    assert err.value.details == {"possible_from": "2026-06-10"}
    assert "2026年6月10日" in err.value.message
    row.refresh_from_db()
    assert row.status == "active"


def test_change_on_the_day_the_lock_ends(worker, case, time_machine):
    row = services.remote_registration_create(actor=worker, case_number=case.number, data=DATA)
    time_machine.move_to("2026-06-10 09:00 +08:00")
    new = services.remote_registration_change(actor=worker, registration=row,
                                              data={**DATA, "region": "370700", "start_date": date(2026, 6, 10)})
    row.refresh_from_db()
    assert row.status == "changed" and row.ended_at is not None
    assert (new.treatment_region, new.replaces_id, new.valid_until) == ("370700", row.pk, date(2027, 6, 9))
    assert AuditEvent.objects.filter(event_type="medical.remote_changed", target_id=str(row.pk)).exists()


def test_cancel_lock_boundary(worker, case, time_machine):
    row = services.remote_registration_create(actor=worker, case_number=case.number, data=DATA)
    time_machine.move_to("2026-06-09 23:59 +08:00")
    with pytest.raises(DomainError) as err:
        services.remote_registration_cancel(actor=worker, registration=row)
    assert err.value.code == "remote_registration_locked"
    time_machine.move_to("2026-06-10 00:01 +08:00")
    done = services.remote_registration_cancel(actor=worker, registration=row, note="已返回参保地")
    assert done.status == "cancelled" and done.note == "已返回参保地"
    with pytest.raises(DomainError) as again:
        services.remote_registration_cancel(actor=worker, registration=row)
    assert again.value.status == 409


def test_regional_lock_months(worker, case, time_machine):
    MedicalSetting.objects.create(region="370200", valid_from=date(2026, 1, 1), remote_lock_months=1)
    row = services.remote_registration_create(actor=worker, case_number=case.number, data=DATA)
    time_machine.move_to("2026-04-10 09:00 +08:00")
    assert services.remote_registration_cancel(actor=worker, registration=row).status == "cancelled"


def test_active_registration_and_treatment_region(worker, case):
    row = make_registration(case, worker)
    assert active_registration(case, date(2026, 3, 9)) is None
    assert active_registration(case, date(2026, 3, 10)) == row
    assert active_registration(case, date(2027, 3, 9)) == row
    assert active_registration(case, date(2027, 3, 10)) is None
    assert row.is_active_on(date(2027, 3, 9)) and not row.is_active_on(date(2027, 3, 10))
    assert treatment_region_of(case, date(2026, 6, 1)) == "370100"
    assert treatment_region_of(case, date(2027, 6, 1)) == "370200"
    RemoteRegistration.objects.filter(pk=row.pk).update(status="cancelled")
    assert active_registration(case, date(2026, 6, 1)) is None


def test_region_choices_are_other_cities_of_the_province():
    codes = dict(services.region_choices("370200"))
    assert "370100" in codes and "370700" in codes and "370200" not in codes
    assert all(code.startswith("37") for code in codes)


def test_a_case_out_of_scope_passed_directly_is_404(other_inspector, case):
    from gongshang.core.errors import NotFound

    with pytest.raises(NotFound):
        services.remote_registration_create(actor=other_inspector, case=case, data=DATA)
