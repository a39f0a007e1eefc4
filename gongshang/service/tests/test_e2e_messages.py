"""案件留言 in a real browser, each role from its own menu:

- the worker on a phone (375 px): 首页 → 我的工伤 → the case → 留言, sends a message with a photo; the
  受理员 replies (through the service); the worker sees the unread badge on the case page, opens the
  thread, reads the reply, and the badge is gone (also from the 消息 tab's 我的留言);
- the 受理员 at desktop width: menu 案件留言 → the waiting case → replies (the worker's SMS, without
  content, is in the outbox) → turns the worker's message into the 补正 notice (confirmation answered);
- the employer's handler: menu 我的留言 → the case → writes in the same thread.
"""

from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.benefits.tests.factories import make_case
from gongshang.core.models import OutboxMessage
from gongshang.recognition.models import RecognitionApplication
from gongshang.service.models import CaseMessage
from gongshang.service.services.messages import NOTICE_TEMPLATE, message_send
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    PHONE_VIEWPORT,
    answer_confirmation,
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from .factories_messages import application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _photo(tmp_path) -> str:
    path = tmp_path / "伤口照片.jpg"
    Image.new("RGB", (320, 240), (200, 120, 90)).save(path, "JPEG")
    return str(path)


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"] + 1


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()


def test_worker_sends_a_photo_and_reads_the_reply_on_the_phone(page: Page, live_server, zhang_wei, employer_a,
                                                               staff_factory, tmp_path, screenshot_dir):  # noqa: F811
    case = make_case(zhang_wei, employer_a, injured_on=date(2026, 2, 20))
    worker = IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")
    intake = staff_factory("intake", display_name="孙受理")
    page.set_viewport_size(PHONE_VIEWPORT)
    login_as(page, live_server.url, worker)
    page.goto(f"{live_server.url}/me/")
    page.locator("#my-cases .case-card").first.get_by_role("link", name="查看案件详情").click()
    expect(page.locator("#case-messages")).to_be_visible()
    expect(page.locator("#case-messages-unread")).to_have_count(0)
    page.locator("#case-messages-link").click()
    expect(page.get_by_role("heading", name="案件留言", exact=True)).to_be_visible()
    expect(page.locator("#thread-empty")).to_be_visible()
    page.locator("#text").fill("这是伤口照片，医生说要休息两周，请问需要上传什么材料？")
    page.locator("#attachment").set_input_files(_photo(tmp_path))
    page.locator("#send").click()
    mine = page.locator(".bubble.mine").last
    expect(mine).to_contain_text("这是伤口照片")
    expect(mine).to_contain_text("照片：")
    expect(mine).to_contain_text("对方未读")
    _fits(page)
    sent = CaseMessage.objects.get()
    assert sent.attachment.file.content_type == "image/jpeg" and sent.author == worker

    message_send(actor=intake, case=case, text="照片已收到。请上传门诊病历和诊断证明。")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator("#case-messages-unread")).to_have_text("1")
    page.locator("#case-messages-link").click()
    theirs = page.locator(".bubble.theirs").last
    expect(theirs).to_contain_text("请上传门诊病历和诊断证明")
    expect(theirs).to_contain_text("受理员 孙受理")
    _fits(page)
    page.screenshot(path=str(screenshot_dir / "service-messages-worker-phone.png"), full_page=True)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator("#case-messages")).to_be_visible()
    expect(page.locator("#case-messages-unread")).to_have_count(0)
    page.get_by_role("navigation", name="底部导航").get_by_role("link", name="消息").click()
    expect(page.get_by_role("heading", name="我的留言")).to_be_visible()
    expect(page.locator("#threads")).to_contain_text(case.number)
    expect(page.locator("#threads .unread-badge")).to_have_count(0)
    assert CaseMessage.objects.get(from_staff=True).read_at is not None


def test_intake_replies_and_turns_a_message_into_correction(page: Page, live_server, zhang_wei, employer_a,
                                                            employer_user_a, staff_factory, screenshot_dir):  # noqa: F811
    case = make_case(zhang_wei, employer_a, injured_on=date(2026, 2, 20))
    worker = IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")
    intake = staff_factory("intake", display_name="孙受理")
    app = application(case, employer_user_a, assignee=intake)
    message_send(actor=worker, case=case, text="门诊病历拍得不清楚，盖章复印件下周才能拿到。")
    page.set_viewport_size(DESKTOP)
    login_as(page, live_server.url, intake)
    page.goto(f"{live_server.url}/")
    menu(page, "案件留言")
    expect(page.locator("#waiting")).to_contain_text(case.number)
    page.locator("#waiting").get_by_role("link", name="回复").click()
    expect(page.locator(".bubble.theirs")).to_contain_text("门诊病历拍得不清楚")
    page.locator("#text").fill("收到，请拿到盖章复印件后上传。")
    page.locator("#send").click()
    expect(page.locator(".bubble.mine").last).to_contain_text("盖章复印件后上传")
    sms = [m for m in OutboxMessage.objects.filter(template=NOTICE_TEMPLATE) if m.recipient == "13900000001"]
    assert len(sms) == 1 and "复印件" not in sms[0].body

    page.locator(".bubble.theirs").get_by_role("link", name="转为补正通知").click()
    page.locator("#items").fill("门诊病历（加盖医院病案管理章）")
    page.locator("#correction-form button[type=submit]").click()
    assert "补正" in answer_confirmation(page)
    expect(page.locator(".bubble.theirs")).to_contain_text("已转为补正通知")
    expect(page.locator(".bubble.mine").last).to_contain_text("门诊病历（加盖医院病案管理章）")
    page.screenshot(path=str(screenshot_dir / "service-messages-intake.png"), full_page=True)
    app.refresh_from_db()
    assert app.status == "correction_requested"
    assert RecognitionApplication.objects.get().correction_items[0] == "门诊病历（加盖医院病案管理章）"


def test_employer_handler_writes_from_its_menu(page: Page, live_server, zhang_wei, employer_a,
                                               employer_user_a, staff_factory):  # noqa: F811
    case = make_case(zhang_wei, employer_a, injured_on=date(2026, 2, 20))
    message_send(actor=staff_factory("benefits_reviewer"), case=case, text="请单位提供停工留薪期工资发放记录。")
    page.set_viewport_size(DESKTOP)
    login_as(page, live_server.url, employer_user_a)
    page.goto(f"{live_server.url}/")
    menu(page, "我的留言")
    expect(page.locator("#threads .unread-badge")).to_have_text("1")
    page.locator("#threads").get_by_role("link", name=f"案件 {case.number}").click()
    page.locator("#text").fill("已上传工资发放记录。")
    page.locator("#attachment").set_input_files(files=[{
        "name": "工资发放记录.pdf", "mimeType": "application/pdf", "buffer": _pdf()}])
    page.locator("#send").click()
    expect(page.locator(".bubble.mine").last).to_contain_text("文件：")
    assert CaseMessage.objects.filter(from_staff=False, author=employer_user_a).count() == 1


def _pdf() -> bytes:
    from gongshang.core.files.pdf import blank_pdf

    return blank_pdf()

