"""Expert pool pages and the expert's own pages (我的鉴定): masked file, signed opinion once,
the grading aid; experts see only their panels (404), may not accept or conclude (403)."""

import pytest
from django.test import Client

from gongshang.core.models.outbox import OutboxMessage

from ..models import Expert, ExpertConflict, ExpertOpinion
from ..services import batches as b
from .factories import make_setting
from .factories_batches import accepted, expert_with_login

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_pool_add_edit_conflict_account(apr, zhang_wei):
    c = client_for(apr)
    assert "添加专家" in c.get("/appraisal/experts/").content.decode()
    r = c.post("/appraisal/experts/new/", {"name": "", "categories": [], "title": "医师", "workplace": ""})
    assert r.status_code == 200 and "高级职称" in r.content.decode()
    r = c.post("/appraisal/experts/new/", {"name": "钱骨科", "categories": ["ortho", "neuro"], "title": "主任医师",
                                           "workplace": "青岛大学附属医院", "available": "on"})
    expert = Expert.objects.get(name="钱骨科")
    assert r.status_code == 302 and expert.categories == ["neuro", "ortho"] and expert.region == "370200"
    r = c.post(f"/appraisal/experts/{expert.pk}/edit/", {"name": "钱骨科", "categories": ["ortho"], "title": "副主任医师",
                                                        "workplace": "青岛大学附属医院", "unavailable_until": "2026-04-01"})
    expert.refresh_from_db()
    assert r.status_code == 302 and expert.available is False and expert.title == "副主任医师"
    r = c.post(f"/appraisal/experts/{expert.pk}/conflicts/", {"id_number": "370202198803151237", "kind": "relative"})
    assert r.status_code == 302 and ExpertConflict.objects.filter(expert=expert, person=zhang_wei).exists()
    r = c.post(f"/appraisal/experts/{expert.pk}/conflicts/", {"id_number": "110101199003071234", "kind": "relative"})
    assert r.status_code == 200 and "未找到该身份证号" in r.content.decode()
    r = c.post(f"/appraisal/experts/{expert.pk}/account/", {"username": "qian-expert", "mobile": "13700000001"})
    expert.refresh_from_db()
    assert r.status_code == 302 and expert.user.username == "qian-expert"
    assert set(expert.user.role_codes) == {"appraisal_expert"}
    assert OutboxMessage.objects.filter(template="sms_staff_activation").exists()
    r = c.post(f"/appraisal/experts/{expert.pk}/account/", {"username": "qian2", "mobile": "13700000001"})
    assert r.status_code == 200 and "已有登录账户" in r.content.decode()


@pytest.fixture
def panel(apr, batch, case, worker):
    make_setting(panel_size=3)
    experts = [expert_with_login(n) for n in ("甲专家", "乙专家", "丙专家")]
    application = accepted(case, worker)
    b.batch_assign(actor=apr, batch=batch)
    b.batch_close(actor=apr, batch=batch)
    b.batch_draw(actor=apr, batch=batch)
    return application, experts


def test_my_panels_masked_file_and_signed_once(panel, case):
    application, experts = panel
    c = client_for(experts[0].user)
    listing = c.get("/appraisal/mine/").content.decode()
    assert case.number in listing and "待签署意见" in listing and "张伟" not in listing
    page = c.get(f"/appraisal/mine/{application.pk}/").content.decode()
    assert "张*" in page and "张伟" not in page and "签署意见" in page
    aid = c.get(f"/appraisal/mine/{application.pk}/?items=5.9.2.15").content.decode()
    assert "建议：" in aid or "不在" in aid
    r = c.post(f"/appraisal/mine/{application.pk}/opinion/", {"grade": "9", "self_care": "", "standard_items": "",
                                                             "text": "右手食指远节缺失"})
    assert r.status_code == 302
    opinion = ExpertOpinion.objects.get()
    assert opinion.expert == experts[0] and len(opinion.signature) == 64
    r = c.post(f"/appraisal/mine/{application.pk}/opinion/", {"grade": "8", "text": "再签"})
    assert r.status_code == 200 and "不能再次签署" in r.content.decode()
    assert ExpertOpinion.objects.count() == 1
    assert "核验一致" in c.get(f"/appraisal/mine/{application.pk}/").content.decode()


def test_expert_sees_only_own_panels(panel, case, worker, apr):
    application, _ = panel
    outsider = client_for(expert_with_login("局外专家").user)
    assert outsider.get(f"/appraisal/mine/{application.pk}/").status_code == 404
    assert "没有被抽入" in outsider.get("/appraisal/mine/").content.decode()
    assert client_for(apr).get("/appraisal/mine/").status_code == 403
    assert outsider.get("/appraisal/experts/").status_code == 403


def test_grading_aid_suggestion():
    from ..views.experts import grading_suggestion

    assert grading_suggestion([]) is None
    assert "error" in grading_suggestion(["9.9.9"])


def test_expert_reads_medical_materials_not_identity(panel, case):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from gongshang.cases.vault import vault_upload

    application, experts = panel
    def png(name):
        buf = BytesIO()
        Image.new("RGB", (8, 8)).save(buf, "PNG")
        return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")
    records = vault_upload(actor=None, case=case, kind="medical_records", upload=png("病历.png"), title="住院病历")
    identity = vault_upload(actor=None, case=case, kind="id_card", upload=png("身份证.png"), title="身份证")
    c = client_for(experts[0].user)
    page = c.get(f"/appraisal/mine/{application.pk}/").content.decode()
    assert "住院病历" in page and "身份证.png" not in page and ">身份证<" not in page
    assert c.get(f"/appraisal/mine/{application.pk}/materials/{records.pk}/").status_code == 200
    assert c.get(f"/appraisal/mine/{application.pk}/materials/{identity.pk}/").status_code == 404


def test_expert_employer_by_uscc(apr, employer_a):
    c = client_for(apr)
    base = {"name": "钱骨科", "categories": ["ortho"], "title": "主任医师", "workplace": "青岛大学附属医院"}
    r = c.post("/appraisal/experts/new/", {**base, "employer_uscc": "91370200MA0000000X"})
    assert r.status_code == 200 and "未找到该统一社会信用代码" in r.content.decode()
    r = c.post("/appraisal/experts/new/", {**base, "employer_uscc": employer_a.uscc})
    assert r.status_code == 302 and Expert.objects.get().employer == employer_a


def test_planner_lists_green_channel_awaiting_a_visit(apr, case, worker):
    from .factories_batches import accepted as make_accepted

    green = make_accepted(case, worker, green_channel=True)
    page = client_for(apr).get("/appraisal/batches/").content.decode()
    assert "绿色通道待安排" in page and f"/appraisal/exam/{green.pk}/visit/" in page


def test_expert_page_names_the_materials_in_chinese(panel, case):
    from .factories_applications import vault_add

    application, experts = panel
    vault_add(case, "medical_diagnosis")           # a recognition-stage kind, filed without a title of its own
    vault_add(case, "medical_records")
    page = client_for(experts[0].user).get(f"/appraisal/mine/{application.pk}/").content.decode()
    assert "medical_diagnosis" not in page and "medical_records" not in page
    assert "医疗诊断证明" in page and "诊断证明及完整病历材料" in page
