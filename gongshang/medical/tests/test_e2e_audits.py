"""现场稽核 on a tablet (1024×768) in a real browser: the team member opens 我的稽核任务, answers
checklist items (each saved at once, said so), goes offline and is told the answer was not saved
while the page keeps it, comes back online and saves it; no sideways scrolling."""

import pytest
from playwright.sync_api import Page, expect

from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from .audit_fixtures import A, inspectors, institutions, member_of, started

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TABLET = {"width": 1024, "height": 768}


def test_tablet_checklist_saves_as_you_go(page: Page, live_server, screenshot_dir):  # noqa: F811
    members = inspectors()
    institutions()
    campaign = started(members[0], members)
    visit = campaign.visits.select_related("team").get(institution__county=A)
    page.set_viewport_size(TABLET)
    login_as(page, live_server.url, member_of(visit, members))
    page.goto(f"{live_server.url}/medical/audits/mine/")
    page.get_by_role("link", name="市南医院").click()
    item = page.locator("#item-QZ02")
    item.get_by_text("不符合").click()
    expect(page.locator("#item-QZ02 .audit-status")).to_contain_text("已保存：不符合")
    box = page.locator("#item-JC01 .audit-choice").first.bounding_box()
    assert box["height"] >= 44  # a finger-sized target
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"] + 1
    page.context.set_offline(True)
    page.locator("#item-JC01").get_by_text("符合", exact=True).click()
    expect(page.locator("#item-JC01 .audit-status")).to_contain_text("未保存")
    expect(page.locator("#item-JC01 input[value=ok]")).to_be_checked()
    page.context.set_offline(False)
    page.locator("#item-JC01").get_by_text("不适用").click()
    expect(page.locator("#item-JC01 .audit-status")).to_contain_text("已保存：不适用")
    page.screenshot(path=str(screenshot_dir / "medical-audit-tablet.png"), full_page=False)
    visit.refresh_from_db()
    assert visit.checklist["QZ02"]["result"] == "fail" and visit.checklist["JC01"]["result"] == "na"
