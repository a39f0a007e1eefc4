"""The main pages at phone (375 px) and desktop (1280 px) width, in a real browser with the
Content-Security-Policy enforced: axe-core finds no serious or critical accessibility violation,
and each page is saved as a screenshot (test-artifacts/screenshots/look-<page>-<width>.png).

axe-core is injected with `add_init_script`: Playwright adds it through the DevTools protocol
before any page script runs, and the page's policy (script-src 'self', no inline script) does not
apply to it, so the pages are checked exactly as served, with no policy relaxed. The file is a
test tool, kept under tests/vendor/ (see the README there), never served by the site.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongshang.accounts.tests.factories import EmployerUserFactory, IndividualUserFactory, StaffUserFactory
from gongshang.cases.models import InjuryCase
from gongshang.quickreports import content
from gongshang.quickreports.services.submission import InjuredInput, ReportInput, quick_report_submit
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory
from gongshang.web.tests.conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
WIDTHS = {
    "375": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
    "1280": {"viewport": {"width": 1280, "height": 900}},
}
# (name, who signs in, path): the main pages of each audience.
PAGES = [
    ("home", None, "/"),
    ("login", None, "/accounts/login/"),
    ("login-individual", None, "/accounts/login/individual/"),
    ("login-employer", None, "/accounts/login/employer/"),
    ("login-staff", None, "/accounts/login/staff/"),
    ("calculator", None, "/benefits/calculator/"),
    ("individual-home", "individual", "/me/"),
    ("case-page", "individual", "/cases/{case}/"),  # 我的工伤: the one-case view
    ("guide", "individual", "/guide/"),
    ("individual-services", "individual", "/services/"),
    ("quick-report-form", "individual", "/quick-reports/new/self/"),
    ("employer-home", "employer", "/employer/"),
    ("employer-roster", "employer", "/registry/roster/"),
    ("recognition-form", "employer", "/recognition/new/"),
    ("staff-workbench", "staff", "/workbench/"),
    ("recognition-staff-queue", "staff", "/recognition/staff/"),
    ("staff-changes", "staff", "/registry/workbench/changes/"),
]
SERIOUS = {"serious", "critical"}


@pytest.fixture
def accounts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    employer = EmployerFactory(uscc="91370200MA3C5UWK4C", name="青岛海川机械制造有限公司", region="370200")
    person = InsuredPersonFactory(id_number="370202198803151237", name="张伟", mobile="13900000001")
    EnrolmentFactory(person=person, employer=employer)
    worker = IndividualUserFactory(person=person, mobile="13900000001", display_name="张伟")
    handler = EmployerUserFactory(employer=employer, username=employer.uscc, is_primary_handler=True)
    officer = StaffUserFactory(roles=["intake", "investigator", "reviewer", "benefits_reviewer"],
                               jurisdiction="370200", display_name="孙受理")
    reported = quick_report_submit(actor=handler, photos=[], data=ReportInput(  # something in the workbench's queues
        reporter_kind="employer", accident_at=timezone.now() - timedelta(hours=1), description="冲床压伤右手",
        address="青岛市市南区香港中路 100 号车间", reporter_mobile="13800000001",
        persons=[InjuredInput(name="张伟", id_number="370202198803151237", mobile="13900000001", body_part="右手")],
        pledge_version=content.PLEDGE_VERSION))
    case = InjuryCase.objects.get(number=reported.case_numbers[0])
    return {"individual": worker, "employer": handler, "staff": officer, "case": case.pk}


def serious_violations(page) -> list[str]:
    result = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                                                                   else str(n["target"]) for n in v["nodes"][:3])
            for v in result["violations"] if v["impact"] in SERIOUS]


def open_page(page, base: str, who, path: str) -> None:
    if path.startswith("/quick-reports/new/"):
        page.goto(f"{base}/quick-reports/")
        page.get_by_role("button", name="我接受该协议").click()
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status == 200, (path, response and response.status)
    page.wait_for_load_state("networkidle")
    tips = page.locator("dialog#tips[open]")
    if tips.count():
        tips.get_by_role("button", name="确定").click()
        expect(tips).to_be_hidden()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_main_pages_are_accessible_and_shot(browser, live_server, accounts, screenshot_dir, width):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **WIDTHS[width])
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    found, signed_in = {}, None
    for name, who, path in PAGES:
        if who != signed_in:
            context.clear_cookies()
            if who:
                login_as(page, live_server.url, accounts[who])
            signed_in = who
        open_page(page, live_server.url, who, path.format(case=accounts["case"]))
        if name == "staff-workbench":
            expect(page.locator("canvas#chart-quick_reports")).to_be_visible()
        found[name] = serious_violations(page)
        text = page.locator("body").inner_text()
        assert "{#" not in text and "{%" not in text and "{{" not in text, name  # no template source shown
        page.screenshot(path=str(screenshot_dir / f"look-{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["viewport"]["width"] + 1, name
    context.close()
    assert {name: v for name, v in found.items() if v} == {}


def test_phone_shows_the_tab_bar_and_desktop_the_menu(browser, live_server, accounts):
    for width, tab_bar, menu in (("375", True, False), ("1280", False, True)):
        context = browser.new_context(locale="zh-CN", **WIDTHS[width])
        page = context.new_page()
        login_as(page, live_server.url, accounts["individual"])
        page.goto(f"{live_server.url}/me/")
        bar = page.get_by_role("navigation", name="底部导航")
        (expect(bar).to_be_visible if tab_bar else expect(bar).to_be_hidden)()
        (expect(page.get_by_role("navigation", name="主导航")).to_be_visible if menu
         else expect(page.get_by_role("navigation", name="主导航")).to_be_hidden)()
        if tab_bar:
            expect(bar.get_by_role("link")).to_have_text(["首页", "办事", "进度", "消息", "我的"])
            bar.get_by_role("link", name="办事").click()
            expect(page.locator("h1")).to_have_text("办事")
            expect(bar.get_by_role("link", name="办事")).to_have_attribute("aria-current", "page")
        context.close()


def test_confirmation_opens_over_a_dimmed_backdrop(browser, live_server, accounts):
    from gongshang.accounts.services.tokens import api_token_issue

    api_token_issue(user=accounts["employer"], label="HIS 接口")
    context = browser.new_context(locale="zh-CN", **WIDTHS["375"])
    page = context.new_page()
    login_as(page, live_server.url, accounts["employer"])
    page.goto(f"{live_server.url}/accounts/tokens/")
    page.get_by_role("button", name="撤销").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog).to_be_visible()
    assert page.evaluate("document.querySelector('#confirm-dialog').matches(':modal')")
    backdrop = page.evaluate("getComputedStyle(document.querySelector('#confirm-dialog'), '::backdrop').backgroundColor")
    assert backdrop.startswith("rgba(") and not backdrop.endswith(", 0)")
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    context.close()
