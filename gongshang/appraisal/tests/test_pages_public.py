"""The public 公示 page: no login, masked names, only lines within their period, search and pages."""

from datetime import date, timedelta

import pytest

from gongshang.appraisal.models import PublishedConclusion
from gongshang.appraisal.services import conclusions, publication

from .factories_conclusions import batch_of, examined

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_public_page_needs_no_login_and_shows_no_unmasked_name_or_id(client, case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr, grade=0)
    conclusions.conclusion_create(actor=apr, application=application, data={})
    publication.batch_publish(actor=apr, batch=batch_of(application))
    page = client.get("/appraisal/publications/")
    text = page.content.decode()
    assert page.status_code == 200 and "张*" in text and "未达级" in text and "青岛海川机械制造有限公司" in text
    assert "张伟" not in text and "370202198803151237" not in text
    assert "共 1 条" in client.get("/appraisal/publications/", {"batch": batch_of(application).number}).content.decode()
    assert "共 0 条" in client.get("/appraisal/publications/", {"batch": "NONE"}).content.decode()


def test_expired_lines_are_hidden_and_pages_link_on(client, case, worker, apr, time_machine):
    application = examined(case=case, creator=worker, apr=apr, grade=0)
    conclusions.conclusion_create(actor=apr, application=application, data={})
    line = publication.batch_publish(actor=apr, batch=batch_of(application))[0]
    text = client.get("/appraisal/publications/", {"page": "abc"}).content.decode()
    assert "共 1 条" in text and "下一页" not in text
    for i in range(25):  # more lines of the batch (one per conclusion in real life)
        other = examined(case=case, creator=worker, apr=apr, grade=0, batch=line.batch)
        c = conclusions.conclusion_create(actor=apr, application=other, data={})
        PublishedConclusion.objects.create(conclusion=c, batch=line.batch, region="370200", masked_name=f"王*{i}",
                                           employer_name="某公司", kind_label="初次鉴定", result_label="未达级",
                                           published_on=line.published_on, visible_until=line.visible_until)
    text = client.get("/appraisal/publications/").content.decode()
    assert "共 26 条" in text and "下一页" in text
    assert "上一页" in client.get("/appraisal/publications/", {"page": 2}).content.decode()
    time_machine.move_to(date(2026, 3, 2) + timedelta(days=30))
    assert "当前没有公示中的鉴定结论" in client.get("/appraisal/publications/").content.decode()
