"""我的工伤 in a real browser at phone width: the demo worker opens /me/, sees the case cards with the
current stage highlighted, and opens one case page with its stages and timeline."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from gongshang.accounts.models import User
from gongshang.core.pii.crypto import blind_index
from gongshang.web.tests.conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


def test_demo_worker_sees_case_cards_and_opens_a_case(page: Page, live_server, screenshot_dir, settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", stdout=StringIO())
    worker = User.objects.get(kind="individual", person__id_number_index=blind_index("370202198803151237"))
    page.set_viewport_size(PHONE)
    login_as(page, live_server.url, worker)
    page.goto(f"{live_server.url}/me/")
    cards = page.locator("#my-cases .case-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3
    expect(cards.first.locator('[aria-current="step"]')).to_have_count(1)
    expect(page.locator("#my-cases")).to_contain_text("回复经办机构留言")
    expect(page.locator("#my-quick-reports")).to_contain_text("案件")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # no sideways scroll
    page.screenshot(path=str(screenshot_dir / "e2e-my-cases-home-phone.png"), full_page=True)

    # The recognised case: the demo's 张伟 has applied for 初次鉴定 on it (the current stage).
    decided = page.locator("#my-cases .case-card", has_text=re.compile("初次鉴定|已作出认定决定")).first
    decided.get_by_role("link", name="查看案件详情").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    expect(page.locator("h1")).to_contain_text("工伤案件")
    expect(page.locator("#stages")).to_contain_text("认定为工伤")
    expect(page.locator("#recognition")).to_contain_text("第十四条")
    expect(page.locator("#appraisal")).to_contain_text("初次鉴定")
    expect(page.locator("#documents")).to_contain_text("认定工伤决定书")
    expect(page.locator("#timeline")).to_contain_text("经办机构已受理您的申请")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.screenshot(path=str(screenshot_dir / "e2e-my-cases-case-page-phone.png"), full_page=True)
