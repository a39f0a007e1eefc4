"""好差评 pages: the applicant's 服务评价 (waiting matters with the star form, earlier ratings and
outcomes, empty states), 差评整改 (overdue first, close with confirmation), 好差评统计 with CSV and
Excel, the callback page and the two includes; permissions (another region 404, a role without the
action 403)."""

import io
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from openpyxl import load_workbook

from gongshang.core.models import OutboxMessage
from gongshang.service.models import Rating, RatingFollowUp
from gongshang.service.presenters.ratings import callback_context, rate_prompt

from .factories_ratings import *  # noqa: F403
from .factories_ratings import make_bad_rating, make_recognition, make_ticket

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]
MINE = "/service/ratings/mine/"
FOLLOW_UPS = "/service/ratings/follow-ups/"


def _as(client, user):
    client.force_login(user)
    return client


def test_mine_empty_states(client, worker):
    html = _as(client, worker).get(MINE).content.decode()
    assert 'name="viewport"' in html and 'id="waiting-empty"' in html and 'id="mine-empty"' in html


def test_rate_a_finished_matter(client, worker, case, employer_user_a):
    application = make_recognition(case, employer_user_a)
    _as(client, worker)
    html = client.get(MINE).content.decode()
    assert f'id="rate-recognition-{application.pk}"' in html and "非常不满意" in html and 'type="radio"' in html
    r = client.post(MINE, {"matter": "recognition", "matter_id": application.pk, "score": "2", "comment": "太慢"})
    assert r.status_code == 302 and r["Location"] == MINE
    rating = Rating.objects.get()
    assert (rating.score, rating.comment, rating.rater) == (2, "太慢", worker)
    html = client.get(MINE).content.decode()
    assert "2026年3月17日前核实整改" in html and "我们正在核实整改" in html
    assert f'id="rate-recognition-{application.pk}"' not in html and f'id="rating-{rating.pk}"' in html


def test_rating_errors_keep_the_form(client, worker, case, employer_user_a):
    application = make_recognition(case, employer_user_a)
    _as(client, worker)
    r = client.post(MINE, {"matter": "recognition", "matter_id": application.pk, "comment": "没选分"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "请选择 1 到 5 分" in html and "没选分" in html
    client.post(MINE, {"matter": "recognition", "matter_id": application.pk, "score": "5"})
    r = client.post(MINE, {"matter": "recognition", "matter_id": application.pk, "score": "1"})
    assert r.status_code == 409 and "不能重复评价" in r.content.decode()
    assert list(Rating.objects.values_list("score", flat=True)) == [5]


def test_invisible_control_characters_are_refused_on_the_pages(client, worker, case, employer_user_a, hotline):
    """A NUL typed or pasted into a form is refused like the API refuses it (never stored, never sent
    in the SMS to the applicant)."""
    application = make_recognition(case, employer_user_a)
    r = _as(client, worker).post(MINE, {"matter": "recognition", "matter_id": application.pk, "score": "4",
                                        "comment": "很好\x00"})
    assert r.status_code == 422 and "控制字符" in r.content.decode()
    assert not Rating.objects.exists()
    rating, follow_up = make_bad_rating(worker, case, matter_id=application.pk + 100)
    r = _as(client, hotline).post(f"{FOLLOW_UPS}{follow_up.pk}/", {"outcome": "已整改\x00"})
    assert r.status_code == 422 and "控制字符" in r.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "open" and follow_up.outcome == ""
    assert not OutboxMessage.objects.filter(template="sms_rating_follow_up").exists()


def test_someone_elses_matter_is_404_and_staff_are_refused(client, case, employer_user_a, employer_user_b, hotline):
    application = make_recognition(case, employer_user_a)
    r = _as(client, employer_user_b).post(MINE, {"matter": "recognition", "matter_id": application.pk, "score": "5"})
    assert r.status_code == 404
    assert _as(client, hotline).get(MINE).status_code == 403
    assert not Rating.objects.exists()


def test_outcome_shown_to_the_applicant(client, worker, case):
    rating, follow_up = make_bad_rating(worker, case)
    RatingFollowUp.objects.filter(pk=follow_up.pk).update(status="closed", outcome="已改为当日回电。",
                                                          closed_at="2026-03-09T10:00+08:00",
                                                          told_at="2026-03-09T10:00+08:00")
    html = _as(client, worker).get(MINE).content.decode()
    assert "核实整改结果" in html and "已改为当日回电。" in html


def test_followups_overdue_first_and_close_with_confirmation(client, worker, case, hotline, employer_user_a):
    _, later = make_bad_rating(worker, case, due=date(2026, 3, 20))
    _, overdue = make_bad_rating(employer_user_a, case, due=date(2026, 3, 5))
    _as(client, hotline)
    html = client.get(FOLLOW_UPS).content.decode()
    assert html.index(f'id="followup-{overdue.pk}"') < html.index(f'id="followup-{later.pk}"')
    assert "有 1 条差评整改已超过时限" in html and "已超期 5 天" in html and "张*（个人）" in html
    page = client.get(f"{FOLLOW_UPS}{overdue.pk}/").content.decode()
    assert "data-confirm" in page and "2026年3月5日" in page
    r = client.post(f"{FOLLOW_UPS}{overdue.pk}/", {"outcome": ""})
    assert r.status_code == 422 and "请填写核实整改情况" in r.content.decode()
    r = client.post(f"{FOLLOW_UPS}{overdue.pk}/", {"outcome": "已核实，向单位致歉并改进。"})
    assert r.status_code == 302 and r["Location"] == FOLLOW_UPS
    overdue.refresh_from_db()
    assert overdue.status == "closed" and overdue.outcome == "已核实，向单位致歉并改进。"
    assert OutboxMessage.objects.filter(template="sms_rating_follow_up").exists()
    r = client.post(f"{FOLLOW_UPS}{overdue.pk}/", {"outcome": "再次"})
    assert r.status_code == 409 and "不能重复办结" in r.content.decode()
    html = client.get(f"{FOLLOW_UPS}{overdue.pk}/").content.decode()
    assert 'id="outcome-text"' in html and "超期办结" in html


def test_followups_permissions(client, worker, case, leader, other_hotline):
    _, follow_up = make_bad_rating(worker, case)
    assert _as(client, leader).get(FOLLOW_UPS).status_code == 403
    _as(client, other_hotline)
    assert 'id="followup-empty"' in client.get(FOLLOW_UPS).content.decode()
    assert client.get(f"{FOLLOW_UPS}{follow_up.pk}/").status_code == 404
    assert client.post(f"{FOLLOW_UPS}{follow_up.pk}/", {"outcome": "x"}).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.status == "open"


def test_report_and_exports(client, worker, case, leader, employer_user_a):
    make_bad_rating(worker, case)
    Rating.objects.create(region="370200", matter="ticket", matter_id=7, score=5, rater=employer_user_a)
    _as(client, leader)
    html = client.get("/service/ratings/report/").content.decode()
    assert 'id="total-count">2<' in html and "50.0%" in html and "12333 热线" in html
    html = client.get("/service/ratings/report/?date_from=bad").content.decode()
    assert "开始日期格式不正确" in html
    csv = client.get("/service/ratings/report.csv?matter=ticket")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "12333 热线" in text and "工伤认定" not in text and "2026-03" in text
    xlsx = client.get("/service/ratings/report.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["按经办机构和事项", "按月"]
    rows = list(book["按经办机构和事项"].values)
    assert rows[0][0] == "经办机构（统筹区）" and rows[-1][0] == "合计" and rows[-1][2] == 2
    assert client.get("/service/ratings/report.pdf").status_code == 404


def test_report_refused_to_applicants(client, worker):
    assert _as(client, worker).get("/service/ratings/report/").status_code == 403


def test_callback_page(client, hotline, window_staff, other_hotline, case):
    ticket = make_ticket(hotline, case=case, mobile="13912345678")
    url = f"/service/ratings/tickets/{ticket.pk}/callback/"
    assert _as(client, window_staff).get(url).status_code == 403
    assert _as(client, other_hotline).get(url).status_code == 404
    _as(client, hotline)
    html = client.get(url).content.decode()
    assert 'id="callback-form"' in html and "139****5678" in html and "data-confirm" in html
    r = client.post(url, {"score": "0"})
    assert r.status_code == 422 and "请选择 1 到 5 分" in r.content.decode()
    r = client.post(url, {"score": "1", "note": "不满意答复", "next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == url
    ticket.refresh_from_db()
    assert ticket.callback_score == 1 and Rating.objects.get().follow_up.status == "open"
    html = client.get(url).content.decode()
    assert 'id="callback-done"' in html and "1 分 非常不满意" in html
    open_ticket = make_ticket(hotline, status="open")
    html = client.get(f"/service/ratings/tickets/{open_ticket.pk}/callback/").content.decode()
    assert 'id="callback-not-yet"' in html
    assert client.post(f"/service/ratings/tickets/{open_ticket.pk}/callback/", {"score": "5"}).status_code == 409


def test_the_includes(worker, case, employer_user_a, hotline):
    application = make_recognition(case, employer_user_a)
    request = RequestFactory().get(f"/recognition/{application.pk}/")
    request.user = worker
    prompt = rate_prompt(worker, "recognition", application.pk)
    html = render_to_string("service/ratings/_rate_prompt.html", {"rate_prompt": prompt}, request=request)
    assert "该事项已办结，请您评价" in html and f'value="{application.pk}"' in html and 'action="/service/ratings/mine/"' in html
    assert rate_prompt(hotline, "recognition", application.pk) is None
    assert rate_prompt(employer_user_a, "recognition", application.pk + 999) is None
    Rating.objects.create(region="370200", matter="recognition", matter_id=application.pk, case=case, score=4,
                          rater=worker)
    html = render_to_string("service/ratings/_rate_prompt.html",
                            {"rate_prompt": rate_prompt(worker, "recognition", application.pk)}, request=request)
    assert "您的评价" in html and "4 分 满意" in html
    assert render_to_string("service/ratings/_rate_prompt.html", {"rate_prompt": None}).strip() == ""
    ticket = make_ticket(hotline)
    request.user = hotline
    html = render_to_string("service/ratings/_callback_form.html", {"callback": callback_context(hotline, ticket)},
                            request=request)
    assert f'action="/service/ratings/tickets/{ticket.pk}/callback/"' in html
    assert callback_context(employer_user_a, ticket)["allowed"] is False
