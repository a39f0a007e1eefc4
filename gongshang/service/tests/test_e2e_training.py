"""工伤预防培训 end to end, each role from its own menu (clock pinned to the training morning):

1. the 合作经办人员 (desktop) opens 培训班次 from the menu and registers a session of the contracted
   project on an approved course; the session page shows the sign-in QR code;
2. a trainee on a 375 px phone opens the sign-in address (what the QR holds), signs in and answers
   the questionnaire; nothing scrolls sideways;
3. the 工伤预防专管员 opens 培训班次 from the menu, the session, sees the trainee, fills the evaluation
   form and reads the session's score (60% form, 40% questionnaire);
4. the 分管领导 reads the session from the menu, without any button to act.
"""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from gongshang.service.models import Attendance, Evaluation, TrainingSession
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from .factories_training import CourseFactory, ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TZ = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 11, 10, 8, 50, tzinfo=TZ)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(clock, staff_factory):
    project = ProjectFactory(title="危化品企业工伤预防能力提升培训")
    course = CourseFactory(title="化工产业工伤预防的措施及方法", trainer__name="孙立新")
    return {"project": project, "course": course,
            "cooperator": staff_factory("cooperator", display_name="钱合作"),
            "prevention": staff_factory("prevention", display_name="李预防"),
            "leader": staff_factory("leader", display_name="韩领导")}


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()


def no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


def cooperator_registers_the_session(page: Page, url: str, world, shots) -> TrainingSession:
    page.set_viewport_size(DESKTOP)
    login_as(page, url, world["cooperator"])
    page.goto(f"{url}/")
    menu(page, "培训班次")
    expect(page.locator("h1")).to_have_text("工伤预防培训班次")
    expect(page.locator("#session-list")).to_contain_text("还没有符合条件的培训班次")
    form = page.locator("#session-form")
    form.get_by_label("工伤预防项目").select_option(label="危化品企业工伤预防能力提升培训")
    form.get_by_label("课程").select_option(label="化工产业工伤预防的措施及方法（孙立新）")
    form.get_by_label("培训场所类别").select_option(label="企业")
    form.get_by_label("培训地点").fill("金乡县新材料园区七洲化工会议室")
    form.get_by_label("参训行业").fill("化工")
    form.get_by_label("开始时间").fill("2026-11-10T09:00")
    form.get_by_label("结束时间").fill("2026-11-10T11:30")
    form.get_by_label("计划人数").fill("110")
    form.get_by_role("button", name="登记并生成签到二维码").click()
    expect(page.locator(".messages")).to_contain_text("已登记培训班次")
    expect(page.locator("#session-qr svg.qr")).to_be_visible()
    expect(page.locator("#session-summary")).to_contain_text("2026-11-10 09:00–11:30")
    expect(page.locator("#session-summary")).to_contain_text("签到进行中")
    page.screenshot(path=str(shots / "e2e-training-session-qr.png"), full_page=True)
    session = TrainingSession.objects.get()
    expect(page.locator("#sign-in-url")).to_have_text(re.compile(rf"/service/t/{session.sign_in_token}/$"))
    assert session.created_by == world["cooperator"] and session.expected_trainees == 110
    return session


def trainee_signs_in_on_the_phone(page: Page, url: str, session, shots) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(f"{url}/service/t/{session.sign_in_token}/")
    expect(page.locator("h1")).to_have_text("工伤预防培训签到")
    expect(page.locator("#sign-in-session")).to_contain_text("化工产业工伤预防的措施及方法")
    no_sideways_scroll(page)
    page.get_by_label("姓名").fill("王强")
    page.get_by_label("手机号").fill("139 1234 5678")
    page.get_by_label("工作单位").fill("七洲绿色化工公司")
    page.screenshot(path=str(shots / "e2e-training-sign-in-phone.png"), full_page=True)
    page.get_by_role("button", name="签到").click()
    expect(page).to_have_url(re.compile(r"/questionnaire/$"))
    expect(page.locator(".messages")).to_contain_text("王强，签到成功")
    no_sideways_scroll(page)
    for code, value in (("relevance", 5), ("clarity", 4), ("usefulness", 5), ("organisation", 3), ("overall", 4)):
        page.locator(f"input[name='{code}'][value='{value}']").check()
    page.screenshot(path=str(shots / "e2e-training-questionnaire-phone.png"), full_page=True)
    page.get_by_role("button", name="提交问卷").click()
    expect(page.locator("#questionnaire-done")).to_contain_text("问卷已提交")
    attendance = Attendance.objects.get()
    assert (attendance.name, attendance.mobile, attendance.employer_name) == ("王强", "13912345678", "七洲绿色化工公司")
    assert Evaluation.objects.get(attendance=attendance).score == Decimal("80.00")


def prevention_records_the_evaluation_form(page: Page, url: str, world, session, shots) -> None:
    page.set_viewport_size(DESKTOP)
    login_as(page, url, world["prevention"])
    page.goto(f"{url}/")
    menu(page, "培训班次")
    page.locator("#session-list").get_by_role("link", name="2026-11-10 09:00–11:30").click()
    expect(page).to_have_url(f"{url}/service/training/sessions/{session.pk}/")
    expect(page.locator("#session-status")).to_have_text("已开班")
    expect(page.locator("#attendance")).to_contain_text("王强")
    expect(page.locator("#attendance")).to_contain_text("139****5678")
    expect(page.locator("#attendance")).not_to_contain_text("13912345678")
    expect(page.locator("#session-scores")).to_contain_text("80.00")
    form = page.locator("#evaluation-form")
    for code, mark in (("content", "9"), ("trainer", "10"), ("turnout", "8"), ("organisation", "7"),
                       ("records", "9")):
        form.locator(f"#id_{code}").fill(mark)
    form.get_by_label("评估意见").fill("师资按时到场，按课件授课，学员互动积极。")
    form.get_by_role("button", name="提交评估表").click()
    expect(page.locator(".messages")).to_contain_text("评估表已提交，得分 87.00")
    expect(page.locator("#session-score")).to_have_text("84.20")    # 87 × 60% + 80 × 40%
    expect(page.locator("#evaluation-forms")).to_contain_text("李预防")
    page.screenshot(path=str(shots / "e2e-training-evaluated.png"), full_page=True)
    form_row = Evaluation.objects.get(kind="evaluation_form")
    assert (form_row.score, form_row.submitted_by) == (Decimal("87.00"), world["prevention"])


def leader_reads_the_session(page: Page, url: str, world, session) -> None:
    login_as(page, url, world["leader"])
    page.goto(f"{url}/")
    menu(page, "培训班次")
    expect(page.locator("#session-form")).to_have_count(0)
    page.locator("#session-list").get_by_role("link", name="2026-11-10 09:00–11:30").click()
    expect(page.locator("#session-score")).to_have_text("84.20")
    expect(page.locator("#evaluation-form")).to_have_count(0)
    expect(page.get_by_role("button", name="结班")).to_have_count(0)
    expect(page.get_by_role("button", name="上传")).to_have_count(0)


def test_training_journey(page: Page, live_server, world, clock, screenshot_dir):  # noqa: F811
    url = live_server.url
    session = cooperator_registers_the_session(page, url, world, screenshot_dir)
    clock.move_to(datetime(2026, 11, 10, 9, 5, tzinfo=TZ))
    trainee_signs_in_on_the_phone(page, url, session, screenshot_dir)
    clock.move_to(datetime(2026, 11, 10, 11, 40, tzinfo=TZ))
    prevention_records_the_evaluation_form(page, url, world, session, screenshot_dir)
    leader_reads_the_session(page, url, world, session)
