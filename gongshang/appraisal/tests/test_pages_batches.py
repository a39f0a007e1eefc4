"""Batch planner, exam day and visit pages: what each shows, the forms going through the services."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from ..models import AppraisalApplication, AppraisalBatch, ExamRecord, HomeVisit
from ..services import batches as b
from ..services import exam as e
from .factories import make_setting
from .factories_batches import accepted, expert_with_login

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def jpeg():
    buf = BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 50)).save(buf, "JPEG")
    return SimpleUploadedFile("live.jpg", buf.getvalue(), content_type="image/jpeg")


def test_planner_create_assign_close_draw(apr, site, case, worker):
    make_setting(panel_size=3)
    [expert_with_login(f"专家{i}") for i in range(3)]
    application = accepted(case, worker)
    c = client_for(apr)
    page = c.get("/appraisal/batches/")
    assert page.status_code == 200 and "新建批次" in page.content.decode() and "data-confirm" in page.content.decode()
    r = c.post("/appraisal/batches/new/", {"exam_on": "2026-03-01", "exam_time": "08:30", "site": site.pk,
                                           "capacity": 10})
    assert r.status_code == 200 and "鉴定日期应晚于今天" in r.content.decode()
    r = c.post("/appraisal/batches/new/", {"exam_on": "2026-03-20", "exam_time": "08:30", "site": site.pk,
                                           "capacity": 10})
    batch = AppraisalBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/appraisal/batches/{batch.pk}/"
    detail = c.get(f"/appraisal/batches/{batch.pk}/").content.decode()
    assert batch.seed_commitment in detail and "待编入 1 件" in detail
    c.post(f"/appraisal/batches/{batch.pk}/assign/")
    assert AppraisalApplication.objects.get(pk=application.pk).batch_id == batch.pk
    c.post(f"/appraisal/batches/{batch.pk}/close/")
    r = c.post(f"/appraisal/batches/{batch.pk}/draw/", follow=True)
    body = r.content.decode()
    seed = batch.draws.get().seed
    assert "已抽取专家组" in body and seed in body and any(f"专家{i}" in body for i in range(3))


def test_draw_failure_is_shown(apr, batch, case, worker):
    accepted(case, worker)
    c = client_for(apr)
    c.post(f"/appraisal/batches/{batch.pk}/assign/")
    c.post(f"/appraisal/batches/{batch.pk}/close/")
    body = c.post(f"/appraisal/batches/{batch.pk}/draw/", follow=True).content.decode()
    assert "无法组成" in body
    assert AppraisalBatch.objects.get(pk=batch.pk).status == "closed"


@pytest.fixture
def drawn(apr, batch, case, worker):
    make_setting(panel_size=3, no_show_limit=2)
    experts = [expert_with_login(f"专家{i}") for i in range(3)]
    application = accepted(case, worker)
    b.batch_assign(actor=apr, batch=batch)
    b.batch_close(actor=apr, batch=batch)
    b.batch_draw(actor=apr, batch=batch)
    application.refresh_from_db()
    return application, experts


def test_exam_day_check_in_opinions_proposal(apr, batch, drawn):
    application, experts = drawn
    c = client_for(apr)
    page = c.get(f"/appraisal/batches/{batch.pk}/exam/").content.decode()
    assert "登记库无照片" in page and "尚未签到" in page and "未签署" in page
    r = c.post(f"/appraisal/exam/{application.pk}/check-in/", {"photo": jpeg(), "verified": "1", "note": "一致"})
    assert r.status_code == 302
    assert ExamRecord.objects.get(application=application).identity_verified is True
    page = c.get(f"/appraisal/batches/{batch.pk}/exam/").content.decode()
    assert f"/appraisal/exam/{application.pk}/live-photo/" in page
    assert c.get(f"/appraisal/exam/{application.pk}/live-photo/").status_code == 200
    for expert in experts:
        e.opinion_sign(actor=expert.user, application=application, grade=9, standard_items=["5.9.2.15"], text="九级")
    page = c.get(f"/appraisal/batches/{batch.pk}/exam/").content.decode()
    assert "评级辅助" in page and "多数为九级" in page
    r = c.post(f"/appraisal/exam/{application.pk}/examine/", {"grade": "9", "self_care": "", "text": "专家组：九级"})
    assert r.status_code == 302
    assert AppraisalApplication.objects.get(pk=application.pk).status == "examined"


def test_no_show_button_has_confirmation_and_records(apr, batch, drawn, time_machine):
    application, _ = drawn
    time_machine.move_to("2026-03-20 16:00 +08:00")   # the exam day
    c = client_for(apr)
    page = c.get(f"/appraisal/batches/{batch.pk}/exam/").content.decode()
    assert "登记未到场" in page and "鉴定办法第二十三条" in page
    c.post(f"/appraisal/exam/{application.pk}/no-show/", {"note": ""})
    application.refresh_from_db()
    assert application.status == "accepted" and application.no_show_count == 1


def test_visit_page(apr, case, worker, batch):
    green = accepted(case, worker, green_channel=True)
    c = client_for(apr)
    page = c.get(f"/appraisal/exam/{green.pk}/visit/").content.decode()
    assert "批准并预约" in page and batch.number in page
    r = c.post(f"/appraisal/exam/{green.pk}/visit/", {"mode": "home", "scheduled_at": "2026-03-05T09:00",
                                                      "address": "", "batch": batch.pk})
    assert r.status_code == 200 and "上门鉴定请填写上门地址" in r.content.decode()
    r = c.post(f"/appraisal/exam/{green.pk}/visit/", {"mode": "home", "scheduled_at": "2026-03-05T09:00",
                                                      "address": "青岛市市北区某路 1 号"})
    assert r.status_code == 200 and "请选择编入的计划中批次" in r.content.decode()
    r = c.post(f"/appraisal/exam/{green.pk}/visit/", {"mode": "home", "scheduled_at": "2026-03-05T09:00",
                                                      "address": "青岛市市北区某路 1 号", "batch": batch.pk})
    assert r.status_code == 302 and HomeVisit.objects.filter(application=green).exists()


def test_expert_and_other_roles(batch, drawn, staff_factory, worker):
    application, experts = drawn
    expert = client_for(experts[0].user)
    assert expert.get(f"/appraisal/batches/{batch.pk}/").status_code == 200
    assert expert.get(f"/appraisal/batches/{batch.pk}/exam/").status_code == 403
    assert expert.post(f"/appraisal/exam/{application.pk}/examine/", {"text": "x"}).status_code == 403
    other = client_for(staff_factory("appraisal_admin", jurisdiction="370100"))
    assert other.get(f"/appraisal/batches/{batch.pk}/").status_code == 404
    assert client_for(worker).get("/appraisal/batches/").status_code == 403


def test_batch_exam_date(batch):
    assert batch.exam_on == date(2026, 3, 20)
