"""/api/v1/registry/employees and /changes: status, body and database state; scoping."""

import pytest
from django.utils import timezone

from gongshang.accounts.choices import StaffRole
from gongshang.core.models import AuditEvent
from gongshang.registry.errors import RegistryEvent
from gongshang.registry.models import Enrolment, EnrolmentChange, InsuredPerson
from gongshang.registry.tests.factories import (
    ContributionRecordFactory,
    EnrolmentFactory,
    InsuredPersonFactory,
)

NEW_ID = "370285200203044818"


def month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def auth(headers):
    return headers  # token_for already gives the Authorization header


def post(client, url, token, body):
    return client.post(url, body, content_type="application/json", **auth(token))


def addition(**overrides):
    body = {"kind": "add_new", "insurance_type": "injury", "effective_month": month(), "id_number": NEW_ID,
            "name": "吴磊", "mobile": "13900000006", "household_type": "urban", "identity": "employee",
            "declared_wage": "5000.00"}
    body.update(overrides)
    return body


@pytest.mark.django_db
class TestChangesApi:
    def test_employer_submits_and_staff_confirms(self, api_client, token_for, employer_user_a, staff_factory):
        token = token_for(employer_user_a)
        response = post(api_client, "/api/v1/registry/changes", token, addition())
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "pending" and body["kind"] == "add_new"
        assert body["id_number_masked"] != NEW_ID and body["id_number_masked"].startswith("3702")
        assert not InsuredPerson.objects.filter(name="吴磊").exists()  # roster unchanged until confirmed

        clerk = staff_factory(StaffRole.INTAKE)
        response = post(api_client, f"/api/v1/registry/changes/{body['id']}/confirm", token_for(clerk), {})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "confirmed"
        enrolment = Enrolment.objects.get(person__name="吴磊")
        assert enrolment.status == "active" and enrolment.employer_id == employer_user_a.employer_id
        assert str(enrolment.declared_wage) == "5000.00"
        assert AuditEvent.objects.filter(event_type="registry.change_confirmed").count() == 1

    def test_bad_input_is_explained_per_field(self, api_client, token_for, employer_user_a):
        response = post(api_client, "/api/v1/registry/changes", token_for(employer_user_a),
                        addition(id_number="370285200203044810", kind="hire", effective_month="next year"))
        assert response.status_code == 422
        fields = {d["field"]: d["message"] for d in response.json()["details"]}
        assert {"id_number", "kind", "effective_month"} <= set(fields)
        assert "校验位" in fields["id_number"]
        assert EnrolmentChange.objects.count() == 0

    def test_staff_rejects_with_reason_and_employer_sees_it(self, api_client, token_for, employer_user_a,
                                                            staff_factory):
        token = token_for(employer_user_a)
        change_id = post(api_client, "/api/v1/registry/changes", token, addition()).json()["id"]
        clerk_token = token_for(staff_factory(StaffRole.INTAKE))
        missing = post(api_client, f"/api/v1/registry/changes/{change_id}/reject", clerk_token, {"reason": " "})
        assert missing.status_code == 422
        response = post(api_client, f"/api/v1/registry/changes/{change_id}/reject", clerk_token,
                        {"reason": "身份证号与劳动合同不一致"})
        assert response.status_code == 200
        listed = api_client.get("/api/v1/registry/changes?status=rejected", **auth(token)).json()
        assert listed["count"] == 1 and listed["items"][0]["reject_reason"] == "身份证号与劳动合同不一致"

    def test_modify_and_delete_until_staff_act(self, api_client, token_for, employer_user_a, staff_factory):
        token = token_for(employer_user_a)
        change_id = post(api_client, "/api/v1/registry/changes", token, addition()).json()["id"]
        response = api_client.patch(f"/api/v1/registry/changes/{change_id}", {"declared_wage": "5200.50"},
                                    content_type="application/json", **auth(token))
        assert response.status_code == 200 and response.json()["declared_wage"] == "5200.50"
        post(api_client, f"/api/v1/registry/changes/{change_id}/confirm", token_for(staff_factory(StaffRole.INTAKE)),
             {})
        late = api_client.delete(f"/api/v1/registry/changes/{change_id}", **auth(token))
        assert late.status_code == 409 and late.json()["code"] == "change_not_pending"

    @pytest.mark.parametrize("body", ["[null, null]", "[]", "\"name\"", "7", "null"])
    def test_patch_with_a_body_that_is_not_an_object_is_422(self, api_client, token_for, employer_user_a, body):
        token = token_for(employer_user_a)
        change_id = post(api_client, "/api/v1/registry/changes", token, addition()).json()["id"]
        response = api_client.patch(f"/api/v1/registry/changes/{change_id}", body, content_type="application/json",
                                    **auth(token))
        assert response.status_code == 422, response.content
        assert response.json()["details"][0]["field"] == "body"
        assert not AuditEvent.objects.filter(event_type=RegistryEvent.CHANGE_UPDATED).exists()  # not an empty update

    def test_patch_with_an_unknown_field_is_422_naming_it(self, api_client, token_for, employer_user_a):
        token = token_for(employer_user_a)
        change_id = post(api_client, "/api/v1/registry/changes", token, addition()).json()["id"]
        response = api_client.patch(f"/api/v1/registry/changes/{change_id}", {"nmae": "王五"},
                                    content_type="application/json", **auth(token))
        assert response.status_code == 422
        assert response.json()["details"] == [{"field": "nmae", "message": "接口没有这个字段，请删除或检查拼写"}]
        assert EnrolmentChange.objects.get(pk=change_id).name == "吴磊"

    @pytest.mark.parametrize(("query", "field"), [("offset=9223372036854775808", "offset"),
                                                  ("offset=10000001", "offset"), ("limit=201", "limit")])
    def test_list_bounds_answer_422_naming_the_parameter(self, api_client, token_for, employer_user_a, query,
                                                         field):
        response = api_client.get(f"/api/v1/registry/changes?{query}", **auth(token_for(employer_user_a)))
        assert response.status_code == 422, response.content
        assert [d["field"] for d in response.json()["details"]] == [field]

    def test_delete_keeps_the_row(self, api_client, token_for, employer_user_a):
        token = token_for(employer_user_a)
        change_id = post(api_client, "/api/v1/registry/changes", token, addition()).json()["id"]
        response = api_client.delete(f"/api/v1/registry/changes/{change_id}", **auth(token))
        assert response.status_code == 200 and response.json()["status"] == "withdrawn"
        assert EnrolmentChange.objects.get(pk=change_id).status == "withdrawn"

    def test_another_employers_change_is_404(self, api_client, token_for, employer_user_a, employer_user_b):
        change_id = post(api_client, "/api/v1/registry/changes", token_for(employer_user_a), addition()).json()["id"]
        token_b = token_for(employer_user_b)
        assert api_client.get(f"/api/v1/registry/changes/{change_id}", **auth(token_b)).status_code == 404
        patch = api_client.patch(f"/api/v1/registry/changes/{change_id}", {"name": "王五"},
                                 content_type="application/json", **auth(token_b))
        assert patch.status_code == 404
        assert api_client.delete(f"/api/v1/registry/changes/{change_id}", **auth(token_b)).status_code == 404
        assert api_client.get("/api/v1/registry/changes", **auth(token_b)).json()["count"] == 0
        assert EnrolmentChange.objects.get(pk=change_id).name == "吴磊"

    def test_staff_outside_jurisdiction_and_without_role(self, api_client, token_for, employer_user_a,
                                                         staff_factory):
        change_id = post(api_client, "/api/v1/registry/changes", token_for(employer_user_a), addition()).json()["id"]
        jinan = token_for(staff_factory(StaffRole.INTAKE, jurisdiction="370100"))
        assert post(api_client, f"/api/v1/registry/changes/{change_id}/confirm", jinan, {}).status_code == 404
        assert api_client.get("/api/v1/registry/changes", **auth(jinan)).json()["count"] == 0
        auditor = token_for(staff_factory(StaffRole.AUDIT_ADMIN))
        assert post(api_client, f"/api/v1/registry/changes/{change_id}/confirm", auditor, {}).status_code == 403
        employer = token_for(employer_user_a)
        assert post(api_client, f"/api/v1/registry/changes/{change_id}/confirm", employer, {}).status_code == 403
        assert EnrolmentChange.objects.get(pk=change_id).status == "pending"


@pytest.mark.django_db
class TestEmployeesApi:
    def test_roster_filters(self, api_client, token_for, employer_user_a, zhang_wei, li_na):
        employer = employer_user_a.employer
        migrant = InsuredPersonFactory(name="杨帆")
        EnrolmentFactory(person=migrant, employer=employer, identity="migrant_worker", status="suspended")
        ContributionRecordFactory(person=migrant, employer=employer, paid=False)
        ContributionRecordFactory(person=zhang_wei, employer=employer, paid=True)
        token = token_for(employer_user_a)

        def names(query=""):
            body = api_client.get(f"/api/v1/registry/employees{query}", **auth(token)).json()
            return sorted(item["name"] for item in body["items"])

        assert names() == ["张伟", "杨帆"]  # never 李娜, who is employer B's
        assert names("?status=active") == ["张伟"]
        assert names("?payment=owed") == ["杨帆"]
        assert names("?payment=paid") == ["张伟"]
        assert names("?identity=migrant_worker") == ["杨帆"]
        assert names("?q=370202198803151237") == ["张伟"]
        item = api_client.get("/api/v1/registry/employees?q=张", **auth(token)).json()["items"][0]
        assert item["id_number_masked"] != "370202198803151237" and item["payment_status"] == "paid"

    @pytest.mark.parametrize(("path", "query", "field"), [
        ("employees", "status=actve", "status"), ("employees", "payment=unpaid", "payment"),
        ("employees", "identity=x", "identity"), ("employees", "insurance_type=life", "insurance_type"),
        ("changes", "direction=in", "direction"), ("changes", "status=done", "status")])
    def test_unknown_filter_values_are_422_naming_them(self, api_client, token_for, employer_user_a, path, query,
                                                       field):
        response = api_client.get(f"/api/v1/registry/{path}?{query}", **auth(token_for(employer_user_a)))
        assert response.status_code == 422, response.content
        assert [d["field"] for d in response.json()["details"]] == [field]

    @pytest.mark.parametrize("offset", ["9223372036854775808", "10000001", "-1"])
    def test_offset_out_of_range_is_422(self, api_client, token_for, employer_user_a, offset):
        response = api_client.get(f"/api/v1/registry/employees?offset={offset}", **auth(token_for(employer_user_a)))
        assert response.status_code == 422, response.content
        assert [d["field"] for d in response.json()["details"]] == ["offset"]

    def test_employees_is_for_employers_only(self, api_client, token_for, staff_factory):
        token = token_for(staff_factory(StaffRole.INTAKE))
        assert api_client.get("/api/v1/registry/employees", **auth(token)).status_code == 403
