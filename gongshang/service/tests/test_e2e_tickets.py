"""12333 end to end, each role from its own menu (clock pinned, a real browser):

1. the hotline agent signs in (password + TOTP), opens 坐席工作台 from the menu, looks the caller up
   (masked), searches the knowledge base, files an accident by phone: the ticket page says the code
   went by SMS to the caller, and the outbox holds that SMS with the code;
2. the 受理员 finds the phoned-in report in the 快报收件箱 (marked 12333 热线代报);
3. a complaint transferred to the 受理员 desk: the desk opens 12333 工单 → 转办给我岗位的 and replies;
   the agent closes it after telling the caller;
4. the agent's screen fits a 375 px phone without sideways scrolling.
"""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from gongshang.accounts.tests.factories import PASSWORD
from gongshang.core.models import OutboxMessage
from gongshang.quickreports.models import QuickReport
from gongshang.service.models import Ticket
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    answer_confirmation,
    browser_context_args,
    browser_type_launch_args,
    screenshot_dir,
)

from .factories_tickets import hotline, make_article, make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TZ = ZoneInfo("Asia/Shanghai")
CALL = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def clock():
    with time_machine.travel(CALL, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(clock, zhang_wei, staff_factory):
    make_article()
    return {"clock": clock, "agent": hotline(display_name="褚坐席", username="hotline-e2e"),
            "intake": staff_factory("intake", display_name="孙受理", username="intake-e2e")}


def sign_in(page: Page, base: str, user, clock) -> None:
    from gongshang.conftest import current_totp

    clock.shift(31)  # a TOTP code is accepted once: a second sign-in waits for the next one
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/staff/")
    page.locator('input[name="username"]').fill(user.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="otp"]').fill(current_totp(user))
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/workbench/$"))


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()


def agent_files_an_accident(page: Page, base: str, world, shots) -> Ticket:
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, world["agent"], world["clock"])
    menu(page, "坐席工作台")
    expect(page.locator("h1")).to_have_text("坐席工作台")
    # Who is calling: the person and their cases, masked.
    page.locator("#caller-lookup").get_by_label("身份证号", exact=True).fill("370202198803151237")
    page.get_by_role("button", name="查询来电人").click()
    expect(page.locator("#lookup-persons")).to_contain_text("370202********1237")
    expect(page.locator("#lookup-persons")).to_contain_text("张*")
    # The answer, with its article.
    page.locator("#kb-q").fill("交通事故")
    page.get_by_role("button", name="检索").click()
    expect(page.locator("#kb-results")).to_contain_text("上下班途中发生交通事故能认定工伤吗")
    page.locator("#kb-results summary").first.click()
    expect(page.locator("#kb-results")).to_contain_text("第十四条")
    # The call reports an accident: file it.
    form = page.locator("#ticket-form")
    form.get_by_label("类别").select_option("accident_filing")
    form.get_by_label("来电人姓名").fill("周师傅")
    form.get_by_label("来电号码").fill("13812340009")
    form.get_by_label("来电内容").fill("工友在车间被机床夹伤右手，单位尚未上报")
    form.get_by_label("事故发生时间").fill("2026-11-03T08:30")
    form.get_by_label("事故发生地点").fill("青岛市城阳区演示工业园 3 号车间")
    form.get_by_label("事故经过").fill("操作机床时右手被夹伤，已送医院")
    form.get_by_label("受伤人员姓名").fill("吴磊")
    form.get_by_label("已向来电人宣读《工伤快报承诺书》，来电人同意").check()
    page.screenshot(path=str(shots / "e2e-service-agent-desk.png"), full_page=True)
    form.get_by_role("button", name="登记工单").click()
    assert "工伤快报" in answer_confirmation(page)
    expect(page.locator(".messages")).to_contain_text("快报唯一标志码已短信发送至 138****0009")
    expect(page.locator("#sms-status")).to_contain_text("发送至 138****0009")
    expect(page.locator("body")).not_to_contain_text("13812340009")
    page.screenshot(path=str(shots / "e2e-service-ticket-filed.png"), full_page=True)
    ticket = Ticket.objects.get(category="accident_filing")
    assert ticket.quick_report is not None and ticket.created_by == world["agent"]
    sms = OutboxMessage.objects.get(template="sms_quickreport_code")
    assert sms.recipient == "13812340009"
    assert re.search(r"快报唯一标志码：[0-9A-Z-]{12,}", sms.body), sms.body
    return ticket


def intake_sees_the_report(page: Page, base: str, world, ticket, shots) -> None:
    sign_in(page, base, world["intake"], world["clock"])
    menu(page, "快报收件箱")
    case_number = QuickReport.objects.get(pk=ticket.quick_report_id).accident.cases.get().number
    row = page.locator("li.panel", has_text=case_number)
    expect(row).to_contain_text("12333 热线代报")
    page.screenshot(path=str(shots / "e2e-service-quickreport-inbox.png"), full_page=True)


def desk_replies_and_agent_closes(page: Page, base: str, world, shots) -> None:
    from gongshang.service.services.tickets import ticket_transfer

    complaint = make_ticket(world["agent"], category="complaint", summary="单位拒绝为其申请工伤认定")
    ticket_transfer(actor=world["agent"], ticket=complaint, desk="intake", note="请联系单位核实")
    menu(page, "12333 工单")
    page.locator("#ticket-views").get_by_role("link", name="转办给我岗位的").click()
    page.get_by_role("link", name=complaint.number).click()
    expect(page.locator("#ticket-desk")).to_have_text("受理员")
    page.get_by_label("答复内容").fill("已联系单位，单位同意在 30 日内提出工伤认定申请。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator("#ticket-status")).to_contain_text("已答复")
    expect(page.locator("#close-panel")).to_have_count(0)   # closing is the agent's
    sign_in(page, base, world["agent"], world["clock"])
    menu(page, "12333 工单")
    page.locator("#ticket-views").get_by_role("link", name="投诉（跟踪至办结）").click()
    page.get_by_role("link", name=complaint.number).click()
    page.get_by_label("办结说明（已告知来电人的内容）").fill("已电话告知来电人单位将申请工伤认定。")
    page.get_by_role("button", name="办结").click()
    assert "办结" in answer_confirmation(page)
    expect(page.locator("#ticket-status")).to_contain_text("已办结")
    page.screenshot(path=str(shots / "e2e-service-ticket-closed.png"), full_page=True)
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.events.count() == 4


def agent_desk_fits_a_phone(page: Page, base: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/service/tickets/desk/")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths


def test_hotline_journey(page: Page, live_server, world, screenshot_dir):  # noqa: F811
    base = live_server.url
    ticket = agent_files_an_accident(page, base, world, screenshot_dir)
    intake_sees_the_report(page, base, world, ticket, screenshot_dir)
    desk_replies_and_agent_closes(page, base, world, screenshot_dir)
    agent_desk_fits_a_phone(page, base)


def test_window_and_prevention_journeys(page: Page, live_server, clock, staff_factory,
                                        screenshot_dir):  # noqa: F811
    """The 综合窗口 registers a visitor's question from its own menu and answers it at once; the
    工伤预防专管员 adds a 服务参数 version from 服务参数 (the next tickets take its due days)."""
    from gongshang.service.models import ServiceSetting

    base = live_server.url
    window = staff_factory("window", display_name="王窗口", username="window-e2e")
    prevention = staff_factory("prevention", display_name="李预防", username="prevention-e2e")
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, window, clock)
    menu(page, "坐席工作台")
    form = page.locator("#ticket-form")
    form.get_by_label("来源渠道").select_option("window")
    form.get_by_label("类别").select_option("consultation")
    form.get_by_label("来电内容").fill("停工留薪期期间的工资由谁发放？")
    form.get_by_label("当场答复（填写后直接办结）").fill("由用人单位按原工资福利待遇按月支付（条例第三十三条）。")
    form.get_by_label("来电号码").fill("13812340011")
    form.get_by_role("button", name="登记工单").click()
    answer_confirmation(page)
    expect(page.locator(".messages")).to_contain_text("已当场答复并办结")
    expect(page.locator("#ticket-status")).to_contain_text("已办结")
    expect(page.get_by_role("button", name="查看完整号码")).to_have_count(0)   # the window sees no full numbers
    menu(page, "12333 工单")
    expect(page.locator("#ticket-table")).to_contain_text("政策咨询")
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.status, ticket.created_by) == ("window", "closed", window)

    sign_in(page, base, prevention, clock)
    menu(page, "服务参数")
    expect(page.locator("#current-setting")).to_contain_text("政策咨询 2 天")
    setting = page.locator("#setting-form")
    setting.get_by_label("生效日期").fill("2026-12-01")
    # The 专管员 answers for the prevention cap (the tickets' days are the hotline's figures).
    setting.get_by_label("工伤预防费上限（占上年度基金征缴收入的百分比）").fill("2.50")
    setting.get_by_label("依据").fill("演示值")
    setting.get_by_role("button", name="新增版本").click()
    answer_confirmation(page)
    expect(page.locator(".messages")).to_contain_text("已添加自 2026-12-01 起生效的服务参数")
    expect(page.locator("#setting-versions")).to_contain_text("2026-12-01 起")
    page.screenshot(path=str(screenshot_dir / "e2e-service-settings.png"), full_page=True)
    assert ServiceSetting.objects.get().prevention_cap_percent == Decimal("2.50")
