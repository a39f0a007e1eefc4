"""API: status, body and database for each path; another employer's application and staff outside
the jurisdiction answer 404."""

import pytest

from gongshang.recognition.models import RecognitionApplication

from .conftest import COMPLETE, pdf_upload

pytestmark = pytest.mark.django_db
BASE = "/api/v1/recognition/applications"


def test_create_from_case_then_materials_submit(api_client, token_for, employer_user_a, quick_case, intake,
                                                 reviewer):
    auth = token_for(employer_user_a)
    r = api_client.post(BASE, {"case_id": quick_case.pk, **COMPLETE}, content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "draft" and len(body["checklist"]["missing"]) == 5
    pk = body["id"]
    r = api_client.post(f"{BASE}/{pk}/submit", **auth)
    assert r.status_code == 422 and r.json()["code"] == "materials_missing"
    assert len(r.json()["details"]["missing"]) == 5
    for kind in ("application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record"):
        r = api_client.post(f"{BASE}/{pk}/materials", {"kind": kind, "file": pdf_upload()}, **auth)
        assert r.status_code == 201, r.content
    assert api_client.get(f"{BASE}/{pk}/checklist", **auth).json()["missing"] == []
    r = api_client.post(f"{BASE}/{pk}/submit", **auth)
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert r.json()["deadlines"]["acceptance_due"]
    staff = token_for(intake)
    assert api_client.post(f"{BASE}/{pk}/allocate", {"assignee": intake.pk}, content_type="application/json",
                           **staff).status_code == 200
    assert api_client.post(f"{BASE}/{pk}/accept", **staff).json()["status"] == "accepted"
    decider = token_for(reviewer)
    r = api_client.post(f"{BASE}/{pk}/decide", {"result": "deemed", "article": "", "reasoning": ""},
                        content_type="application/json", **decider)
    assert r.status_code == 422
    r = api_client.post(f"{BASE}/{pk}/decide", {"result": "recognized", "article": "《工伤保险条例》第十四条第（一）项",
                                                 "reasoning": "事实清楚"}, content_type="application/json",
                        **decider)
    assert r.status_code == 200 and r.json()["status"] == "decided"
    body = api_client.get(f"{BASE}/{pk}", **auth).json()
    assert body["deadlines"]["decision_due"] and body["timeline"][0]["type"] == "recognition.created"
    assert RecognitionApplication.objects.get(pk=pk).decision_result == "recognized"


def test_other_employer_and_other_jurisdiction_get_404(api_client, token_for, draft, employer_user_b,
                                                         staff_factory):
    assert api_client.get(f"{BASE}/{draft.pk}", **token_for(employer_user_b)).status_code == 404
    assert api_client.put(f"{BASE}/{draft.pk}", {"body_part": "x"}, content_type="application/json",
                          **token_for(employer_user_b)).status_code == 404
    outsider = staff_factory("intake", "reviewer", jurisdiction="370100")
    assert api_client.post(f"{BASE}/{draft.pk}/accept", **token_for(outsider)).status_code == 404


def test_bad_input_answers_422_naming_the_field(api_client, token_for, employer_user_a, draft):
    auth = token_for(employer_user_a)
    r = api_client.put(f"{BASE}/{draft.pk}", {"injured_mobile": "123", "circumstance": "zz",
                                              "accident_at": "not-a-date"}, content_type="application/json", **auth)
    assert r.status_code == 422
    r = api_client.put(f"{BASE}/{draft.pk}", {"injured_mobile": "123", "circumstance": "zz"},
                       content_type="application/json", **auth)
    fields = {d["field"] for d in r.json()["details"]}
    assert r.status_code == 422 and {"injured_mobile", "circumstance"} <= fields
    r = api_client.post(f"{BASE}/{draft.pk}/materials", {"kind": "bogus", "file": pdf_upload()}, **auth)
    assert r.status_code == 422


def test_draft_conflict_and_employee_check(api_client, token_for, employer_user_a, draft):
    auth = token_for(employer_user_a)
    data = {"injured_id_number": "370202198803151237", "injured_name": "张伟", "accident_at": "2026-11-20T09:00:00+08:00"}
    r = api_client.post(BASE, data, content_type="application/json", **auth)
    assert r.status_code == 409 and r.json()["code"] == "draft_exists"
    r = api_client.post(BASE, {**data, "replace_draft": True}, content_type="application/json", **auth)
    assert r.status_code == 201
    r = api_client.post("/api/v1/recognition/employee-check", {"id_number": "370202198803151237", "name": "张伟"},
                        content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["fields"]["employer_uscc"] == "91370200MA3C5UWK4C"
    r = api_client.post("/api/v1/recognition/employee-check", {"id_number": "370211199207084569", "name": "李娜"},
                        content_type="application/json", **auth)
    assert r.status_code == 404 and "没有该人员" in r.json()["message"] and "增减员申报" in r.json()["message"]


def test_withdraw_before_decision(api_client, token_for, employer_user_a, draft, add_materials):
    add_materials(employer_user_a, draft)
    auth = token_for(employer_user_a)
    api_client.post(f"{BASE}/{draft.pk}/submit", **auth)
    r = api_client.post(f"{BASE}/{draft.pk}/withdraw", **auth)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"


@pytest.mark.parametrize(("query", "field"), [("offset=9223372036854775808", "offset"), ("offset=10000001", "offset"),
                                              ("offset=-1", "offset"), ("limit=0", "limit"), ("limit=201", "limit")])
def test_list_and_queue_bounds_answer_422_naming_the_parameter(api_client, token_for, employer_user_a, intake,
                                                                query, field):
    for url, user in ((BASE, employer_user_a), ("/api/v1/recognition/queue", intake)):
        response = api_client.get(f"{url}?{query}", **token_for(user))
        assert response.status_code == 422, (url, response.content)
        assert [d["field"] for d in response.json()["details"]] == [field]


@pytest.mark.parametrize(("body", "field"), [("[]", "body"), ("{\"reasn\": \"x\"}", "reasn"),
                                             ("{\"reason\": 5}", "reason")])
def test_optional_action_bodies_are_checked_like_the_others(api_client, token_for, employer_user_a, draft, body,
                                                            field):
    r = api_client.post(f"{BASE}/{draft.pk}/withdraw", body, content_type="application/json",
                        **token_for(employer_user_a))
    assert r.status_code == 422 and [d["field"] for d in r.json()["details"]] == [field]
    assert RecognitionApplication.objects.get(pk=draft.pk).status == "draft"
