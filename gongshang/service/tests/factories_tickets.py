"""Factories of 12333 工单 and the knowledge base: objects made through the services."""

from datetime import datetime

from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.service.models import KnowledgeArticle
from gongshang.service.services import tickets as services


def hotline(region: str = "370200", **kwargs):
    return StaffUserFactory(roles=["hotline"], jurisdiction=region, **kwargs)


def make_ticket(actor, *, category="consultation", channel="phone", summary="咨询工伤认定需要哪些材料",
                caller_name="王先生", caller_mobile="13812340001", caller_id_number="", case_number="",
                answer="", accident=None):
    return services.ticket_create(actor=actor, data=services.TicketInput(
        channel=channel, category=category, summary=summary, caller_name=caller_name, caller_mobile=caller_mobile,
        caller_id_number=caller_id_number, case_number=case_number, answer=answer, accident=accident)).ticket


def accident(at: datetime, **kwargs) -> services.AccidentInput:
    values = {"accident_at": at, "address": "青岛市市南区香港中路 100 号工地", "description": "搬运钢管时被砸伤左脚",
              "injured_name": "赵强", "injured_id_number": "", "injured_mobile": "", "pledge_read": True}
    values.update(kwargs)
    return services.AccidentInput(**values)


def make_article(region="370200", **kwargs) -> KnowledgeArticle:
    values = {"question": "上下班途中发生交通事故能认定工伤吗？",
              "answer": "在上下班途中，受到非本人主要责任的交通事故伤害的，应当认定为工伤。",
              "basis": "《工伤保险条例》第十四条第（六）项", "keywords": "上下班 交通事故 通勤"}
    values.update(kwargs)
    return KnowledgeArticle.objects.create(region=region, **values)


def make_case(actor, *, region="370200", person=None, employer=None, name="张伟", id_number="370202198803151237",
              mobile="13900000001"):
    """An InjuryCase of `region` (through the cases services, as a quick report would make it)."""
    from django.utils import timezone

    from gongshang.cases import services as case_services

    accident = case_services.accident_create(region=region, occurred_at=timezone.now(), employer=employer,
                                             address="演示地址", description="演示事故")
    return case_services.case_create(actor=actor, accident=accident, injured={
        "name": name, "id_number": id_number, "mobile": mobile, "person": person, "employer": employer},
        actor_label="演示")
