"""Phone-width journey: a worker reports with a photo and gets the code; the employer supplements
with the code (and the worker's SMS code); staff see the report with its watermarked photo."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongshang.accounts.tests.factories import EmployerUserFactory, IndividualUserFactory
from gongshang.core.models import OutboxMessage
from gongshang.quickreports.models import QuickReport, QuickReportMedia
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    PHONE_VIEWPORT,
    answer_confirmation,
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,  # noqa: F401
)

from .media_fixtures import jpeg_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTH = PHONE_VIEWPORT["width"]




def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH + 1, page.url


@pytest.fixture
def people():
    employer = EmployerFactory(uscc="91370200MA3C5UWK4C", name="青岛海川机械制造有限公司", region="370200")
    person = InsuredPersonFactory(id_number="370202198803151237", name="张伟", mobile="13900000001")
    EnrolmentFactory(person=person, employer=employer)
    worker = IndividualUserFactory(person=person, mobile="13900000001", display_name="张伟")
    handler = EmployerUserFactory(employer=employer, username=employer.uscc, is_primary_handler=True)
    from gongshang.accounts.tests.factories import StaffUserFactory

    officer = StaffUserFactory(roles=["intake"], jurisdiction="370200")
    return worker, handler, officer


def test_report_supplement_inbox_journey(page: Page, live_server, people, tmp_path, screenshot_dir):  # noqa: F811
    worker, handler, officer = people
    shot = tmp_path / "scene.jpg"
    shot.write_bytes(jpeg_bytes(timezone.now() - timedelta(minutes=10), size=(640, 480)))

    login_as(page, live_server.url, worker)
    page.goto(f"{live_server.url}/quick-reports/")
    page.get_by_role("button", name="我接受该协议").click()
    page.get_by_role("link", name=re.compile("本人")).click()
    page.get_by_role("button", name="确定").click()  # the tip screen
    expect(page.locator("#geo-status")).to_contain_text("定位")
    page.locator('input[name="address"]').fill("青岛市市南区香港中路 100 号 2 号车间")
    page.locator('textarea[name="description"]').fill("操作冲床时右手被压伤")
    page.locator("#photo1").set_input_files(str(shot))
    thumb = page.locator('label[for="photo1"] img.camera-thumb')  # the camera tile shows the photo taken
    expect(thumb).to_be_visible()
    assert thumb.get_attribute("src").startswith("data:image/")
    no_sideways_scroll(page)
    page.get_by_role("button", name="提交快报").click()
    code = page.locator("#quick-report-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", code)
    page.screenshot(path=str(screenshot_dir / "e2e-quickreport-code.png"), full_page=True)

    login_as(page, live_server.url, handler)
    page.goto(f"{live_server.url}/quick-reports/supplement/")
    page.locator('input[name="code"]').fill(code.lower())
    page.get_by_role("button", name="查询快报").click()
    expect(page.locator("body")).to_contain_text("139****0001")
    sms = OutboxMessage.objects.get(template="sms_quickreport_access_code").params["code"]
    page.locator('input[name="sms_code"]').fill(sms)
    page.get_by_role("button", name="验证并进入").click()
    expect(page.locator("h1")).to_contain_text("补充快报信息")
    page.locator('textarea[name="note"]').fill("单位补充：已送青岛市立医院")
    page.get_by_role("button", name="提交补充信息").click()
    answer_confirmation(page)
    expect(page.locator("body")).to_contain_text("已提交第 2 版补充信息")
    no_sideways_scroll(page)

    login_as(page, live_server.url, officer)
    page.goto(f"{live_server.url}/quick-reports/inbox/")
    expect(page.locator("#unread-count")).to_contain_text("1")
    page.locator(".qr-list a").first.click()
    image = page.locator("img.qr-thumb").first
    expect(image).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) == 640
    expect(page.locator("body")).to_contain_text("补充信息")
    no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "e2e-quickreport-inbox.png"), full_page=True)
    report = QuickReport.objects.get()
    assert QuickReportMedia.objects.get(report=report).watermarked_id
    assert report.first_viewed_at is not None
