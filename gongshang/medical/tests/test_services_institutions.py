"""协议机构 services: validation (code, period, kind, county within the 统筹区), status changes with a
reason through the transition table, API client links, audit events, and institution_settleable."""

from datetime import date

import pytest

from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.models.audit import AuditEvent

from ..choices import AgreementStatus
from ..models import AgreementInstitution
from ..services import institutions as s
from .factories import InstitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def _data(**overrides) -> dict:
    data = {"code": "h37020200009", "name": "青岛市测试医院", "kind": "medical", "level": "二级甲等",
            "county": "370202", "agreement_no": "QDGS-XY-2026-0009", "agreement_from": date(2026, 1, 1),
            "agreement_to": date(2026, 12, 31), "contact_phone": "13800009009"}
    data.update(overrides)
    return data


def test_create_in_the_actors_region_in_force_with_an_audit_event(inspector):
    institution = s.institution_create(actor=inspector, data=_data())
    assert (institution.region, institution.code, institution.status) == ("370200", "H37020200009", "in_force")
    event = AuditEvent.objects.get(event_type="medical.institution_saved", target_id=str(institution.pk))
    assert event.details == {"action": "create", "code": "H37020200009", "name": "青岛市测试医院"}


@pytest.mark.parametrize(("overrides", "field", "fragment"), [
    ({"code": "37020200009"}, "code", "大写字母开头"),
    ({"code": "H1"}, "code", "5～20 位"),
    ({"name": "  "}, "name", "机构名称"),
    ({"kind": "pharmacy"}, "kind", "机构类别"),
    ({"county": "370702"}, "county", "不在本统筹区"),       # 潍坊市潍城区
    ({"county": "370200"}, "county", "不在本统筹区"),       # the city itself is not a county
    ({"agreement_to": date(2025, 12, 31)}, "agreement_to", "不能早于起始日期"),
    ({"agreement_no": ""}, "agreement_no", "协议编号"),
    # The bank file goes to the bank and opens in Excel: an account is digits, no cell is a formula.
    ({"bank_account": "6222-abc"}, "bank_account", "8～30 位数字"),
    ({"bank_account": "1234567"}, "bank_account", "8～30 位数字"),
    ({"name": "=HYPERLINK(\"x\")"}, "name", "公式"),
    ({"bank_name": "@SUM(A1)"}, "bank_name", "公式"),
])
def test_create_refuses_bad_input_naming_the_field(inspector, overrides, field, fragment):
    with pytest.raises(FieldErrors) as caught:
        s.institution_create(actor=inspector, data=_data(**overrides))
    assert fragment in caught.value.errors[field]
    assert not AgreementInstitution.objects.exists()


def test_bank_account_with_spaces_is_kept_as_digits(inspector):
    institution = s.institution_create(actor=inspector, data=_data(bank_account="6222 0202 0001 2345"))
    assert institution.bank_account == "6222020200012345"


def test_agreement_of_one_day_is_accepted(inspector):
    """from == to is a valid (one-day) agreement; one day earlier is refused above."""
    institution = s.institution_create(actor=inspector, data=_data(agreement_to=date(2026, 1, 1)))
    assert institution.agreement_from == institution.agreement_to


def test_code_is_unique(inspector):
    InstitutionFactory(code="H37020200009")
    with pytest.raises(FieldErrors) as caught:
        s.institution_create(actor=inspector, data=_data())
    assert "已被其他协议机构使用" in caught.value.errors["code"]


def test_only_the_inspector_may_create(staff_factory):
    with pytest.raises(Forbidden):
        s.institution_create(actor=staff_factory("benefits_reviewer"), data=_data())


def test_update_records_changed_field_names_only(inspector):
    institution = InstitutionFactory()
    s.institution_update(actor=inspector, institution=institution,
                         data={"contact_phone": "13800001111", "name": institution.name})
    event = AuditEvent.objects.filter(event_type="medical.institution_saved").latest("pk")
    assert event.details == {"action": "update", "fields": ["contact_phone"]}
    institution.refresh_from_db()
    assert institution.contact_phone == "13800001111"


def test_update_checks_the_period_against_the_stored_start(inspector):
    institution = InstitutionFactory(agreement_from=date(2026, 1, 1))
    with pytest.raises(FieldErrors):
        s.institution_update(actor=inspector, institution=institution, data={"agreement_to": date(2025, 6, 30)})


def test_update_of_another_regions_institution_is_not_found(other_inspector):
    from gongshang.accounts.access import get_for

    institution = InstitutionFactory()
    with pytest.raises(DomainError) as caught:
        get_for(other_inspector, AgreementInstitution, institution.pk, "manage")
    assert caught.value.status == 404


def test_suspend_resume_terminate_with_reasons(inspector):
    institution = InstitutionFactory()
    s.institution_suspend(actor=inspector, institution=institution, reason="稽核发现串换项目，暂停结算")
    assert institution.status == AgreementStatus.SUSPENDED
    event = AuditEvent.objects.get(event_type="medical_institution.suspend")
    assert event.details["reason"] == "稽核发现串换项目，暂停结算" and event.details["to"] == "suspended"
    s.institution_resume(actor=inspector, institution=institution, reason="整改完成")
    assert institution.status == AgreementStatus.IN_FORCE
    s.institution_terminate(actor=inspector, institution=institution, reason="协议到期不再续签")
    assert institution.status == AgreementStatus.TERMINATED
    with pytest.raises(DomainError) as caught:
        s.institution_resume(actor=inspector, institution=institution, reason="误操作")
    assert caught.value.status == 409 and caught.value.code == "medical_invalid_transition"


def test_status_change_needs_a_reason(inspector):
    institution = InstitutionFactory()
    with pytest.raises(FieldErrors) as caught:
        s.institution_suspend(actor=inspector, institution=institution, reason="  ")
    assert "原因" in caught.value.errors["reason"]
    institution.refresh_from_db()
    assert institution.status == AgreementStatus.IN_FORCE


def test_link_and_unlink_client(inspector, client_account, staff_factory):
    from gongshang.accounts.tests.factories import UserFactory

    institution = InstitutionFactory()
    s.institution_link_client(actor=inspector, institution=institution, client_id=" inst-test-qdfy ")
    assert list(institution.api_clients.all()) == [client_account]
    with pytest.raises(FieldErrors) as caught:
        s.institution_link_client(actor=inspector, institution=institution, client_id=inspector.username)
    assert "未找到该接入账户" in caught.value.errors["client_id"]
    UserFactory(username="inst-wf", kind="institution", jurisdiction="370700")
    with pytest.raises(FieldErrors) as caught:
        s.institution_link_client(actor=inspector, institution=institution, client_id="inst-wf")
    assert "其他统筹区" in caught.value.errors["client_id"]
    s.institution_unlink_client(actor=inspector, institution=institution, client_id="inst-test-qdfy")
    assert not institution.api_clients.exists()
    actions = [e.details["action"] for e in AuditEvent.objects.filter(event_type="medical.institution_saved").order_by("pk")]
    assert actions == ["link_client", "unlink_client"]


@pytest.mark.parametrize(("on", "ok"), [
    (date(2025, 12, 31), False), (date(2026, 1, 1), True), (date(2028, 12, 31), True), (date(2029, 1, 1), False),
])
def test_settleable_on_the_agreement_boundaries(on, ok):
    institution = InstitutionFactory(agreement_from=date(2026, 1, 1), agreement_to=date(2028, 12, 31))
    if ok:
        s.institution_settleable(institution, on)
        return
    with pytest.raises(DomainError) as caught:
        s.institution_settleable(institution, on)
    assert caught.value.status == 403 and caught.value.code == "institution_no_agreement"
    assert "不在协议期内" in caught.value.message


@pytest.mark.parametrize(("status", "fragment"), [("suspended", "暂停结算"), ("terminated", "已解除")])
def test_not_settleable_when_suspended_or_terminated(status, fragment):
    institution = InstitutionFactory(status=status)
    with pytest.raises(DomainError) as caught:
        s.institution_settleable(institution, date(2026, 3, 2))
    assert fragment in caught.value.message and caught.value.details["status"] == status
