"""The 12333 demo: the knowledge base, one setting, tickets of each category and status, a phoned-in
accident with its quick report and SMS; running it twice changes nothing."""

import pytest

from gongshang.core.models import OutboxMessage
from gongshang.quickreports.models import QuickReport
from gongshang.service.models import KnowledgeArticle, ServiceSetting, Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-03 10:00 +08:00")]


def test_demo_is_idempotent():
    from gongshang.accounts import demo as accounts_demo
    from gongshang.registry import demo as registry_demo
    from gongshang.service.demo import tickets

    registry_demo.seed()
    accounts_demo.seed()
    tickets.seed()
    counts = [m.objects.count() for m in (KnowledgeArticle, ServiceSetting, Ticket, QuickReport, OutboxMessage)]
    tickets.seed()
    assert counts == [m.objects.count() for m in (KnowledgeArticle, ServiceSetting, Ticket, QuickReport, OutboxMessage)]
    assert KnowledgeArticle.objects.count() >= 15
    assert KnowledgeArticle.objects.filter(basis__contains="第十七条").exists()
    assert set(Ticket.objects.values_list("category", flat=True)) == {
        "consultation", "complaint", "suggestion", "help", "accident_filing"}
    assert set(Ticket.objects.values_list("status", flat=True)) == {"open", "transferred", "replied", "closed"}
    filed = Ticket.objects.get(category="accident_filing")
    assert filed.quick_report.reporter_kind == "hotline"
    assert OutboxMessage.objects.filter(template="sms_quickreport_code").exists()
