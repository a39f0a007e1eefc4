"""User journeys in a real browser: employer and staff log in on a phone-sized screen."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from gongshang.accounts.models import StaffRoleAssignment, User
from gongshang.registry.models import Employer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo@2026"
EMPLOYER_USCC = "91370200MA3C5UWK4C"
EMPLOYER_NAME = "青岛海川机械制造有限公司"
PHONE_WIDTH = 375


@pytest.fixture
def employer_handler():
    employer = Employer.objects.create(
        uscc=EMPLOYER_USCC,
        name=EMPLOYER_NAME,
        region="370200",
        legal_rep_name="王海川",
        legal_rep_id_number="370202198001011234",
    )
    return User.objects.create_user(
        username=EMPLOYER_USCC, password=PASSWORD, kind="employer", employer=employer,
        is_primary_handler=True, display_name="刘经办",
    )


@pytest.fixture
def reviewer():
    user = User.objects.create_user(
        username="reviewer", password=PASSWORD, kind="staff", jurisdiction="370200", display_name="审核员",
    )
    StaffRoleAssignment.objects.create(user=user, role="reviewer")
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user, device


def current_totp(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def staff_login(page: Page, base_url: str, user: User, device: TOTPDevice) -> None:
    page.goto(f"{base_url}/accounts/login/staff/")
    page.locator('input[name="username"]').fill(user.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="otp"]').fill(current_totp(device))
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/workbench/$"))


def assert_no_horizontal_scroll(page: Page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH + 1, f"{page.url} scrolls sideways at {PHONE_WIDTH}px: {scroll_width}px wide"


def test_employer_logs_in_and_sees_home(page: Page, live_server, employer_handler, screenshot_dir):
    page.goto(f"{live_server.url}/accounts/login/employer/")
    page.locator('input[name="username"]').fill(EMPLOYER_USCC)
    page.locator('input[name="password"]').fill(PASSWORD)
    # CAPTCHA_TEST_MODE=True in config.settings.test: "PASSED" is accepted for any challenge.
    expect(page.locator('input[name="captcha_0"]')).to_be_hidden()
    page.locator('input[name="captcha_1"]').fill("PASSED")
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/employer/$"))
    expect(page.locator("h1")).to_contain_text(EMPLOYER_NAME)

    shot = screenshot_dir / "e2e-employer-home.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.is_file() and shot.stat().st_size > 0


def test_staff_logs_in_with_totp_and_sees_workbench(page: Page, live_server, reviewer, screenshot_dir):
    user, device = reviewer
    staff_login(page, live_server.url, user, device)
    expect(page.locator("body")).to_contain_text("经办工作台")

    shot = screenshot_dir / "e2e-staff-home.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.is_file() and shot.stat().st_size > 0


def test_staff_pages_fit_a_phone_screen(page: Page, live_server, reviewer):
    user, device = reviewer
    page.goto(f"{live_server.url}/accounts/login/staff/")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    assert_no_horizontal_scroll(page)

    staff_login(page, live_server.url, user, device)
    assert_no_horizontal_scroll(page)
