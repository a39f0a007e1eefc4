"""劳动能力鉴定 in a real browser, each role from its own menu:

1. the worker, on a phone (375 px), applies from the case page without uploading anything again (the
   ID and the diagnosis are in the case's vault from recognition) and sees every deadline;
2. the 鉴定管理员 (desktop) accepts from 鉴定申请队列, plans a batch in 鉴定批次, assigns, closes and
   draws the panels (the commitment shown before, the seed after);
3. the 鉴定专家 opens 我的鉴定 and signs an opinion with the grading aid;
4. the 鉴定管理员 forms the panel's proposal on exam day and concludes; the 鉴定结论书 verifies at /v/.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from gongshang.accounts.tests.factories import IndividualUserFactory, StaffUserFactory
from gongshang.appraisal.models import AppraisalApplication, AppraisalConclusion, Expert
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    PHONE_VIEWPORT,
    answer_confirmation,
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from .factories import make_setting, make_site, recognised_case
from .factories_applications import vault_add

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


@pytest.fixture
def world(zhang_wei, employer_a, employer_user_a):
    from gongshang.benefits.demo import seed_parameters

    seed_parameters()  # the regional figures benefits are computed with
    case = recognised_case(zhang_wei, employer_a, employer_user_a)
    vault_add(case, "injured_id")          # handed in for recognition
    vault_add(case, "medical_diagnosis")
    make_setting(panel_size=3)
    make_site()
    for n, category in enumerate(["ortho", "ortho", "ortho", "neuro", "sensory", "visceral"]):
        Expert.objects.create(region="370200", name=f"专家{n}", categories=[category], title="主任医师",
                              workplace="青岛市市立医院")
    worker = IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")
    apr = StaffUserFactory(roles=["appraisal_admin"], jurisdiction="370200", display_name="郑鉴定")
    return {"case": case, "worker": worker, "apr": apr}


def worker_applies_on_the_phone(page: Page, url: str, world, shots) -> AppraisalApplication:
    page.set_viewport_size(PHONE_VIEWPORT)
    login_as(page, url, world["worker"])
    page.goto(f"{url}/me/")
    page.locator("#my-cases .case-card").first.get_by_role("link", name="查看案件详情").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    page.locator("#appraisal-apply").click()
    expect(page.locator("h1")).to_have_text("申请劳动能力鉴定")
    expect(page.locator("main")).to_contain_text("工伤认定决定由平台从案件中调取")
    page.locator('input[name="kind"][value="initial"]').check()
    no_sideways_scroll(page)
    page.screenshot(path=str(shots / "e2e-appraisal-apply-phone.png"), full_page=True)
    page.get_by_role("button", name="保存并确认材料").click()
    expect(page.locator("h1")).to_have_text("申请材料")
    expect(page.locator("body")).to_contain_text("已有，无需再交")
    no_sideways_scroll(page)
    page.get_by_role("button", name="提交申请").click()
    assert "5个工作日" in answer_confirmation(page)
    expect(page.locator("body")).to_contain_text("材料审核时限")
    expect(page.locator("body")).to_contain_text("鉴定办法第九条")
    no_sideways_scroll(page)
    page.screenshot(path=str(shots / "e2e-appraisal-submitted-phone.png"), full_page=True)
    application = AppraisalApplication.objects.get(case=world["case"])
    assert application.status == "submitted" and application.completeness_due is not None
    return application


def test_the_worker_applies_from_the_case_on_a_phone_without_uploading_again(page: Page, live_server, world,
                                                                               screenshot_dir):  # noqa: F811
    application = worker_applies_on_the_phone(page, live_server.url, world, screenshot_dir)
    # Nothing was uploaded: the vault's documents are the application's materials.
    # Only the application form the platform generated from the data was added.
    from gongshang.cases.models_vault import CaseDocument

    added = CaseDocument.objects.filter(case=application.case, uploaded_by=world["worker"])
    assert list(added.values_list("kind", flat=True)) == ["appraisal_form"]


def test_staff_expert_and_conclusion_journey(page: Page, live_server, world, screenshot_dir):  # noqa: F811
    url = live_server.url
    application = worker_applies_on_the_phone(page, url, world, screenshot_dir)

    # 鉴定管理员: 鉴定申请队列 → accept.
    page.set_viewport_size(DESKTOP)
    login_as(page, url, world["apr"])
    page.goto(f"{url}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="鉴定申请队列").click()
    page.get_by_role("link", name=application.case.number).first.click()
    page.get_by_role("button", name=re.compile("受理")).first.click()
    answer_confirmation(page)
    expect(page.locator("#application-status")).to_have_text("已受理")

    # 鉴定批次: create, assign, close, draw.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="鉴定批次").click()
    expect(page.locator("h1")).to_have_text("鉴定批次")
    form = page.locator("#batch-create")
    form.locator('input[name="exam_on"]').fill(_future_day())
    form.locator('input[name="capacity"]').fill("60")
    form.get_by_role("button", name="新建批次").click()
    answer_confirmation(page)
    expect(page.locator("h1")).to_contain_text("批次")
    commitment = page.locator("#seed-commitment").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", commitment)
    page.get_by_role("button", name=re.compile("^编入申请")).click()
    answer_confirmation(page)
    expect(page.locator("#batch-applications")).to_contain_text(application.case.number)
    page.get_by_role("button", name=re.compile("截止编入")).click()
    answer_confirmation(page)
    page.get_by_role("button", name=re.compile("抽取专家组")).click()
    answer_confirmation(page)
    expect(page.locator("#seed")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "e2e-appraisal-batch-drawn.png"), full_page=True)
    application.refresh_from_db()
    assert application.status == "scheduled" and application.panel_members.count() == 3

    # 鉴定专家: each member signs from 我的鉴定 (the first with the grading aid's item).
    for n, member in enumerate(application.panel_members.select_related("expert")):
        expert_user = StaffUserFactory(roles=["appraisal_expert"], jurisdiction="370200",
                                       display_name=member.expert.name)
        Expert.objects.filter(pk=member.expert_id).update(user=expert_user)
        login_as(page, url, expert_user)
        page.goto(f"{url}/")
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的鉴定").click()
        page.locator("#my-panels").get_by_role("link", name=application.case.number).click()
        expect(page.locator("body")).not_to_contain_text("370202198803151237")  # identity masked
        page.locator('select[name="grade"]').select_option("7")
        page.locator('[name="standard_items"]').fill("5.7.2.16")
        page.locator('[name="text"]').fill("右手食指近侧指间关节离断，符合七级。")
        page.get_by_role("button", name="签署意见").click()
        answer_confirmation(page)
        expect(page.locator("body")).to_contain_text("已签署")
        if n == 0:
            page.screenshot(path=str(screenshot_dir / "e2e-appraisal-expert-opinion.png"), full_page=True)

    # 鉴定管理员: exam day check-in (identity confirmed; the photo form is covered in test_pages_batches),
    # the proposal, then the conclusion.
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from gongshang.appraisal.services import exam as exam_services

    photo = BytesIO()
    Image.new("RGB", (32, 32), (200, 100, 50)).save(photo, "JPEG")
    exam_services.exam_check_in(actor=world["apr"], application=application, verified=True,
                                photo=SimpleUploadedFile("live.jpg", photo.getvalue(), content_type="image/jpeg"))
    login_as(page, url, world["apr"])
    batch = application.batch
    page.goto(f"{url}/appraisal/batches/{batch.pk}/")
    page.get_by_role("link", name=re.compile("现场鉴定")).first.click()
    row = page.locator(f"#exam-{application.pk}")
    expect(row).to_contain_text("七级")
    expect(row.locator(f"#grading-aid-{application.pk}")).to_contain_text("七级")
    row.locator('select[name="grade"]').select_option("7")
    row.locator('textarea[name="text"]').fill("专家组一致意见：七级伤残。")
    row.get_by_role("button", name="提交专家组意见").click()
    expect(page.locator("body")).to_contain_text("专家组")
    application.refresh_from_db()
    assert application.status == "examined"
    page.goto(f"{url}/appraisal/{application.pk}/conclusion/new/")
    expect(page.locator("#grading-aid")).to_contain_text("七级")
    page.get_by_role("button", name="作出鉴定结论").click()
    answer_confirmation(page)
    conclusion = AppraisalConclusion.objects.get(application=application)
    assert conclusion.grade == 7 and conclusion.document is not None
    page.goto(f"{url}/v/{conclusion.document.code}")
    expect(page.locator("body")).to_contain_text("鉴定结论书")
    page.screenshot(path=str(screenshot_dir / "e2e-appraisal-verified.png"), full_page=True)
    # Pushed onward: the case's entitlements, pending for a 待遇审核员.
    from gongshang.benefits.models import Entitlement

    assert Entitlement.objects.filter(case=application.case, status="pending").exists()


def _future_day() -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() + timedelta(days=10)).isoformat()
