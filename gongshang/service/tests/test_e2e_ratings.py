"""好差评 in a real browser, each role from its own menu: the worker on a phone (375 px) opens 办事 →
服务评价, rates his decided recognition 不满意 with a comment and sees when he will hear back; the
hotline agent opens 差评整改 from the main menu, finds that follow-up (overdue ones first), closes it
with the outcome after the confirmation; the worker then reads the outcome on 服务评价."""

import pytest
from playwright.sync_api import Page, expect

from gongshang.core.models import OutboxMessage
from gongshang.service.models import Rating, RatingFollowUp
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    PHONE_VIEWPORT,
    answer_confirmation,
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from .factories_ratings import *  # noqa: F403
from .factories_ratings import make_recognition

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True),
              pytest.mark.time_machine("2026-09-30 10:00 +08:00", tick=True)]
DESKTOP = {"width": 1280, "height": 900}


def test_bad_rating_followed_up_on_time(page: Page, live_server, worker, case, employer_user_a, hotline,
                                        screenshot_dir):  # noqa: F811
    application = make_recognition(case, employer_user_a)
    # The worker, on his phone: 办事 → 服务评价.
    page.set_viewport_size(PHONE_VIEWPORT)
    login_as(page, live_server.url, worker)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="底部导航").get_by_role("link", name="办事").click()
    page.get_by_role("navigation", name="办事事项").get_by_role("link", name="服务评价").click()
    expect(page.get_by_role("heading", name="服务评价", exact=True)).to_be_visible()
    card = page.locator(f"#rate-recognition-{application.pk}")
    expect(card).to_contain_text(f"工伤认定申请（案件 {case.number}）")
    card.get_by_text("2 分 不满意").click()
    card.get_by_label("评价内容（可不填）").fill("补正材料退回了两次，每次只说一项。")
    card.get_by_role("button", name="提交评价").click()
    # 5 working days over 国庆 (1-7 October rest, Saturday 10 October worked): 13 October.
    expect(page.locator(".messages")).to_contain_text("2026年10月13日前核实整改")
    expect(page.locator("#waiting-empty")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"] + 1
    page.screenshot(path=str(screenshot_dir / "service-ratings-phone.png"), full_page=True)
    rating = Rating.objects.get()
    assert (rating.score, rating.rater_id, rating.follow_up.status) == (2, worker.pk, "open")

    # The hotline agent, at the desk: 差评整改 from the main menu.
    page.set_viewport_size(DESKTOP)
    login_as(page, live_server.url, hotline)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="差评整改", exact=True).click()
    row = page.locator(f"#followup-{rating.follow_up.pk}")
    expect(row).to_contain_text("2026-10-13")
    expect(row).to_contain_text("张*（个人）")
    row.get_by_role("link", name="办结整改").click()
    page.get_by_label("核实整改情况").fill("已核实。补正改为一次性告知全部事项，并向张先生致歉。")
    page.get_by_role("button", name="办结并告知评价人").click()
    assert "不能再修改" in answer_confirmation(page)
    expect(page.locator(".messages")).to_contain_text("差评整改已办结")
    follow_up = RatingFollowUp.objects.get()
    assert follow_up.status == "closed" and follow_up.closed_by_id == hotline.pk
    assert OutboxMessage.objects.get(template="sms_rating_follow_up").recipient == "13900000001"

    # The worker reads the outcome.
    page.set_viewport_size(PHONE_VIEWPORT)
    login_as(page, live_server.url, worker)
    page.goto(f"{live_server.url}/service/ratings/mine/")
    expect(page.get_by_test_id("follow-up-outcome")).to_contain_text("补正改为一次性告知全部事项")


def test_employer_rates_window_closes_leader_reads_the_report(page: Page, live_server, case, employer_user_a,
                                                               window_staff, leader, screenshot_dir):  # noqa: F811
    """At the desk (desktop): the employer's handler rates from 服务评价 非常不满意; 王窗口 closes the
    follow-up from 差评整改; 韩领导 opens 好差评统计 and downloads the Excel file."""
    application = make_recognition(case, employer_user_a)
    page.set_viewport_size(DESKTOP)
    nav = page.get_by_role("navigation", name="主导航")
    login_as(page, live_server.url, employer_user_a)
    page.goto(f"{live_server.url}/")
    nav.get_by_role("link", name="服务评价", exact=True).click()
    card = page.locator(f"#rate-recognition-{application.pk}")
    card.get_by_text("1 分 非常不满意").click()
    card.get_by_role("button", name="提交评价").click()
    expect(page.locator(".messages")).to_contain_text("核实整改")

    login_as(page, live_server.url, window_staff)
    page.goto(f"{live_server.url}/")
    nav.get_by_role("link", name="差评整改", exact=True).click()
    page.locator("#followup-table").get_by_role("link", name="办结整改").click()
    page.get_by_label("核实整改情况").fill("已核实：认定进度将按节点短信提醒单位经办人。")
    page.get_by_role("button", name="办结并告知评价人").click()
    answer_confirmation(page)
    expect(page.locator(".messages")).to_contain_text("差评整改已办结")

    login_as(page, live_server.url, leader)
    page.goto(f"{live_server.url}/")
    nav.get_by_role("link", name="好差评统计", exact=True).click()
    expect(page.locator("#total-count")).to_have_text("1")
    expect(page.locator("#total-followups")).to_contain_text("按时办结 1")
    expect(page.locator("#report-table")).to_contain_text("工伤认定")
    page.screenshot(path=str(screenshot_dir / "service-ratings-report.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    assert download.value.suggested_filename == "rating-report-20260930.xlsx"
