"""Applicant pages: apply form, materials (reused / to upload), submit with every missing material,
status page with deadlines and basis, withdraw, messages."""

import pytest
from django.urls import reverse

from ..models import AppraisalApplication, AppraisalMessage
from ..services import applications as svc
from .factories_applications import pdf, vault_add

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture
def phone(client, worker):
    client.force_login(worker)
    return client


def test_apply_form_explains_every_kind_and_green_channel(phone, case):
    page = phone.get(reverse("appraisal:apply", args=[case.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "复查鉴定" in text and "鉴定结论作出满1年后" in text and "短视频" in text
    assert "工伤认定决定由平台从案件中调取" in text


def test_apply_creates_and_goes_to_materials(phone, case):
    answer = phone.post(reverse("appraisal:apply", args=[case.pk]), {
        "kind": "initial", "applicant_kind": "worker", "items": ["disability_grade"], "mailing_address": "青岛市"})
    application = AppraisalApplication.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("appraisal:materials", args=[application.pk])
    assert application.items == ["disability_grade"] and application.mailing_address == "青岛市"


def test_apply_errors_name_the_field(phone, case):
    answer = phone.post(reverse("appraisal:apply", args=[case.pk]), {"kind": "relative_typo", "applicant_kind": "worker"})
    assert answer.status_code == 422 and "鉴定类别不正确" in answer.content.decode()
    answer = phone.post(reverse("appraisal:apply", args=[case.pk]), {"kind": "initial", "applicant_kind": "relative"})
    assert answer.status_code == 422 and "与工伤职工的关系" in answer.content.decode()


def test_other_persons_case_404(client, case, li_na, employer_b, employer_user_b):
    from gongshang.accounts.tests.factories import IndividualUserFactory

    client.force_login(IndividualUserFactory(person=li_na))
    assert client.get(reverse("appraisal:apply", args=[case.pk])).status_code == 404


def test_materials_page_shows_reused_and_upload(phone, worker, case):
    vault_add(case, "injured_id")
    application = svc.application_create(actor=worker, case=case, data={"kind": "initial", "applicant_kind": "worker"})
    page = phone.get(reverse("appraisal:materials", args=[application.pk]))
    text = page.content.decode()
    assert "已有，无需再交" in text and "平台根据申请内容生成" in text and "待上传" in text
    answer = phone.post(reverse("appraisal:materials", args=[application.pk]), {"kind": "medical_records", "file": pdf()})
    assert answer.status_code == 302
    assert "材料已齐全" in phone.get(reverse("appraisal:materials", args=[application.pk])).content.decode()


def test_upload_error_shown(phone, worker, case):
    application = svc.application_create(actor=worker, case=case, data={"kind": "initial", "applicant_kind": "worker"})
    answer = phone.post(reverse("appraisal:materials", args=[application.pk]), {"kind": "bogus", "file": pdf()})
    assert answer.status_code == 422 and "材料类型不正确" in answer.content.decode()


def test_submit_lists_all_missing_then_succeeds(phone, worker, case):
    application = svc.application_create(actor=worker, case=case, data={"kind": "initial", "applicant_kind": "worker"})
    refused = phone.post(reverse("appraisal:submit", args=[application.pk]))
    text = refused.content.decode()
    assert refused.status_code == 422 and "诊断证明及完整病历材料" in text and "工伤职工居民身份证" in text
    vault_add(case, "injured_id")
    vault_add(case, "medical_diagnosis")
    answer = phone.post(reverse("appraisal:submit", args=[application.pk]))
    assert answer.status_code == 302
    page = phone.get(reverse("appraisal:detail", args=[application.pk])).content.decode()
    assert "材料审核时限" in page and "2026-03-09" in page and "鉴定办法第九条" in page
    assert "data-confirm" in page and "撤回申请" in page and "提交申请" not in page


def test_status_page_no_status_strings_needed_for_buttons(phone, worker, case):
    application = svc.application_create(actor=worker, case=case, data={"kind": "initial", "applicant_kind": "worker"})
    page = phone.get(reverse("appraisal:detail", args=[application.pk])).content.decode()
    assert "提交申请" in page and "撤回申请" not in page


def test_withdraw_page(phone, worker, case):
    vault_add(case, "injured_id")
    vault_add(case, "medical_diagnosis")
    application = svc.application_submit(actor=worker, application=svc.application_create(
        actor=worker, case=case, data={"kind": "initial", "applicant_kind": "worker"}))
    assert phone.post(reverse("appraisal:withdraw", args=[application.pk])).status_code == 302
    assert AppraisalApplication.objects.get(pk=application.pk).status == "withdrawn"


def test_messages_page(phone, worker, case):
    application = svc.application_create(actor=worker, case=case, data={"kind": "initial", "applicant_kind": "worker"})
    assert phone.post(reverse("appraisal:messages", args=[application.pk]), {"text": "何时鉴定？"}).status_code == 302
    assert AppraisalMessage.objects.get().text == "何时鉴定？"
    assert "何时鉴定？" in phone.get(reverse("appraisal:messages", args=[application.pk])).content.decode()
    assert phone.post(reverse("appraisal:messages", args=[application.pk]), {"text": ""}).status_code == 422


def test_my_list_offers_recognised_cases(phone, case):
    page = phone.get(reverse("appraisal:my_list")).content.decode()
    assert case.number in page and reverse("appraisal:apply", args=[case.pk]) in page


def test_case_page_offers_apply_then_shows_the_application(phone, worker, case):
    url = reverse("cases:detail", args=[case.pk])
    page = phone.get(url).content.decode()
    assert 'id="appraisal-apply"' in page and reverse("appraisal:apply", args=[case.pk]) in page
    application = svc.application_create(actor=worker, case=case, data={"kind": "initial", "applicant_kind": "worker"})
    page = phone.get(url).content.decode()
    assert 'id="appraisal-apply"' not in page and reverse("appraisal:detail", args=[application.pk]) in page
    assert "补齐材料后提交鉴定申请" in page
    vault_add(case, "injured_id")
    vault_add(case, "medical_diagnosis")
    svc.application_submit(actor=worker, application=application)
    page = phone.get(url).content.decode()
    assert "材料审核时限" in page and "鉴定办法第九条" in page


def test_case_page_without_recognition_offers_nothing(phone, worker, case):
    from gongshang.recognition.models import RecognitionApplication

    RecognitionApplication.objects.filter(case=case).update(status="accepted", decision_result="")
    assert 'id="appraisal-apply"' not in phone.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_items_error_shown_beside_items_and_nothing_odd_otherwise(phone, case):
    answer = phone.post(reverse("appraisal:apply", args=[case.pk]),
                        {"kind": "device", "applicant_kind": "worker", "items": ["disability_grade"]})
    text = answer.content.decode()
    assert answer.status_code == 422 and "配置辅助器具确认”的申请鉴定事项只能是" in text
    assert "built-in method" not in phone.get(reverse("appraisal:apply", args=[case.pk])).content.decode()


def test_worker_timeline_gives_each_event_its_own_words(case, worker, apr):
    from ..selectors import timeline
    from ..services import conclusions
    from .factories_conclusions import examined

    application = examined(case=case, creator=worker, apr=apr)
    conclusion = conclusions.conclusion_create(actor=apr, application=application, data={})
    conclusions.conclusion_deliver(actor=apr, application=application, method="online")
    texts = [row["text"] for row in timeline(application, for_staff=False)]
    assert f"出具鉴定结论书 {conclusion.number}" in texts, texts
    assert "结论书已网上送达，待申请人下载签收" in texts and "作出鉴定结论" in texts
    assert len(texts[-3:]) == len(set(texts[-3:])), texts   # conclusion, its document, the delivery: three texts
