"""协议机构 selectors (scope, filters, agreements ending soon) and setting_for (the version on the day)."""

from datetime import date

import pytest

from ..selectors import institutions as sel
from ..services.settings import setting_add
from .factories import InstitutionFactory, MedicalSettingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_staff_see_their_region_an_institution_its_own(inspector, other_inspector, hospital, client_account):
    other = InstitutionFactory(region="370700", county="370702", code="H37070200001")
    InstitutionFactory(code="H37020300001", county="370203")
    assert set(sel.institution_list(actor=inspector).values_list("code", flat=True)) == {"H37020200001",
                                                                                         "H37020300001"}
    assert list(sel.institution_list(actor=other_inspector)) == [other]
    assert list(sel.institution_list(actor=client_account)) == [hospital]


def test_filters(inspector):
    InstitutionFactory(code="H37020300001", county="370203", kind="medical")
    InstitutionFactory(code="R37021200001", county="370212", kind="rehabilitation", status="suspended")
    assert [i.code for i in sel.institution_list(actor=inspector, kind="rehabilitation")] == ["R37021200001"]
    assert [i.code for i in sel.institution_list(actor=inspector, status="suspended")] == ["R37021200001"]
    assert [i.code for i in sel.institution_list(actor=inspector, county="370203")] == ["H37020300001"]
    assert [i.code for i in sel.institution_list(actor=inspector, q="R3702")] == ["R37021200001"]


def test_ending_within_60_days_boundary(inspector):
    today = date(2026, 3, 2)
    InstitutionFactory(code="H00000000060", agreement_to=date(2026, 5, 1))   # today + 60
    InstitutionFactory(code="H00000000061", agreement_to=date(2026, 5, 2))   # today + 61
    InstitutionFactory(code="H00000000001", agreement_to=date(2026, 3, 1))   # ended yesterday
    rows = sel.institution_list(actor=inspector, ending_within=60, on=today)
    assert [i.code for i in rows] == ["H00000000060"]


def test_setting_for_the_version_valid_on_the_day(inspector):
    MedicalSettingFactory(valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31), readmission_days=15)
    MedicalSettingFactory(valid_from=date(2026, 1, 1), readmission_days=7)
    assert sel.setting_for("370200", date(2025, 12, 31)).readmission_days == 15
    assert sel.setting_for("370200", date(2026, 1, 1)).readmission_days == 7


def test_setting_for_without_a_row_is_an_unsaved_default():
    found = sel.setting_for("370200", date(2026, 3, 2))
    assert found.pk is None
    assert (found.readmission_days, found.idle_stay_hours, found.remote_valid_months, found.remote_lock_months) == (
        15, 48, 12, 3)
    MedicalSettingFactory(region="370700", readmission_days=7)
    assert sel.setting_for("370200", date(2026, 3, 2)).pk is None


def test_setting_add_closes_the_open_version(inspector):
    first = MedicalSettingFactory(valid_from=date(2025, 1, 1))
    data = {"valid_from": date(2026, 4, 1), "readmission_days": 7, "idle_stay_hours": 48, "remote_valid_months": 12,
            "remote_lock_months": 3, "review_working_days": 20, "rectify_days": 30, "source": "青人社发〔2026〕1号"}
    added = setting_add(actor=inspector, data=data)
    first.refresh_from_db()
    assert first.valid_to == date(2026, 3, 31) and added.valid_to is None
    assert sel.setting_for("370200", date(2026, 3, 31)).pk == first.pk
    assert sel.setting_for("370200", date(2026, 4, 1)).pk == added.pk


def test_setting_add_refuses_a_start_not_after_the_last_version_and_bad_bounds(inspector):
    from gongshang.core.errors import FieldErrors

    MedicalSettingFactory(valid_from=date(2026, 4, 1))
    data = {"valid_from": date(2026, 4, 1), "readmission_days": 7, "idle_stay_hours": 48, "remote_valid_months": 12,
            "remote_lock_months": 7, "review_working_days": 20, "rectify_days": 30, "source": "x"}
    with pytest.raises(FieldErrors) as caught:
        setting_add(actor=inspector, data=data)
    assert "0～6" in caught.value.errors["remote_lock_months"]
    data["remote_lock_months"] = 6
    with pytest.raises(FieldErrors) as caught:
        setting_add(actor=inspector, data=data)
    assert "须晚于现有各版本" in caught.value.errors["valid_from"]
