"""12333 pages: the agent's screen, the queue, a ticket's page, the knowledge base, 服务参数."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongshang.core.models import OutboxMessage, PiiAccessLog
from gongshang.quickreports.models import QuickReport
from gongshang.service.models import KnowledgeArticle, ServiceSetting, Ticket

from .factories_tickets import hotline, make_article, make_ticket

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agent(db):
    return hotline(display_name="刘坐席")


FORM = {"channel": "phone", "category": "consultation", "caller_name": "王先生", "caller_mobile": "13812340001",
        "summary": "咨询上下班途中受伤能否认定工伤", "caller_id_number": "", "case_number": "", "answer": ""}


@time_machine.travel(NOW, tick=False)
def test_agent_desk_lookup_knowledge_and_new_ticket(agent, zhang_wei):
    make_article()
    client = signed_in(agent)
    page = client.get(reverse("service:agent_desk"), {"id_number": "370202198803151237", "q": "交通事故"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "370202********1237" in text and "370202198803151237" not in text.replace('value="370202198803151237"', "")
    assert "上下班途中发生交通事故能认定工伤吗" in text and "第十四条" in text
    answer = client.post(reverse("service:agent_desk"), FORM)
    ticket = Ticket.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("service:ticket_detail", args=[ticket.pk])
    detail = client.get(answer["Location"]).content.decode()
    assert ticket.number in detail and "转办" in detail and "138****0001" in detail


@time_machine.travel(NOW, tick=False)
def test_agent_desk_refusal_keeps_the_input(agent):
    answer = signed_in(agent).post(reverse("service:agent_desk"), {**FORM, "category": "complaint", "caller_mobile": ""})
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "投诉和电话报工伤须留来电号码" in text and "咨询上下班途中受伤能否认定工伤" in text
    assert not Ticket.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_agent_desk_files_an_accident(agent):
    answer = signed_in(agent).post(reverse("service:agent_desk"), {
        **FORM, "category": "accident_filing", "caller_mobile": "13812340009", "summary": "工地事故来电",
        "accident_at": (NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "address": "青岛市市南区某工地",
        "description": "被钢管砸伤左脚", "injured_name": "孙力", "pledge_read": "on"}, follow=True)
    text = answer.content.decode()
    assert answer.status_code == 200 and "快报唯一标志码已短信发送至 138****0009" in text
    assert "快报唯一标志码短信：发送至 138****0009" in text
    assert QuickReport.objects.get().tickets.get() == Ticket.objects.get()
    assert OutboxMessage.objects.filter(template="sms_quickreport_code").count() == 1


@time_machine.travel(NOW, tick=False)
def test_agent_desk_accident_refusal_names_the_field(agent):
    answer = signed_in(agent).post(reverse("service:agent_desk"), {
        **FORM, "category": "accident_filing", "caller_mobile": "13812340009",
        "accident_at": (NOW - timedelta(hours=50)).strftime("%Y-%m-%dT%H:%M"), "address": "某工地",
        "description": "砸伤", "injured_name": "孙力", "pledge_read": "on"})
    assert answer.status_code == 422 and "48 小时" in answer.content.decode()
    assert not Ticket.objects.exists() and not QuickReport.objects.exists()


def test_detail_actions_transfer_reply_close(agent, staff_factory):
    ticket = make_ticket(agent, category="complaint")
    client = signed_in(agent)
    page = client.get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'id="transfer-panel"' in page and 'id="close-panel"' in page
    answer = client.post(reverse("service:ticket_transfer", args=[ticket.pk]), {"desk": "", "note": ""})
    assert answer.status_code == 422
    client.post(reverse("service:ticket_transfer", args=[ticket.pk]), {"desk": "intake", "note": "请核实"})
    page = client.get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'id="reply-panel"' not in page and "转办至受理员：请核实" in page
    intake = signed_in(staff_factory("intake"))
    page = intake.get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'id="reply-panel"' in page and 'id="close-panel"' not in page and "查看完整号码" not in page
    intake.post(reverse("service:ticket_reply", args=[ticket.pk]), {"text": "已核实，正在处理"})
    assert client.post(reverse("service:ticket_close", args=[ticket.pk]), {"note": "已告知"}).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == "closed"


def test_detail_of_a_closed_ticket_offers_the_callback_and_records_it(agent):
    """The 回访 form sits on the ticket page once the ticket is closed; posting it records the
    rating and the page then shows the recorded callback instead of the form."""
    ticket = make_ticket(agent, answer="工伤认定需提交认定申请表、劳动关系证明和医疗诊断证明。")
    assert Ticket.objects.get(pk=ticket.pk).status == "closed"
    client = signed_in(agent)
    page = client.get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'id="callback-form"' in page
    answer = client.post(reverse("service:rating_ticket_callback", args=[ticket.pk]),
                         {"score": "5", "note": "来电人表示满意",
                          "next": reverse("service:ticket_detail", args=[ticket.pk])})
    assert answer.status_code == 302
    page = client.get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'id="callback-done"' in page and 'id="callback-form"' not in page
    assert Ticket.objects.get(pk=ticket.pk).callback_score == 5


def test_detail_of_an_open_ticket_has_no_callback_form(agent):
    ticket = make_ticket(agent, category="complaint")
    page = signed_in(agent).get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'id="callback-form"' not in page and 'id="callback-not-yet"' in page


def test_reveal_page_shows_once_and_logs(agent):
    ticket = make_ticket(agent)
    answer = signed_in(agent).post(reverse("service:ticket_reveal", args=[ticket.pk]), {"field": "caller_mobile"})
    assert answer.status_code == 200 and "13812340001" in answer.content.decode()
    assert PiiAccessLog.objects.count() == 1
    assert "13812340001" not in signed_in(agent).get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()


def test_permission_paths(agent, staff_factory):
    theirs = make_ticket(hotline(region="370700"))
    client = signed_in(agent)
    assert client.get(reverse("service:ticket_detail", args=[theirs.pk])).status_code == 404
    leader = signed_in(staff_factory("leader"))
    assert leader.get(reverse("service:ticket_list")).status_code == 403
    assert leader.get(reverse("service:agent_desk")).status_code == 403
    window = signed_in(staff_factory("window"))
    assert window.post(reverse("service:ticket_reveal", args=[make_ticket(agent).pk]),
                       {"field": "caller_mobile"}).status_code == 403
    assert Client().get(reverse("service:agent_desk")).status_code == 302


def test_queue_tabs_and_empty_state(agent):
    client = signed_in(agent)
    assert "没有符合条件的工单" in client.get(reverse("service:ticket_list")).content.decode()
    with time_machine.travel(datetime(2026, 9, 1, 9, tzinfo=TZ), tick=False):
        late = make_ticket(agent, category="complaint")
    page = client.get(reverse("service:ticket_list"), {"view": "overdue"}).content.decode()
    assert late.number in page and "已超时" in page


def test_knowledge_pages(agent, staff_factory):
    article = make_article()
    client = signed_in(agent)
    page = client.get(reverse("service:knowledge_list"), {"q": "交通事故"}).content.decode()
    assert article.question in page and "修改" in page
    assert client.post(reverse("service:knowledge_new"), {"question": "", "answer": "", "basis": "",
                                                          "category": "consultation"}).status_code == 422
    answer = client.post(reverse("service:knowledge_new"), {
        "question": "工伤职工可以选择哪些医院就医？", "answer": "应当在签订服务协议的医疗机构就医，情况紧急时可以先到就近的医疗机构急救。",
        "basis": "《工伤保险条例》第三十条", "keywords": "协议医院 就医", "category": "consultation", "published": "on"})
    assert answer.status_code == 302 and KnowledgeArticle.objects.filter(basis="《工伤保险条例》第三十条").exists()
    client.post(reverse("service:knowledge_publish", args=[article.pk]), {"published": "0"})
    assert not KnowledgeArticle.objects.get(pk=article.pk).published
    window = signed_in(staff_factory("window"))
    assert article.question not in window.get(reverse("service:knowledge_list")).content.decode()
    assert window.get(reverse("service:knowledge_new")).status_code == 403
    assert client.get(reverse("service:knowledge_edit", args=[make_article(region="370700").pk])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_settings_page(staff_factory):
    prevention = signed_in(staff_factory("prevention"))
    page = prevention.get(reverse("service:settings")).content.decode()
    assert "尚未录入" in page and "新增参数版本" in page
    bad = prevention.post(reverse("service:settings_add"), {"valid_from": "2026-12-01"})
    assert bad.status_code == 422 and not ServiceSetting.objects.exists()
    answer = prevention.post(reverse("service:settings_add"), {
        "valid_from": "2026-12-01", "consultation_days": 2, "complaint_days": 5, "suggestion_days": 5,
        "accident_filing_days": 1, "help_days": 2, "rating_follow_up_days": 5, "prevention_cap_percent": "3.00",
        "source": "演示值"})
    assert answer.status_code == 302 and ServiceSetting.objects.get().source == "演示值"
    window = signed_in(staff_factory("window"))
    assert "新增参数版本" not in window.get(reverse("service:settings")).content.decode()
    assert window.post(reverse("service:settings_add"), {}).status_code == 403
    assert signed_in(staff_factory("intake")).get(reverse("service:settings")).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_code_goes_to_the_caller_and_no_staff_page_shows_it(agent, api_client, token_for, staff_factory):
    """电话报工伤: the caller receives the 快报唯一标志码 by SMS; the agent who filed it and every other staff
    member never see it (a credential): not on the desk, the ticket, its API, the quick report's staff
    page, the done page, nor in the ticket's or the audit's records."""
    import json

    from gongshang.core.models import AuditEvent
    from gongshang.service.models import TicketEvent

    client = signed_in(agent)
    answer = client.post(reverse("service:agent_desk"), {
        **FORM, "category": "accident_filing", "caller_mobile": "13812340009", "summary": "工地事故来电",
        "accident_at": (NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "address": "青岛市市南区某工地",
        "description": "被钢管砸伤左脚", "injured_name": "孙力", "pledge_read": "on"}, follow=True)
    sms = OutboxMessage.objects.get(template="sms_quickreport_code")
    code = sms.params["code"]
    assert sms.recipient == "13812340009" and code and code in sms.body
    compact = code.replace("-", "").replace(" ", "")
    ticket, report = Ticket.objects.get(), QuickReport.objects.get()
    intake = staff_factory("intake")
    pages = [answer, client.get(reverse("service:ticket_detail", args=[ticket.pk])),
             client.get(reverse("quickreports:done"), follow=True),
             api_client.get(f"/api/v1/service/tickets/{ticket.pk}", **token_for(agent)),
             signed_in(intake).get(reverse("quickreports:inbox_detail", args=[report.pk]))]
    assert [p.status_code for p in pages] == [200, 200, 403, 200, 200]  # the done page is not staff's
    seen = [p.content.decode() for p in pages] + [
            json.dumps([e.details for e in TicketEvent.objects.all()], ensure_ascii=False),
            json.dumps([e.details for e in AuditEvent.objects.all()], ensure_ascii=False)]
    for text in seen:
        assert code not in text and compact not in text.replace("-", "")
