"""公示: one masked line per concluded application of the batch, visible for the regional period."""

from datetime import date

import pytest

from gongshang.appraisal.models import PublishedConclusion
from gongshang.appraisal.rules.conclusions import mask_public_name
from gongshang.appraisal.services import conclusions, publication
from gongshang.appraisal.tests.factories import make_setting
from gongshang.core.errors import FieldErrors

from .factories_conclusions import batch_of, examined

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_masking_keeps_first_and_last_character():
    assert mask_public_name("张三伟") == "张*伟"
    assert mask_public_name("张伟") == "张*"
    assert mask_public_name("欧阳娜娜") == "欧**娜"


def test_publish_lists_only_concluded_applications_masked_for_the_regional_period(case, worker, apr):
    make_setting(publication_days=10)
    done = examined(case=case, creator=worker, apr=apr, grade=7)
    batch = batch_of(done)
    ended = examined(case=case, creator=worker, apr=apr, batch=batch)   # ended without a conclusion
    ended.status = "terminated"
    ended.save(update_fields=["status"])
    conclusions.conclusion_create(actor=apr, application=done, data={})
    lines = publication.batch_publish(actor=apr, batch=batch)
    assert len(lines) == 1
    line = PublishedConclusion.objects.get()
    assert line.masked_name == "张*" and line.employer_name == "青岛海川机械制造有限公司"
    assert line.result_label == "七级伤残" and line.kind_label == "初次鉴定"
    assert (line.published_on, line.visible_until) == (date(2026, 3, 2), date(2026, 3, 12))
    batch.refresh_from_db()
    assert batch.status == "published" and batch.publication_until == date(2026, 3, 12)


def test_public_page_shows_lines_only_within_their_period(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr)
    conclusions.conclusion_create(actor=apr, application=application, data={})
    publication.batch_publish(actor=apr, batch=batch_of(application))
    assert publication.public_page(region="370200")["count"] == 1
    assert publication.public_page(region="370200", today=date(2026, 3, 10))["count"] == 0
    assert publication.public_page(region="370700")["count"] == 0
    page = publication.public_page(batch=batch_of(application).number)
    assert page["items"][0]["masked_name"] == "张*" and "张伟" not in str(page)


def test_objection_is_recorded_with_its_text(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr)
    conclusions.conclusion_create(actor=apr, application=application, data={})
    line = publication.batch_publish(actor=apr, batch=batch_of(application))[0]
    with pytest.raises(FieldErrors):
        publication.objection_record(actor=apr, publication=line, raised_by="", text="")
    row = publication.objection_record(actor=apr, publication=line, raised_by="李某", text="等级偏高", contact="13900000009")
    assert row.text == "等级偏高" and row.recorded_by == apr


def test_publication_waits_until_every_examined_application_of_the_batch_is_concluded(case, worker, apr):
    from gongshang.core.errors import DomainError

    from .factories import make_batch, make_site

    batch = make_batch(make_site(), apr, exam_on=date(2026, 2, 20), status="examined")
    done = examined(case=case, creator=worker, apr=apr, batch=batch)
    late = examined(case=case, creator=worker, apr=apr, batch=batch, kind="device")
    conclusions.conclusion_create(actor=apr, application=done, data={})
    with pytest.raises(DomainError) as exc:
        publication.batch_publish(actor=apr, batch=batch)
    assert exc.value.status == 409 and case.number in exc.value.message
    assert not PublishedConclusion.objects.filter(batch=batch).exists()
    conclusions.conclusion_create(actor=apr, application=late,
                                  data={"confirmed": True, "confirmation_detail": "假肢一具"})
    publication.batch_publish(actor=apr, batch=batch)
    assert PublishedConclusion.objects.filter(batch=batch).count() == 2
