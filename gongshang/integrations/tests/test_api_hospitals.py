"""入出院通知 API: status, body and database; masked ID numbers; another 统筹区's notice answers 404,
a role without the action 403; bad input a Chinese 422 naming the field; unknown fields refused."""

import pytest

from ..models import HospitalNotice
from .factories_hospitals import *  # noqa: F403
from .factories_hospitals import WANG_JIANGUO_ID, ZHANG_WEI_ID, admitted, receive

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]
BASE = "/api/v1/exchange/hospital-notices"


@pytest.fixture
def tok(token_for):
    issued = {}

    def get(user):
        if user.pk not in issued:
            issued[user.pk] = token_for(user)
        return issued[user.pk]

    return get


def _post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture
def notices(fake, open_case):
    """张伟's admission (linked to open_case) and discharge, 王建国's admission (unlinked)."""
    batch, _ = receive(fake.daily_file([fake.admission(ZHANG_WEI_ID, "张伟", "2026-03-02"),
                                        fake.discharge(ZHANG_WEI_ID, "张伟", "2026-03-09"),
                                        fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-05", hospital=1)]))
    return {(n.name, n.kind): n for n in HospitalNotice.objects.filter(batch=batch)}


def test_list_masks_and_filters(api_client, tok, notices, open_case, exchange_staff):
    auth = tok(exchange_staff)
    body = api_client.get(BASE, **auth).json()
    assert body["count"] == 3 and [i["event_date"] for i in body["items"]] == ["2026-03-09", "2026-03-05", "2026-03-02"]
    first = body["items"][0]
    assert first["id_number"] == "370202********1237" and first["name"] == "张*"
    assert (first["kind"], first["kind_label"], first["status"], first["case_number"]) == (
        "discharge", "出院", "linked", open_case.number)
    assert "diagnosis" not in first and ZHANG_WEI_ID not in str(body)
    unlinked = api_client.get(BASE, {"status": "unlinked"}, **auth).json()
    assert [i["name"] for i in unlinked["items"]] == ["王**"] and unlinked["items"][0]["case_number"] is None
    ranged = api_client.get(BASE, {"kind": "admission", "date_from": "2026-03-03", "date_to": "2026-03-10"}, **auth)
    assert [i["hospital_name"] for i in ranged.json()["items"]] == ["青岛市市立医院（演示）"]
    page = api_client.get(BASE, {"size": 1, "page": 3}, **auth).json()
    assert page["count"] == 3 and page["items"][0]["event_date"] == "2026-03-02"


def test_list_refuses_bad_filters(api_client, tok, notices, exchange_staff):
    auth = tok(exchange_staff)
    wrong = api_client.get(BASE, {"status": "open"}, **auth)
    assert wrong.status_code == 422 and wrong.json()["code"] == "validation_error"
    backwards = api_client.get(BASE, {"date_from": "2026-03-09", "date_to": "2026-03-01"}, **auth)
    assert backwards.status_code == 422
    assert backwards.json()["details"] == [{"field": "date_to", "message": "“日期至”不能早于“日期自”，请调整日期范围。"}]


def test_detail_shows_the_name_diagnosis_and_the_actions(api_client, tok, notices, intake, exchange_staff):
    notice = notices["张伟", "admission"]
    body = api_client.get(f"{BASE}/{notice.pk}", **tok(intake)).json()
    assert (body["name"], body["id_number"], body["diagnosis"], body["diagnosis_code"]) == (
        "张伟", "370202********1237", "左胫骨骨折", "S82.201")
    assert body["person_matched"] is True and body["batch_id"] == notice.batch_id and body["region"] == "370200"
    assert body["actions"] == ["dismiss"] and body["note"].startswith("关联该人员唯一的在办工伤案件")
    assert api_client.get(f"{BASE}/{notice.pk}", **tok(exchange_staff)).json()["actions"] == []


def test_link_and_dismiss(api_client, tok, notices, open_case, intake):
    auth = tok(intake)
    wang = notices["王建国", "admission"]
    r = _post(api_client, f"{BASE}/{wang.pk}/link", {"case_number": open_case.number}, auth)
    assert r.status_code == 422 and r.json()["code"] == "exchange_hospital_case_other_person"
    assert r.json()["details"][0]["field"] == "case_number"
    r = _post(api_client, f"{BASE}/{wang.pk}/dismiss", {"note": "普通肺炎住院，与工伤无关"}, auth)
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["note"], r.json()["handled_by"], r.json()["actions"]) == (
        "dismissed", "普通肺炎住院，与工伤无关", str(intake), ["link"])
    assert HospitalNotice.objects.get(pk=wang.pk).status == "dismissed"
    zhang = notices["张伟", "admission"]
    r = _post(api_client, f"{BASE}/{zhang.pk}/dismiss", {"note": "经核实与工伤无关"}, auth)
    assert r.status_code == 200 and r.json()["case_number"] is None
    r = _post(api_client, f"{BASE}/{zhang.pk}/link", {"case_number": open_case.number}, auth)
    assert r.status_code == 200 and r.json()["case_number"] == open_case.number and r.json()["status"] == "linked"
    again = _post(api_client, f"{BASE}/{zhang.pk}/link", {"case_number": open_case.number}, auth)
    assert again.status_code == 409 and again.json()["code"] == "exchange_hospital_already_linked"
    assert HospitalNotice.objects.get(pk=zhang.pk).case == open_case


def test_bad_bodies_are_a_chinese_422(api_client, tok, notices, intake):
    auth = tok(intake)
    wang = notices["王建国", "admission"]
    r = _post(api_client, f"{BASE}/{wang.pk}/dismiss", {"note": "", "extra": 1}, auth)
    assert r.status_code == 422
    r = _post(api_client, f"{BASE}/{wang.pk}/dismiss", {"note": "   "}, auth)
    assert r.status_code == 422 and r.json()["details"] == [
        {"field": "note", "message": "请填写排除原因，如“经核实为普通疾病住院，与工伤无关”。"}]
    r = _post(api_client, f"{BASE}/{wang.pk}/link", {}, auth)
    assert r.status_code == 422
    assert HospitalNotice.objects.get(pk=wang.pk).status == "unlinked"


def test_another_region_404_and_a_role_without_the_action_403(api_client, tok, fake, notices, weifang_intake,
                                                              exchange_staff, weifang_person):
    notice = notices["王建国", "admission"]
    other = tok(weifang_intake)
    assert api_client.get(f"{BASE}/{notice.pk}", **other).status_code == 404
    assert _post(api_client, f"{BASE}/{notice.pk}/dismiss", {"note": "无关"}, other).status_code == 404
    assert api_client.get(BASE, **other).json()["count"] == 0
    refused = _post(api_client, f"{BASE}/{notice.pk}/dismiss", {"note": "无关"}, tok(exchange_staff))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert HospitalNotice.objects.get(pk=notice.pk).status == "unlinked"
    assert api_client.get(BASE).status_code == 401


def test_an_employer_cannot_see_notices(api_client, tok, notices, employer_user_a):
    r = api_client.get(BASE, **tok(employer_user_a))
    assert r.status_code == 403
    _, _, notice = admitted(FakeHealthCommission(), WANG_JIANGUO_ID, "王建国", number="X9")  # noqa: F405
    assert api_client.get(f"{BASE}/{notice.pk}", **tok(employer_user_a)).status_code == 403
