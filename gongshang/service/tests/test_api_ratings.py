"""好差评 API: status, body and database; another 统筹区's follow-up or ticket answers 404, a role
without the action 403; bad input a Chinese 422 naming the field; unknown fields refused."""

from datetime import date

import pytest

from gongshang.core.models import OutboxMessage
from gongshang.service.models import Rating, RatingFollowUp

from .factories_ratings import *  # noqa: F403
from .factories_ratings import make_bad_rating, make_entitlement, make_recognition, make_ticket

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]
BASE = "/api/v1/service"


def _post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture
def tok(token_for):
    """One token per account (a staff TOTP code is accepted once)."""
    issued = {}

    def get(user):
        if user.pk not in issued:
            issued[user.pk] = token_for(user)
        return issued[user.pk]

    return get


def test_rate_then_list_own(api_client, tok, worker, case, employer_user_a):
    application = make_recognition(case, employer_user_a)
    auth = tok(worker)
    r = _post(api_client, f"{BASE}/ratings", {"matter": "recognition", "matter_id": application.pk, "score": 1,
                                              "comment": "来回跑了三次"}, auth)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["score"], body["level"], body["bad"], body["matter_label"]) == (1, "非常不满意", True, "工伤认定")
    assert body["follow_up"]["due_date"] == "2026-03-17" and body["follow_up"]["status"] == "open"
    assert body["case_number"] == case.number and body["region_name"] == "山东省青岛市"
    rating = Rating.objects.get(pk=body["id"])
    assert (rating.rater, rating.comment, rating.follow_up.due_date) == (worker, "来回跑了三次", date(2026, 3, 17))
    listed = api_client.get(f"{BASE}/ratings", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == rating.pk and listed["items"][0]["rater"] == ""
    again = _post(api_client, f"{BASE}/ratings", {"matter": "recognition", "matter_id": application.pk, "score": 5},
                  auth)
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    assert Rating.objects.count() == 1


def test_not_finished_and_not_yours(api_client, tok, worker, case, employer_user_a, employer_user_b):
    application = make_recognition(case, employer_user_a, status="investigating")
    r = _post(api_client, f"{BASE}/ratings", {"matter": "recognition", "matter_id": application.pk, "score": 4},
              tok(worker))
    assert r.status_code == 409 and r.json()["code"] == "matter_not_finished"
    assert r.json()["message"] == "该事项尚未办结，办结后才能评价。"
    make_entitlement(case)
    r = _post(api_client, f"{BASE}/ratings", {"matter": "benefits", "matter_id": case.pk, "score": 4},
              tok(employer_user_b))
    assert r.status_code == 404
    assert not Rating.objects.exists()


def test_bad_input_is_a_chinese_422(api_client, tok, worker, case):
    make_entitlement(case)
    auth = tok(worker)
    r = _post(api_client, f"{BASE}/ratings", {"matter": "benefits", "matter_id": case.pk, "score": 9}, auth)
    assert r.status_code == 422 and r.json()["details"] == [
        {"field": "score", "message": "请选择 1 到 5 分（1 非常不满意，5 非常满意）。"}]
    r = _post(api_client, f"{BASE}/ratings", {"matter": "party", "matter_id": case.pk, "score": 5}, auth)
    assert r.status_code == 422 and "评价事项请从以下选择" in r.content.decode()
    r = _post(api_client, f"{BASE}/ratings", {"matter": "benefits", "matter_id": case.pk, "score": 5, "x": 1}, auth)
    assert r.status_code == 422
    assert not Rating.objects.exists()


def test_staff_list_their_region_with_masked_raters(api_client, tok, worker, case, hotline, other_hotline):
    make_bad_rating(worker, case)
    body = api_client.get(f"{BASE}/ratings?bad=true", **tok(hotline)).json()
    assert body["count"] == 1 and body["items"][0]["rater"] == "张*（个人）"
    assert api_client.get(f"{BASE}/ratings", **tok(other_hotline)).json()["count"] == 0


def test_follow_ups_overdue_first_and_closed_last(api_client, tok, worker, case, hotline, employer_user_a):
    _, later = make_bad_rating(worker, case, due=date(2026, 3, 20))
    _, overdue = make_bad_rating(employer_user_a, case, due=date(2026, 3, 5))
    _, closed = make_bad_rating(worker, case, due=date(2026, 3, 1), matter="benefits")
    RatingFollowUp.objects.filter(pk=closed.pk).update(status="closed", outcome="已整改")
    body = api_client.get(f"{BASE}/ratings/follow-ups", **tok(hotline)).json()
    assert [i["id"] for i in body["items"]] == [overdue.pk, later.pk, closed.pk]
    first = body["items"][0]
    assert (first["overdue"], first["days_left"], first["timeliness"]) == (True, -5, "overdue")
    assert first["rating"]["rater"] == "刘**（单位）"
    only = api_client.get(f"{BASE}/ratings/follow-ups?status=overdue", **tok(hotline)).json()
    assert [i["id"] for i in only["items"]] == [overdue.pk]


def test_follow_ups_refused_to_the_leader_and_the_applicant(api_client, tok, leader, worker):
    assert api_client.get(f"{BASE}/ratings/follow-ups", **tok(leader)).status_code == 403
    # The 分管领导 reads the statistics, never the ratings one by one (raters and their comments).
    assert api_client.get(f"{BASE}/ratings", **tok(leader)).status_code == 403
    assert api_client.get(f"{BASE}/ratings/report", **tok(leader)).status_code == 200
    assert api_client.get(f"{BASE}/ratings/follow-ups", **tok(worker)).status_code == 403


def test_close_a_follow_up(api_client, tok, worker, case, window_staff, other_hotline, leader):
    _, follow_up = make_bad_rating(worker, case)
    url = f"{BASE}/ratings/follow-ups/{follow_up.pk}/close"
    assert _post(api_client, url, {"outcome": "已整改"}, tok(other_hotline)).status_code == 404
    assert _post(api_client, url, {"outcome": "已整改"}, tok(leader)).status_code == 403
    empty = _post(api_client, url, {"outcome": ""}, tok(window_staff))
    assert empty.status_code == 422 and empty.json()["details"][0]["field"] == "outcome"
    r = _post(api_client, url, {"outcome": "已对窗口人员批评教育并改进叫号。"}, tok(window_staff))
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["timeliness"], body["closed_by"]) == ("closed", "on_time", "王窗口")
    assert body["outcome"] == "已对窗口人员批评教育并改进叫号。" and body["told_at"].startswith("2026-03-10T10:00")
    follow_up.refresh_from_db()
    assert follow_up.status == "closed" and follow_up.closed_by == window_staff
    assert OutboxMessage.objects.filter(template="sms_rating_follow_up").count() == 1
    again = _post(api_client, url, {"outcome": "再次"}, tok(window_staff))
    assert again.status_code == 409 and again.json()["code"] == "rating_follow_up_closed"
    # The applicant sees the outcome on their own rating.
    mine = api_client.get(f"{BASE}/ratings", **tok(worker)).json()["items"][0]
    assert mine["follow_up"]["outcome"] == "已对窗口人员批评教育并改进叫号。"


def test_report_refuses_a_reversed_date_range(api_client, tok, leader):
    answer = api_client.get(f"{BASE}/ratings/report?date_from=2026-11-30&date_to=2026-11-01", **tok(leader))
    assert answer.status_code == 422 and "date_to" in str(answer.json()["details"])
    assert "不能早于" in str(answer.json())


def test_report_per_office_and_matter(api_client, tok, worker, case, leader, employer_user_a):
    make_bad_rating(worker, case, due=date(2026, 3, 5))
    Rating.objects.create(region="370200", matter="recognition", matter_id=case.pk + 1, case=case, score=5,
                          rater=employer_user_a)
    Rating.objects.create(region="370200", matter="ticket", matter_id=99, score=4, rater=worker)
    body = api_client.get(f"{BASE}/ratings/report", **tok(leader)).json()
    rows = {r["matter"]: r for r in body["rows"]}
    assert rows["recognition"]["count"] == 2 and rows["recognition"]["average"] == "3.00"
    assert rows["recognition"]["bad_share"] == "50.0" and rows["recognition"]["follow_ups_overdue"] == 1
    assert rows["ticket"]["good_share"] == "100.0" and rows["ticket"]["region_name"] == "山东省青岛市"
    assert body["total"]["count"] == 3 and body["months"] == [{**body["total"], "month": "2026-03"}]
    filtered = api_client.get(f"{BASE}/ratings/report?matter=ticket&date_from=2026-03-01", **tok(leader)).json()
    assert filtered["total"]["count"] == 1
    assert api_client.get(f"{BASE}/ratings/report", **tok(worker)).status_code == 403


def test_ticket_callback(api_client, tok, hotline, other_hotline, window_staff):
    ticket = make_ticket(hotline, mobile="13912345678")
    url = f"{BASE}/tickets/{ticket.pk}/callback"
    assert _post(api_client, url, {"score": 5}, tok(other_hotline)).status_code == 404
    assert _post(api_client, url, {"score": 5}, tok(window_staff)).status_code == 403
    r = _post(api_client, url, {"score": 2, "note": "希望答复更具体"}, tok(hotline))
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["channel"], body["score"], body["rater"]) == ("callback", 2, "来电人（电话回访：褚坐席）")
    assert body["follow_up"]["status"] == "open"
    ticket.refresh_from_db()
    assert ticket.callback_score == 2 and ticket.callback_note == "希望答复更具体"
    again = _post(api_client, url, {"score": 5}, tok(hotline))
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    open_ticket = make_ticket(hotline, status="open")
    r = _post(api_client, f"{BASE}/tickets/{open_ticket.pk}/callback", {"score": 5}, tok(hotline))
    assert r.status_code == 409 and r.json()["code"] == "ticket_callback_not_closed"


def test_true_or_false_is_not_a_score(api_client, tok, worker, case, hotline):
    """JSON true would pass as 1 (非常不满意) and open a follow-up nobody asked for: a 422 on the field."""
    make_entitlement(case)
    for body in ({"matter": "benefits", "matter_id": case.pk, "score": True},
                 {"matter": "benefits", "matter_id": True, "score": 5}):
        r = _post(api_client, f"{BASE}/ratings", body, tok(worker))
        assert r.status_code == 422, r.content
        field = "score" if body["score"] is True else "matter_id"
        assert r.json()["details"][0]["field"] == field and "整数" in r.json()["details"][0]["message"]
    ticket = make_ticket(hotline)
    r = _post(api_client, f"{BASE}/tickets/{ticket.pk}/callback", {"score": True}, tok(hotline))
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "score"
    ticket.refresh_from_db()
    assert ticket.callback_at is None
    assert not Rating.objects.exists() and not RatingFollowUp.objects.exists()
