"""工伤待遇 journeys in a real browser: a person uses the public calculator at phone width and sees
each item with its article; one 待遇审核员 creates a payroll run, a second approves, the first
releases and downloads the bank file."""

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.demo import seed_parameters
from gongshang.benefits.services import entitlements as ent
from gongshang.benefits.services.entitlements import CreateInput
from gongshang.web.tests.conftest import answer_confirmation

from .factories import make_case, record

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo@2026"
PHONE = {"width": 375, "height": 812}


def test_public_calculator_at_phone_width(page: Page, live_server, screenshot_dir):
    seed_parameters()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/benefits/calculator/")
    page.locator('input[name="injury_date"]').fill("2025-06-01")
    page.locator('select[name="disability_grade"]').select_option("3")
    page.locator('input[name="own_wage"]').fill("6000")
    page.get_by_role("button", name="计算").click()
    result = page.locator("#result")
    expect(result).to_contain_text("6000.00")
    subsidy = result.locator('[data-code="one_time_disability_subsidy"]')
    expect(subsidy).to_contain_text("138000.00")
    expect(subsidy).to_contain_text("第三十五条")
    expect(result.locator('[data-code="disability_allowance"]')).to_contain_text("4800.00")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # no sideways scroll
    page.screenshot(path=str(screenshot_dir / "e2e-benefits-calculator-phone.png"), full_page=True)


def staff_page(browser, base: str, user):
    from gongshang.conftest import current_totp

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/staff/")
    page.locator('input[name="username"]').fill(user.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="otp"]').fill(current_totp(user))
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/workbench/$"))
    return page


@pytest.fixture
def paid_case(staff_factory, zhang_wei, employer_a):
    seed_parameters()
    maker, checker = staff_factory(StaffRole.BENEFITS_REVIEWER), staff_factory(StaffRole.BENEFITS_REVIEWER)
    case = make_case(zhang_wei, employer_a)
    record(maker, case, grade=3)
    ent.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(bank_name="青岛银行",
                                                                           bank_account="6222000011112222"))
    ent.entitlements_approve(actor=checker, case_id=case.pk)
    return maker, checker


def test_payroll_two_people_release_and_bank_file(page: Page, live_server, paid_case, screenshot_dir):
    maker, checker = paid_case
    base = live_server.url
    first = staff_page(page.context.browser, base, maker)
    first.goto(f"{base}/benefits/payroll/")
    first.locator('input[name="period"]').fill("2025-11")
    first.get_by_role("button", name="生成发放").click()
    expect(first.locator("#run-total")).to_contain_text("2 笔，142800.00 元")
    expect(first.locator("#run-deadline")).to_contain_text("2025-11-20")
    run_url = first.url

    second = staff_page(page.context.browser, base, checker)
    second.goto(run_url)
    second.get_by_role("button", name="复核通过").click()
    expect(second.locator("h1")).to_contain_text("已复核")

    first.goto(run_url)
    first.get_by_role("button", name="放行报盘").click()
    answer_confirmation(first)
    expect(first.locator("h1")).to_contain_text("已发放")
    with first.expect_download() as download:
        first.get_by_role("link", name="下载报盘 CSV").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert rows[0][:5] == ["支付流水号", "收款人", "开户银行", "银行账号", "金额"]
    assert sorted(r[4] for r in rows[1:]) == ["138000.00", "4800.00"]
    first.screenshot(path=str(screenshot_dir / "e2e-benefits-payroll-released.png"), full_page=True)
