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


def test_each_batch_commitment_is_public_before_the_draw_and_the_seed_after(client, api_client, apr, site, case,
                                                                            worker):
    from gongshang.appraisal.rules.draw import commitment
    from gongshang.appraisal.services import batches

    from .factories import make_expert
    from .factories_batches import accepted

    planned = batches.batch_create(actor=apr, exam_on=date(2026, 3, 20), site=site, capacity=10)
    text = client.get("/appraisal/publications/").content.decode()
    assert "鉴定批次抽取承诺" in text and planned.number in text and planned.seed_commitment in text
    assert planned.seed_secret not in text
    api = api_client.get("/api/v1/appraisal/batches/commitments")
    assert api.status_code == 200, api.content
    row = next(r for r in api.json()["items"] if r["number"] == planned.number)
    assert row["seed_commitment"] == planned.seed_commitment and row["seed"] == "" and row["exam_on"] == "2026-03-20"
    # after the draw the seed is public: anyone checks SHA-256(seed) against the commitment published before
    for i in range(3):
        make_expert(f"池{i}", categories=("ortho",))
    accepted(case, worker)
    batches.batch_assign(actor=apr, batch=planned)
    batches.batch_draw(actor=apr, batch=batches.batch_close(actor=apr, batch=planned))
    row = next(r for r in api_client.get("/api/v1/appraisal/batches/commitments").json()["items"]
               if r["number"] == planned.number)
    assert row["seed"] and commitment(row["seed"]) == row["seed_commitment"]
    assert row["seed"] in client.get("/appraisal/publications/").content.decode()
    body = api_client.get("/api/v1/appraisal/batches/commitments", {"region": "370200"}).content.decode()
    assert "张伟" not in body and "池0" not in body
    assert api_client.get("/api/v1/appraisal/batches/commitments", {"region": "1" * 50}).status_code == 422
