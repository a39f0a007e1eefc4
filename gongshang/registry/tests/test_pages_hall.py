"""Employer hall pages and the staff confirmation queue, through the test client."""

import pytest
from django.utils import timezone

from gongshang.accounts.choices import StaffRole
from gongshang.registry.models import Enrolment, EnrolmentChange
from gongshang.registry.services.changes import change_submit
from gongshang.registry.tests.factories import ContributionRecordFactory

NEW_ID = "370285200203044818"


def month() -> str:
    return timezone.localdate().strftime("%Y-%m")


@pytest.fixture
def handler_client(client, employer_user_a):
    client.force_login(employer_user_a)
    return client


def submit(user, **data):
    base = {"kind": "add_new", "insurance_type": "injury", "effective_month": month(), "id_number": NEW_ID,
            "name": "吴磊"}
    return change_submit(actor=user, data={**base, **data})


@pytest.mark.django_db
class TestEmployerPages:
    def test_overview_tabs(self, handler_client, zhang_wei, employer_a):
        ContributionRecordFactory(person=zhang_wei, employer=employer_a, paid=False)
        basic = handler_client.get("/registry/employer/").content.decode()
        assert "91370200MA3C5UWK4C" in basic and "山东省青岛市" in basic
        insurance = handler_client.get("/registry/employer/?tab=insurance").content.decode()
        assert 'id="insurance-records"' in insurance and "工伤保险" in insurance
        payments = handler_client.get("/registry/employer/?tab=payments").content.decode()
        assert "2026-10" in payments and "badge-error" in payments

    def test_roster_and_refresh(self, handler_client, zhang_wei, li_na):
        page = handler_client.get("/registry/roster/").content.decode()
        assert "张伟" in page and "李娜" not in page and "370202198803151237" not in page
        partial = handler_client.get("/registry/roster/?status=retired", HTTP_HX_REQUEST="true").content.decode()
        assert partial.startswith('<div id="roster-table">') and "没有符合条件的人员" in partial

    def test_person_search_is_limited_to_own_people(self, handler_client, zhang_wei, li_na):
        found = handler_client.get("/registry/persons/?q=370202198803151237").content.decode()
        assert "张伟" in found
        other = handler_client.get("/registry/persons/?q=370211199207084569").content.decode()
        assert "李娜" not in other and "没有符合条件" in other
        assert handler_client.get(f"/registry/persons/{li_na.pk}/").status_code == 404
        detail = handler_client.get(f"/registry/persons/{zhang_wei.pk}/").content.decode()
        assert 'id="person-enrolments"' in detail and "工伤保险" in detail

    def test_new_addition_for_several_types(self, handler_client, employer_a):
        response = handler_client.post("/registry/changes/new/", {
            "direction": "add", "kind": "add_new", "insurance_types": ["injury", "pension"],
            "effective_month": month(), "id_number": NEW_ID, "name": "吴磊", "identity": "employee"})
        assert response.status_code == 302
        assert sorted(EnrolmentChange.objects.values_list("insurance_type", flat=True)) == ["injury", "pension"]
        listed = handler_client.get("/registry/changes/").content.decode()
        assert "吴磊" in listed and "待确认" in listed

    def test_errors_are_shown_and_nothing_saved(self, handler_client, employer_a):
        response = handler_client.post("/registry/changes/new/", {
            "direction": "add", "kind": "add_new", "insurance_types": ["injury"], "effective_month": "2001-01",
            "id_number": "370285200203044810", "name": "吴磊"})
        page = response.content.decode()
        assert response.status_code == 200 and "校验位" in page
        assert EnrolmentChange.objects.count() == 0

    def test_edit_and_withdraw(self, handler_client, employer_user_a):
        change = submit(employer_user_a)
        response = handler_client.post(f"/registry/changes/{change.pk}/edit/", {
            "kind": "add_new", "insurance_types": "injury", "effective_month": month(), "id_number": NEW_ID,
            "name": "吴磊", "declared_wage": "5100"})
        assert response.status_code == 302
        change.refresh_from_db()
        assert str(change.declared_wage) == "5100.00"
        assert handler_client.post(f"/registry/changes/{change.pk}/withdraw/").status_code == 302
        change.refresh_from_db()
        assert change.status == "withdrawn"

    def test_other_employer_cannot_edit(self, client, employer_user_a, employer_user_b):
        change = submit(employer_user_a)
        client.force_login(employer_user_b)
        assert client.get(f"/registry/changes/{change.pk}/edit/").status_code == 404
        assert client.post(f"/registry/changes/{change.pk}/withdraw/").status_code == 404
        change.refresh_from_db()
        assert change.status == "pending"

    def test_login_required(self, client):
        response = client.get("/registry/roster/")
        assert response.status_code == 302 and "/accounts/" in response["Location"]


@pytest.mark.django_db
class TestStaffQueue:
    def test_bulk_confirm(self, client, employer_user_a, zhang_wei, staff_factory):
        add = submit(employer_user_a)
        reduce = submit(employer_user_a, kind="reduce_suspend", id_number="370202198803151237", name="张伟")
        client.force_login(staff_factory(StaffRole.INTAKE))
        page = client.get("/registry/workbench/changes/").content.decode()
        assert "吴磊" in page and "张伟" in page and "待确认 1" in page
        response = client.post("/registry/workbench/changes/decide/",
                               {"ids": [add.pk, reduce.pk], "action": "confirm", "query": "direction=add"})
        assert response.status_code == 302 and response["Location"].endswith("?direction=add")
        assert Enrolment.objects.get(person__name="吴磊").status == "active"
        assert Enrolment.objects.get(person=zhang_wei).status == "suspended"

    def test_ids_in_other_digits_are_ignored_not_a_500(self, client, employer_user_a, staff_factory):
        """"²" and "３" pass str.isdigit(); int("²") raised ValueError (a 500)."""
        change = submit(employer_user_a)
        client.force_login(staff_factory(StaffRole.INTAKE))
        response = client.post("/registry/workbench/changes/decide/", {"ids": ["²", "３"], "action": "confirm"})
        assert response.status_code == 302
        change.refresh_from_db()
        assert change.status == "pending"

    def test_reject_needs_reason(self, client, employer_user_a, staff_factory):
        change = submit(employer_user_a)
        client.force_login(staff_factory(StaffRole.INTAKE))
        client.post("/registry/workbench/changes/decide/", {"ids": [change.pk], "action": "reject", "reason": ""})
        change.refresh_from_db()
        assert change.status == "pending"
        client.post(f"/registry/workbench/changes/{change.pk}/decide/", {"action": "reject", "reason": "请补充合同"})
        change.refresh_from_db()
        assert change.status == "rejected" and change.reject_reason == "请补充合同"

    def test_detail_shows_roster_and_scoping(self, client, employer_user_a, zhang_wei, staff_factory):
        change = submit(employer_user_a, kind="reduce_terminate", id_number="370202198803151237", name="张伟")
        client.force_login(staff_factory(StaffRole.INTAKE))
        page = client.get(f"/registry/workbench/changes/{change.pk}/").content.decode()
        assert "终止参保" in page and "参保缴费" in page
        client.force_login(staff_factory(StaffRole.INTAKE, jurisdiction="370100"))
        assert client.get(f"/registry/workbench/changes/{change.pk}/").status_code == 404

    def test_role_required(self, client, staff_factory):
        client.force_login(staff_factory(StaffRole.AUDIT_ADMIN))
        assert client.get("/registry/workbench/changes/").status_code == 403
