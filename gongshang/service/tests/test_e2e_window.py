"""一窗受理 in a real browser, each role from its own menu:

1. the 综合窗口 (desktop): 综合窗口受理 → finds the case by its number → takes the worker's recognition
   application (content, five scanned materials) → ticks 鉴定 (stable) and 待遇 → 受理并登记 (confirmed) →
   the request page lists the three matters with their statutory dates → the receipt is a PDF;
2. the back office: the 鉴定管理员's 后续事项 shows the appraisal matter, 提前准备; the 待遇审核员's shows
   the benefits matter only;
3. the employer (phone, 375 px): 工伤认定申请 → its submitted application → 同时申请劳动能力鉴定、待遇 →
   ticks, confirms → the request page; after the decision the worker's case page shows the follow-ons.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.appraisal.models import AppraisalApplication
from gongshang.core.files.pdf import blank_pdf
from gongshang.service.models import WindowMatter, WindowRequest
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    PHONE_VIEWPORT,
    answer_confirmation,
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from .factories_window import BASIC_KINDS, counter_request, decide, quick_case, submitted_online

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _menu(page, label: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=label).click()


def test_window_takes_the_application_at_the_counter(page: Page, live_server, media, staff_factory, zhang_wei,
                                                     employer_user_a, tmp_path, screenshot_dir):  # noqa: F811
    case = quick_case(employer_user_a)
    window = staff_factory("window", display_name="赵窗口")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(blank_pdf())
    page.set_viewport_size(DESKTOP)
    login_as(page, live_server.url, window)
    page.goto(f"{live_server.url}/")
    _menu(page, "综合窗口受理")
    expect(page.locator("h1")).to_have_text("综合窗口受理")
    page.locator("#q").fill(case.number)
    page.locator("#window-search button").click()
    page.locator("#window-results").get_by_role("link", name="受理").click()

    start = page.locator("#start-form")
    start.locator("#circumstance").select_option("art14_1")
    start.get_by_label("门诊治疗").check()
    start.locator("#diagnosis").fill("右手食指挤压伤")
    start.get_by_role("button", name="保存申请内容").click()
    for kind in BASIC_KINDS:
        form = page.locator("#material-form")
        form.locator("#kind").select_option(kind)
        form.locator("#file").set_input_files(str(scan))
        form.get_by_role("button", name="上传").click()
        expect(page.locator(".messages")).to_contain_text("材料已上传")
    expect(page.locator("#checklist .badge-warn")).to_have_count(0)

    register = page.locator("#register-form")
    register.get_by_label("同时申请劳动能力鉴定").check()
    register.get_by_label(re.compile("伤情已相对稳定")).check()
    register.get_by_label("同时申请工伤保险待遇").check()
    register.get_by_role("button", name="受理并登记").click()
    answer_confirmation(page)
    expect(page.locator("h1")).to_contain_text(case.number)
    expect(page.locator("#matter-recognition")).to_contain_text("已受理")
    expect(page.locator("#matter-appraisal")).to_contain_text("第二十五条")
    expect(page.locator("#matter-benefits")).to_contain_text("随鉴定结论核定")
    page.screenshot(path=str(screenshot_dir / "service-window-request.png"), full_page=True)
    receipt = page.request.get(live_server.url + page.locator("#receipt-link").get_attribute("href"))
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    request = WindowRequest.objects.get()
    assert request.recognition.status == "accepted" and request.accepted_by_id == window.pk
    assert WindowMatter.objects.filter(request=request).count() == 3


def test_back_office_prepares_from_its_queue(page: Page, live_server, media, staff_factory, zhang_wei,
                                             employer_user_a, screenshot_dir):  # noqa: F811
    case = quick_case(employer_user_a)
    request = counter_request(staff_factory("window"), case)
    page.set_viewport_size(DESKTOP)
    login_as(page, live_server.url, staff_factory("appraisal_admin", display_name="钱鉴定"))
    page.goto(f"{live_server.url}/")
    _menu(page, "后续事项")
    table = page.locator("#queue-table")
    expect(table).to_contain_text(case.number)
    expect(table).to_contain_text("劳动能力鉴定")
    expect(table).not_to_contain_text("工伤保险待遇核定")
    table.get_by_role("button", name="提前准备").click()
    expect(page.locator(".messages")).to_contain_text("提前准备")
    expect(table).to_contain_text("已提前准备")
    assert WindowMatter.objects.get(request=request, kind="appraisal").status == "prepared"

    login_as(page, live_server.url, staff_factory("benefits_reviewer", display_name="孙待遇"))
    page.goto(f"{live_server.url}/")
    _menu(page, "后续事项")
    expect(page.locator("#queue-table")).to_contain_text("工伤保险待遇核定")
    expect(page.locator("#queue-table")).not_to_contain_text("劳动能力鉴定")


def test_employer_ticks_the_boxes_online_and_the_worker_sees_the_follow_ons(
        page: Page, live_server, media, staff_factory, zhang_wei, employer_user_a, screenshot_dir):  # noqa: F811
    case = quick_case(employer_user_a)
    application = submitted_online(employer_user_a, case)
    page.set_viewport_size(DESKTOP)
    login_as(page, live_server.url, employer_user_a)
    page.goto(f"{live_server.url}/")
    _menu(page, "工伤认定申请")
    page.set_viewport_size(PHONE_VIEWPORT)  # the handler goes on on the phone
    page.get_by_role("link", name=case.number).first.click()
    page.locator("#window-link").get_by_role("link").click()
    page.get_by_label("同时申请劳动能力鉴定").check()
    page.get_by_label(re.compile("伤情已相对稳定")).check()
    page.get_by_label("同时申请工伤保险待遇").check()
    page.get_by_role("button", name="确认申请").click()
    answer_confirmation(page)
    expect(page.locator("#window-status")).to_have_text("认定办理中")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"] + 1
    page.screenshot(path=str(screenshot_dir / "service-window-online-phone.png"), full_page=True)
    request = WindowRequest.objects.get(recognition=application)
    assert request.channel == "online"

    # the recognition desk accepts and decides as usual; the follow-ons start by themselves
    from gongshang.recognition.services import intake

    intake_user = staff_factory("intake")
    application = intake.application_allocate(actor=intake_user, application=application, assignee_id=intake_user.pk)
    intake.application_accept(actor=intake_user, application=application)
    decide(staff_factory("reviewer"), application)
    assert AppraisalApplication.objects.filter(case=case, status="submitted").count() == 1

    worker = IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")
    login_as(page, live_server.url, worker)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    section = page.locator("#window-matters-section")
    expect(section).to_contain_text("后续事项已自动发起")
    expect(section).to_contain_text("鉴定申请")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"] + 1
