"""12333 工单 API: the issue's paths, typed answers, error statuses, database state."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongshang.core.models import OutboxMessage, PiiAccessLog
from gongshang.quickreports.models import QuickReport
from gongshang.service.models import KnowledgeArticle, Ticket

from .factories_tickets import hotline, make_article, make_case, make_ticket

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)  # a Tuesday


def post(client, path, body, auth):
    return client.post(path, json.dumps(body), content_type="application/json", **auth)


@pytest.fixture
def agent(db):
    return hotline()


@time_machine.travel(NOW, tick=False)
def test_create_consultation(api_client, token_for, agent):
    auth = token_for(agent)
    answer = post(api_client, "/api/v1/service/tickets", {
        "channel": "phone", "category": "consultation", "caller_name": "王先生", "caller_mobile": "13812340001",
        "summary": "工伤认定需要什么材料", "case_number": ""}, auth)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    ticket = Ticket.objects.get()
    assert body["id"] == ticket.pk and body["number"] == "12333-370200-2026-000001"
    assert body["due_at"] == "2026-11-05T23:59:59+08:00" and body["status"] == "open"
    detail = api_client.get(f"/api/v1/service/tickets/{ticket.pk}", **auth).json()
    assert detail["caller_mobile"] == "138****0001" and detail["caller_name"] == "王**"
    assert set(detail["actions"]) >= {"transfer", "close", "reply"} and detail["days_left"] == 2
    assert detail["events"][0]["type"] == "ticket.created"


@time_machine.travel(NOW, tick=False)
def test_create_refusals_are_422_naming_the_field(api_client, token_for, agent):
    auth = token_for(agent)
    other_case = make_case(agent, region="370700")
    answer = post(api_client, "/api/v1/service/tickets", {
        "channel": "phone", "category": "consultation", "summary": "x", "case_number": other_case.number}, auth)
    assert answer.status_code == 422
    assert answer.json()["details"] == [{"field": "case_number", "message": answer.json()["details"][0]["message"]}]
    answer = post(api_client, "/api/v1/service/tickets", {"channel": "fax", "category": "consultation",
                                                          "summary": "x"}, auth)
    assert answer.status_code == 422 and "来源渠道" in answer.content.decode()
    answer = post(api_client, "/api/v1/service/tickets", {"channel": "phone", "category": "consultation",
                                                          "summary": "x", "unknown": 1}, auth)
    assert answer.status_code == 422
    assert not Ticket.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_hotline_files_an_accident_by_phone_and_the_caller_receives_a_code(api_client, token_for, agent):
    auth = token_for(agent)
    answer = post(api_client, "/api/v1/service/tickets", {
        "channel": "phone", "category": "accident_filing", "caller_name": "赵强", "caller_mobile": "13812340009",
        "summary": "工友在工地被钢管砸伤左脚", "accident": {
            "accident_at": (NOW - timedelta(hours=1)).isoformat(), "address": "青岛市市南区香港中路 100 号工地",
            "description": "搬运钢管时被砸伤左脚", "injured_name": "孙力", "pledge_read": True}}, auth)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    report = QuickReport.objects.get()
    assert body["quick_report_id"] == report.pk and body["sms_sent_to"] == ["138****0009"]
    assert body["case_numbers"] == [report.accident.cases.get().number]
    sms = OutboxMessage.objects.get(template="sms_quickreport_code")
    assert sms.recipient == "13812340009" and "快报唯一标志码" in sms.body
    assert report.reporter_kind == "hotline"


def test_transfer_reply_close_by_api(api_client, token_for, agent, staff_factory):
    intake = staff_factory("intake")
    ticket = make_ticket(agent, category="complaint")
    agent_auth, intake_auth = token_for(agent), token_for(intake)
    assert post(api_client, f"/api/v1/service/tickets/{ticket.pk}/reply", {"text": "x"}, intake_auth).status_code == 403
    answer = post(api_client, f"/api/v1/service/tickets/{ticket.pk}/transfer", {"desk": "nobody"}, agent_auth)
    assert answer.status_code == 422 and answer.json()["details"][0]["field"] == "desk"
    answer = post(api_client, f"/api/v1/service/tickets/{ticket.pk}/transfer", {"desk": "intake", "note": "请核实"},
                  agent_auth)
    assert answer.status_code == 200 and answer.json()["desk_label"] == "受理员"
    assert post(api_client, f"/api/v1/service/tickets/{ticket.pk}/reply", {"text": "x"}, agent_auth).status_code == 403
    answer = post(api_client, f"/api/v1/service/tickets/{ticket.pk}/reply", {"text": "已核实并处理"}, intake_auth)
    assert answer.status_code == 200 and answer.json()["status"] == "replied"
    assert post(api_client, f"/api/v1/service/tickets/{ticket.pk}/close", {"note": "x"}, intake_auth).status_code == 403
    answer = post(api_client, f"/api/v1/service/tickets/{ticket.pk}/close", {"note": "已告知来电人"}, agent_auth)
    assert answer.status_code == 200 and answer.json()["status"] == "closed"
    again = post(api_client, f"/api/v1/service/tickets/{ticket.pk}/close", {"note": "再次"}, agent_auth)
    assert again.status_code == 409 and again.json()["code"] == "ticket_closed"
    assert Ticket.objects.get(pk=ticket.pk).status == "closed"


def test_other_region_is_404_and_lists_are_scoped(api_client, token_for, agent):
    theirs = make_ticket(hotline(region="370700"))
    mine = make_ticket(agent)
    auth = token_for(agent)
    assert api_client.get(f"/api/v1/service/tickets/{theirs.pk}", **auth).status_code == 404
    assert post(api_client, f"/api/v1/service/tickets/{theirs.pk}/close", {"note": "x"}, auth).status_code == 404
    listed = api_client.get("/api/v1/service/tickets?view=mine", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == mine.pk
    assert api_client.get("/api/v1/service/tickets?view=bogus", **auth).status_code == 422


def test_roles_without_the_action_get_403(api_client, token_for, staff_factory, agent):
    ticket = make_ticket(agent)
    leader = token_for(staff_factory("leader"))
    assert api_client.get("/api/v1/service/tickets", **leader).status_code == 403
    assert api_client.get(f"/api/v1/service/tickets/{ticket.pk}", **leader).status_code == 403
    window = token_for(staff_factory("window"))
    assert post(api_client, f"/api/v1/service/tickets/{ticket.pk}/reveal", {"field": "caller_mobile"},
                window).status_code == 403
    assert api_client.get("/api/v1/service/tickets").status_code == 401


def test_reveal_and_lookup(api_client, token_for, agent, zhang_wei):
    ticket = make_ticket(agent, caller_id_number="370202198803151237")
    auth = token_for(agent)
    answer = post(api_client, f"/api/v1/service/tickets/{ticket.pk}/reveal", {"field": "caller_id_number"}, auth)
    assert answer.json() == {"field": "caller_id_number", "value": "370202198803151237"}
    assert PiiAccessLog.objects.filter(field="caller_id_number", target_id=str(ticket.pk)).count() == 1
    found = api_client.get("/api/v1/service/lookup?id_number=370202198803151237", **auth).json()
    assert found["persons"][0]["id_number"] == "370202********1237"
    assert found["tickets"][0]["number"] == ticket.number
    assert api_client.get("/api/v1/service/lookup", **auth).status_code == 422


def test_knowledge_api(api_client, token_for, agent, staff_factory):
    article = make_article()
    auth = token_for(agent)
    listed = api_client.get("/api/v1/service/knowledge?q=交通事故", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["basis"].startswith("《工伤保险条例》第十四条")
    created = post(api_client, "/api/v1/service/knowledge", {
        "question": "工伤职工住院伙食补助费怎么报？", "answer": "按统筹地区标准由工伤保险基金支付。",
        "basis": "《工伤保险条例》第三十条"}, auth)
    assert created.status_code == 201 and KnowledgeArticle.objects.filter(pk=created.json()["id"]).exists()
    changed = api_client.put(f"/api/v1/service/knowledge/{article.pk}", json.dumps({
        "question": article.question, "answer": article.answer, "basis": article.basis, "published": False}),
        content_type="application/json", **auth)
    assert changed.status_code == 200 and changed.json()["published"] is False
    assert not KnowledgeArticle.objects.get(pk=article.pk).published
    window = token_for(staff_factory("window"))
    assert api_client.get(f"/api/v1/service/knowledge/{article.pk}", **window).status_code == 404
    assert post(api_client, "/api/v1/service/knowledge", {"question": "q", "answer": "a", "basis": "b"},
                window).status_code == 403
    assert api_client.get(f"/api/v1/service/knowledge/{make_article(region='370700').pk}", **auth).status_code == 404


def test_the_window_closes_a_counter_ticket_but_not_a_call(api_client, token_for, staff_factory, agent):
    window = staff_factory("window")
    auth = token_for(window)
    answer = post(api_client, "/api/v1/service/tickets", {
        "channel": "window", "category": "consultation", "summary": "来窗口咨询停工留薪期", "answer": "已当面告知"}, auth)
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "closed" and Ticket.objects.get(pk=answer.json()["id"]).status == "closed"
    counter = make_ticket(window, channel="window")
    answer = post(api_client, f"/api/v1/service/tickets/{counter.pk}/close", {"note": "来访人再次到窗口，已当面答复"}, auth)
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "closed" and Ticket.objects.get(pk=counter.pk).status == "closed"
    phoned = make_ticket(agent)
    answer = post(api_client, f"/api/v1/service/tickets/{phoned.pk}/close", {"note": "已告知"}, auth)
    assert answer.status_code == 403 and "热线坐席" in answer.json()["message"]
    assert Ticket.objects.get(pk=phoned.pk).status == "open"


@time_machine.travel(NOW, tick=False)
def test_an_accident_time_without_offset_is_read_as_local_time(api_client, token_for, agent):
    """"2026-11-03T09:00" (no offset, as a form or a simple client sends it) is 北京时间, not a 500."""
    answer = post(api_client, "/api/v1/service/tickets", {
        "channel": "phone", "category": "accident_filing", "caller_mobile": "13812340009", "summary": "工地事故来电",
        "accident": {"accident_at": "2026-11-03T09:00", "address": "青岛市市南区某工地", "description": "被钢管砸伤左脚",
                     "injured_name": "孙力", "pledge_read": True}}, token_for(agent))
    assert answer.status_code == 201, answer.content
    report = QuickReport.objects.get()
    assert report.accident.occurred_at == datetime(2026, 11, 3, 9, 0, tzinfo=TZ)
    future = post(api_client, "/api/v1/service/tickets", {
        "channel": "phone", "category": "accident_filing", "caller_mobile": "13812340009", "summary": "工地事故来电",
        "accident": {"accident_at": "2026-11-03T11:00", "address": "青岛市市南区某工地", "description": "被钢管砸伤左脚",
                     "injured_name": "孙力", "pledge_read": True}}, token_for(hotline()))
    assert future.status_code == 422 and future.json()["details"][0]["field"] == "accident.accident_at"
    assert QuickReport.objects.count() == 1 and Ticket.objects.count() == 1
