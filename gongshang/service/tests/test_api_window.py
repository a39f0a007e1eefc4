"""一窗受理 API: create (201, body, database), the queue per desk, detail, the receipt PDF, prepare and
withdraw; another region's request answers 404, a role without the action 403, bad input 422."""

import subprocess

import pytest
from django.core.cache import cache

from gongshang.service.models import WindowMatter, WindowRequest

from .factories_window import counter_draft, counter_request, quick_case, submitted_online

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
BASE = "/api/v1/service/window-requests"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


@pytest.fixture
def window(staff_factory):
    return staff_factory("window", display_name="赵窗口")


@pytest.fixture
def case(employer_user_a, zhang_wei):
    return quick_case(employer_user_a)


def test_create_at_the_window(api_client, token_for, window, case):
    draft = counter_draft(window, case)
    response = api_client.post(BASE, {"application_id": draft.pk, "wants_appraisal": True, "injury_stable": True,
                                      "wants_benefits": True}, content_type="application/json", **token_for(window))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "window" and body["case_number"] == case.number
    assert [m["kind"] for m in body["matters"]] == ["recognition", "appraisal", "benefits"]
    assert body["matters"][0]["due_date"] and "第二十条" in body["matters"][0]["due_basis"]
    assert body["injured_name"] != "张伟"  # masked
    row = WindowRequest.objects.get(pk=body["id"])
    assert row.recognition_id == draft.pk and row.recognition.status == "accepted"


def test_create_online_by_the_employer(api_client, token_for, employer_user_a, case):
    application = submitted_online(employer_user_a, case)
    response = api_client.post(BASE, {"application_id": application.pk, "wants_benefits": True},
                               content_type="application/json", **token_for(employer_user_a))
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "online"
    assert WindowMatter.objects.filter(request_id=response.json()["id"]).count() == 2


def test_create_refuses_unknown_application_and_unknown_fields(api_client, token_for, window, case):
    headers = token_for(window)
    response = api_client.post(BASE, {"application_id": 999999}, content_type="application/json", **headers)
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "application_id"
    response = api_client.post(BASE, {"application_id": 1, "color": "red"}, content_type="application/json", **headers)
    assert response.status_code == 422
    # A box is ticked with true or false, never with a word that only looks like yes.
    response = api_client.post(BASE, {"application_id": 1, "wants_appraisal": "yes"}, content_type="application/json",
                               **headers)
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "wants_appraisal"
    assert not WindowRequest.objects.exists()


def test_create_with_missing_materials_answers_422_and_lists_them(api_client, token_for, window, case):
    draft = counter_draft(window, case, kinds=("application_form",))
    response = api_client.post(BASE, {"application_id": draft.pk}, content_type="application/json",
                               **token_for(window))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "materials_missing" and "劳动关系证明" in body["message"]
    draft.refresh_from_db()
    assert draft.status == "draft" and not WindowRequest.objects.exists()


def test_queue_per_desk(api_client, token_for, window, case, staff_factory):
    request = counter_request(window, case)
    appraisal_admin = staff_factory("appraisal_admin")
    response = api_client.get(BASE, **token_for(appraisal_admin))
    assert response.status_code == 200
    assert [i["kind"] for i in response.json()["items"]] == ["appraisal"]
    assert response.json()["items"][0]["request_id"] == request.pk
    assert response.json()["items"][0]["actions"] == ["prepare"]
    benefits = staff_factory("benefits_reviewer")
    assert [i["kind"] for i in api_client.get(BASE, **token_for(benefits)).json()["items"]] == ["benefits"]
    assert api_client.get(BASE + "?status=bogus", **token_for(window)).status_code == 422


def test_detail_other_region_404_and_role_403(api_client, token_for, window, case, staff_factory):
    request = counter_request(window, case)
    assert api_client.get(f"{BASE}/{request.pk}", **token_for(window)).status_code == 200
    other = staff_factory("window", jurisdiction="370700")
    assert api_client.get(f"{BASE}/{request.pk}", **token_for(other)).status_code == 404
    inspector = staff_factory("inspector")
    assert api_client.get(f"{BASE}/{request.pk}", **token_for(inspector)).status_code == 403


def test_receipt_pdf_lists_every_matter(api_client, token_for, window, case, tmp_path):
    request = counter_request(window, case)
    response = api_client.get(f"{BASE}/{request.pk}/receipt.pdf", **token_for(window))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    for expected in ("一窗受理回执", case.number, "工伤认定", "劳动能力鉴定", "工伤保险待遇核定", "随鉴定结论核定",
                     "第二十五条"):
        assert expected in compact, expected


def test_prepare_and_withdraw(api_client, token_for, window, case, staff_factory, employer_user_a):
    request = counter_request(window, case)
    appraisal_admin = staff_factory("appraisal_admin")
    apr = token_for(appraisal_admin)  # one token per account: a TOTP code is accepted once
    response = api_client.post(f"{BASE}/{request.pk}/matters/appraisal/prepare", **apr)
    assert response.status_code == 200, response.content
    assert {m["kind"]: m["status"] for m in response.json()["matters"]}["appraisal"] == "prepared"
    assert WindowMatter.objects.get(request=request, kind="appraisal").prepared_by_id == appraisal_admin.pk
    wrong = api_client.post(f"{BASE}/{request.pk}/matters/benefits/prepare", **apr)
    assert wrong.status_code == 422 and wrong.json()["details"][0]["field"] == "kind"
    response = api_client.post(f"{BASE}/{request.pk}/matters/benefits/withdraw", {"reason": "暂不申请"},
                               content_type="application/json", **token_for(employer_user_a))
    assert response.status_code == 200, response.content
    assert WindowMatter.objects.get(request=request, kind="benefits").status == "withdrawn"
    win = token_for(window)
    again = api_client.post(f"{BASE}/{request.pk}/matters/benefits/withdraw", {}, content_type="application/json",
                            **win)
    assert again.status_code == 409
    missing = api_client.post(f"{BASE}/{request.pk}/matters/nothing/withdraw", {}, content_type="application/json",
                              **win)
    assert missing.status_code == 422


def test_prepare_refused_to_a_role_without_it(api_client, token_for, window, case, staff_factory):
    request = counter_request(window, case)
    response = api_client.post(f"{BASE}/{request.pk}/matters/appraisal/prepare", **token_for(window))
    assert response.status_code == 403
    assert WindowMatter.objects.get(request=request, kind="appraisal").status == "waiting"


def test_a_value_out_of_the_list_is_told_in_chinese(api_client, token_for, window):
    """422 naming the field and the allowed values as a Chinese list (no Python quotes, no English "or")."""
    response = api_client.get(f"{BASE}?status=bogus", **token_for(window))
    assert response.status_code == 422
    detail = response.json()["details"][0]
    assert detail["field"] == "status"
    assert "waiting、prepared" in detail["message"] and "'" not in detail["message"] and " or " not in detail["message"]
