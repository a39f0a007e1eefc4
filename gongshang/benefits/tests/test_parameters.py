"""待遇参数: validity periods, history, corrections, permissions, pages."""

from datetime import date
from decimal import Decimal as D

import pytest

from gongshang.accounts.choices import StaffRole
from gongshang.benefits import selectors
from gongshang.benefits.models import Parameter
from gongshang.benefits.services.parameters import parameter_add, parameter_correct
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_new_year_closes_previous_period(parameters):
    old = selectors.parameter_in_force(region="370200", kind="avg_monthly_wage", on=date(2025, 12, 31))
    new = selectors.parameter_in_force(region="370200", kind="avg_monthly_wage", on=date(2026, 1, 1))
    assert (old.value, old.valid_to, new.value, new.valid_to) == (D("8000.00"), date(2025, 12, 31), D("8400.00"), None)
    assert selectors.parameter_in_force(region="370200", kind="avg_monthly_wage", on=date(2024, 12, 31)) is None
    assert selectors.national_income(year=2024).value == D("54188.00")


def test_add_by_reviewer_of_the_region_with_audit(staff_factory, parameters):
    admin = staff_factory(StaffRole.SYSTEM_ADMIN)
    row = parameter_add(actor=admin, region="370200", kind="avg_monthly_wage", valid_from=date(2027, 1, 1),
                        value=D("8800"), source="青岛市 2026 年度职工月平均工资通知")
    assert Parameter.objects.get(region="370200", kind="avg_monthly_wage", valid_from=date(2026, 1, 1)).valid_to \
        == date(2026, 12, 31)
    assert AuditEvent.objects.filter(event_type="benefits.parameter_added", target_id=str(row.pk)).exists()


def test_overlap_refused_and_other_region_forbidden(staff_factory, parameters):
    reviewer = staff_factory(StaffRole.BENEFITS_REVIEWER)
    with pytest.raises(DomainError) as exc:
        parameter_add(actor=reviewer, region="370200", kind="min_wage", valid_from=date(2025, 6, 1),
                      value=D("2250"), source="x")
    assert exc.value.status == 409
    with pytest.raises(Forbidden):
        parameter_add(actor=reviewer, region="370100", kind="min_wage", valid_from=date(2025, 6, 1),
                      value=D("2250"), source="x")
    with pytest.raises(Forbidden):
        parameter_add(actor=reviewer, region="000000", kind="national_disposable_income",
                      valid_from=date(2026, 1, 1), value=D("56000"), data_year=2025, source="x")
    with pytest.raises(Forbidden):
        parameter_add(actor=staff_factory(StaffRole.INTAKE), region="370200", kind="min_wage",
                      valid_from=date(2027, 1, 1), value=D("2400"), source="x")


def test_validation_names_fields(staff_factory):
    admin = staff_factory(StaffRole.SYSTEM_ADMIN)
    with pytest.raises(FieldErrors) as exc:
        parameter_add(actor=admin, region="37", kind="medical_subsidy_months", valid_from=None,
                      table={"5": 22}, source="")
    assert set(exc.value.errors) == {"region", "table", "valid_from", "source"}


@pytest.mark.parametrize("region", ["37020\uff10", "37020\u00b2"], ids=["fullwidth_0", "superscript"])
def test_region_with_non_ascii_digits_refused(staff_factory, region):
    """str.isdigit() is true for "37020０" and "37020²": such a row would be stored under a code no
    统筹区 has (and never found by the calculator)."""
    admin = staff_factory(StaffRole.SYSTEM_ADMIN)
    with pytest.raises(FieldErrors) as exc:
        parameter_add(actor=admin, region=region, kind="min_wage", valid_from=date(2025, 1, 1), value=D("2000"),
                      source="测试")
    assert set(exc.value.errors) == {"region"}


def test_correction_keeps_history(staff_factory, parameters):
    reviewer = staff_factory(StaffRole.BENEFITS_REVIEWER)
    old = selectors.parameter_in_force(region="370200", kind="min_wage", on=date(2025, 5, 1))
    new = parameter_correct(actor=reviewer, parameter=old, value=D("2210"), source="更正后的通知", note="录入错误")
    assert selectors.parameter_in_force(region="370200", kind="min_wage", on=date(2025, 5, 1)) == new
    old.refresh_from_db()
    assert old.status == "superseded" and new.supersedes == old and new.valid_to == date(2025, 12, 31)
    with pytest.raises(DomainError):
        parameter_correct(actor=reviewer, parameter=old, value=D("1"), source="x", note="y")


def test_pages(client, staff_factory, parameters):
    admin = staff_factory(StaffRole.SYSTEM_ADMIN)
    client.force_login(admin)
    response = client.get("/benefits/parameters/")
    assert response.status_code == 200 and "演示值" in response.content.decode()
    assert "共 条" not in response.content.decode()
    response = client.post("/benefits/parameters/new/", {"region": "370200", "kind": "meal_allowance",
                                                         "valid_from": "2026-01-01", "value": "35", "source": "通知"})
    assert response.status_code == 302
    response = client.post("/benefits/parameters/new/", {"region": "370200", "kind": "meal_allowance",
                                                         "valid_from": "2025-06-01", "value": "35", "source": "通知"})
    assert response.status_code == 422 and "更正" in response.content.decode()
    response = client.post("/benefits/parameters/new/", {"region": "370200", "kind": "employment_subsidy_months",
                                                         "valid_from": "2026-01-01", "source": "通知",
                                                         "months_5": "30"})
    assert response.status_code == 422
    row = Parameter.objects.get(kind="meal_allowance", valid_from=date(2026, 1, 1))
    response = client.post(f"/benefits/parameters/{row.pk}/correct/", {"value": "36", "source": "通知", "note": "笔误"})
    assert response.status_code == 302
    assert Parameter.objects.filter(kind="meal_allowance", status="active", valid_from=date(2026, 1, 1)).get().value \
        == D("36.00")


def test_pages_refuse_other_roles(client, staff_factory, individual_user):
    client.force_login(staff_factory(StaffRole.INTAKE))
    assert client.get("/benefits/parameters/").status_code == 403
    client.force_login(individual_user)
    assert client.get("/benefits/parameters/").status_code == 403
