"""Journey (issue 5, item 12): the employer opens the quick-report case, starts the application,
sees the missing materials, uploads them and submits; staff allocate, accept and decide; the
employer downloads the decision PDF."""

import pytest
from playwright.sync_api import Page, expect

from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.recognition.models import RecognitionApplication
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    PHONE_VIEWPORT,
    answer_confirmation,
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from .conftest import pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
KINDS = ["application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record"]




def test_quick_report_to_decision_journey(page: Page, live_server, employer_user_a, quick_case, tmp_path,
                                          screenshot_dir):  # noqa: F811
    officer = StaffUserFactory(roles=["intake", "reviewer"], jurisdiction="370200", display_name="孙受理")
    material = tmp_path / "material.pdf"
    material.write_bytes(pdf_bytes())

    login_as(page, live_server.url, employer_user_a)
    page.goto(f"{live_server.url}/recognition/")
    page.get_by_role("button", name="从该案件申请认定").click()
    expect(page.locator("h1")).to_contain_text("修改工伤认定申请")
    assert page.locator('input[name="injured_name"]').input_value() == "张伟"
    expect(page.locator(".steps-status")).to_contain_text("第 1 步，共 6 步")  # the long form comes in steps
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="三、受伤信息").click()
    page.locator('select[name="circumstance"]').select_option("art14_1")
    page.locator('input[name="treatments"][value="outpatient"]').check()
    expect(page.locator("#checklist-preview")).to_contain_text("门诊病历")
    page.locator('input[name="diagnosis"]').fill("右手食指挤压伤")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="下一步").click()
    expect(page.locator(".steps-status")).to_contain_text("第 6 步，共 6 步：六、经办人信息")
    page.locator('select[name="handling_region"]').select_option("370200")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#missing-count")).to_contain_text("还缺 5 项材料")
    for kind in KINDS:
        page.locator('select[name="kind"]').select_option(kind)
        page.locator('input[name="file"]').set_input_files(str(material))
        page.get_by_role("button", name="上传材料").click()
    expect(page.locator("#missing-count")).to_contain_text("材料已齐全")
    page.get_by_role("button", name="提交申请").click()
    answer_confirmation(page)
    expect(page.locator("#application-status")).to_contain_text("待分配")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"] + 1
    page.screenshot(path=str(screenshot_dir / "e2e-recognition-submitted.png"), full_page=True)

    login_as(page, live_server.url, officer)
    page.goto(f"{live_server.url}/recognition/staff/")
    page.locator('input[name="ids"]').first.check()
    page.get_by_role("button", name="分配所选申请").click()
    application = RecognitionApplication.objects.get()
    page.goto(f"{live_server.url}/recognition/staff/{application.pk}/")
    page.get_by_role("button", name="受理", exact=True).click()
    answer_confirmation(page)
    expect(page.locator("#application-status")).to_contain_text("已受理")
    page.locator('#decide-form select[name="result"]').select_option("recognized")
    page.locator('#decide-form input[name="article"]').fill("《工伤保险条例》第十四条第（一）项")
    page.locator('#decide-form textarea[name="reasoning"]').fill("在工作时间和工作场所内因工作原因受伤，事实清楚。")
    page.get_by_role("button", name="作出认定决定").click()
    answer_confirmation(page)
    expect(page.locator("#application-status")).to_contain_text("已作出认定")

    login_as(page, live_server.url, employer_user_a)
    page.goto(f"{live_server.url}/recognition/{application.pk}/")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载并签收").click()
        answer_confirmation(page)
    with open(info.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    application.refresh_from_db()
    assert application.status == "delivered" and application.decision_result == "recognized"
