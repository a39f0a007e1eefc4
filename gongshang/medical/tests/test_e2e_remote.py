"""异地就医备案 in a real browser: the worker, on a phone (375 px), goes from the case page to 异地就医
备案, files it (the confirmation answered), sees the validity and the date from which it may be changed,
and is offered no change before it (the 3-month lock)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.appraisal.tests.factories import recognised_case
from gongshang.medical.models import RemoteRegistration
from gongshang.medical.rules.remote import add_months
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    PHONE_VIEWPORT,
    answer_confirmation,
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_worker_registers_on_the_phone(page: Page, live_server, zhang_wei, employer_a, employer_user_a,
                                       screenshot_dir):  # noqa: F811
    case = recognised_case(zhang_wei, employer_a, employer_user_a)
    worker = IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")
    page.set_viewport_size(PHONE_VIEWPORT)
    login_as(page, live_server.url, worker)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("#remote-registration-link").click()
    expect(page.get_by_role("heading", name="异地就医备案")).to_be_visible()
    page.get_by_label("转诊转院", exact=False).first.check()
    page.locator("#region").select_option("370100")
    page.locator("#remote-form button[type=submit]").click()
    assert "3个月" in answer_confirmation(page)
    today = timezone.localdate()
    expect(page.locator("#current-region")).to_have_text("山东省济南市")
    expect(page.locator("#current-valid")).to_contain_text(_cn(add_months(today, 12) - timedelta(days=1)))
    expect(page.locator("#current-unlock")).to_contain_text(_cn(add_months(today, 3)))
    expect(page.locator("#locked-note")).to_be_visible()
    expect(page.locator("#remote-change")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"] + 1
    page.screenshot(path=str(screenshot_dir / "medical-remote-phone.png"), full_page=True)
    assert RemoteRegistration.objects.get().created_by == worker
