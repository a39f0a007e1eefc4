"""Journey: a system administrator opens 节假日维护 for 2027 (no notice entered), sees the statutory
days the engine assumes, and tries a period ending in 春节: the later date, marked 暂定, with the note."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    PHONE_VIEWPORT,
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_try_a_period_in_a_year_not_entered(page: Page, live_server, time_machine, screenshot_dir):  # noqa: F811
    time_machine.move_to(datetime(2026, 12, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
    admin = StaffUserFactory(roles=["system_admin"], jurisdiction=settings.DEFAULT_POOLING_REGION)
    login_as(page, live_server.url, admin)
    page.goto(f"{live_server.url}/core/calendar/?year=2027")
    expect(page.locator("#assumed-days")).to_contain_text("农历除夕")
    expect(page.locator("#assumed-days")).to_contain_text("推定补假")
    page.locator('input[name="start"]').fill("2027-02-04")
    page.locator('input[name="length"]').fill("1")
    page.get_by_role("button", name="试算").click()
    result = page.locator(".try-result")
    expect(result).to_contain_text("2027-02-11")
    expect(result).to_contain_text("（暂定）")
    expect(page.locator("#try-note")).to_contain_text("可能早至2027年02月09日")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"] + 1
    page.screenshot(path=str(screenshot_dir / "e2e-calendar-provisional.png"), full_page=True)
