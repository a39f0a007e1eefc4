"""The employer hall journey in a real browser, at phone and desktop width (issue 3, item 10):
template download → upload with two bad rows → errors → fix → upload again → staff confirm →
person certificate printed → the verification page confirms the downloaded file."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from gongshang.accounts.models import StaffRoleAssignment, User
from gongshang.registry.imports import leases, services
from gongshang.registry.models import Employer, Enrolment, EnrolmentChange, RosterImport
from gongshang.registry.tests.factories import valid_id_number
from gongshang.registry.tests.imports_helpers import add_row, header_row, inline_cell, raw_xlsx, sheet_bytes
from gongshang.registry.tests.imports_helpers import upload as uploaded_file
from gongshang.web.tests.conftest import answer_confirmation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo@2026"
USCC = "91370200MA3C5UWK4C"
WIDTHS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def people():
    employer = Employer.objects.create(uscc=USCC, name="青岛海川机械制造有限公司", region="370200",
                                       legal_rep_name="王海川", legal_rep_id_number="370202197505063218")
    handler = User.objects.create_user(username=USCC, password=PASSWORD, kind="employer", employer=employer,
                                       is_primary_handler=True, display_name="刘经办")
    clerk = User.objects.create_user(username="shouli", password=PASSWORD, kind="staff", jurisdiction="370200",
                                     display_name="受理员")
    StaffRoleAssignment.objects.create(user=clerk, role="intake")
    device = TOTPDevice.objects.create(user=clerk, name="default", confirmed=True)
    return handler, clerk, device


def employer_login(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/employer/")
    page.locator('input[name="username"]').fill(USCC)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="captcha_1"]').fill("PASSED")  # CAPTCHA_TEST_MODE in test settings
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/employer/$"))


def staff_login(page: Page, base: str, clerk: User, device: TOTPDevice) -> None:
    page.goto(f"{base}/accounts/login/staff/")
    page.locator('input[name="username"]').fill(clerk.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="otp"]').fill(f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/workbench/$"))


def fill_sheet(template_path, target_path, rows) -> None:
    book = load_workbook(template_path)
    sheet = book["增员名单"]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=2 + offset, column=column, value=value)
    book.save(target_path)


def upload(page: Page, base: str, path) -> None:
    page.goto(f"{base}/registry/imports/new/")
    page.locator("#id_kind_0").check()  # 增员
    page.locator("#id_mode_0").check()  # 全部正确才导入
    page.locator("#id_file").set_input_files(str(path))
    page.locator("#import-submit").click()
    expect(page.locator("#import-status")).to_have_attribute("data-status", re.compile("succeeded|rejected"),
                                                            timeout=20000)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_roster_journey(page: Page, live_server, people, tmp_path, screenshot_dir, width):
    handler, clerk, device = people
    page.set_viewport_size(WIDTHS[width])
    base = live_server.url
    month = timezone.localdate().strftime("%Y-%m")
    good = [valid_id_number(n) for n in (101, 102, 103)]

    employer_login(page, base)
    page.goto(f"{base}/registry/imports/")
    with page.expect_download() as download:
        page.locator("#template-add").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    rows = [("新参保", "工伤保险", month, good[0], "赵一", "13900000101", "城镇户口", "在职职工", "5000"),
            ("新参保", "工伤保险", month, good[1][:17] + ("0" if good[1][17] != "0" else "1"), "钱二"),
            ("新参保", "工伤保险", month, good[2], "")]
    bad_sheet = tmp_path / "bad.xlsx"
    fill_sheet(template, bad_sheet, rows)
    upload(page, base, bad_sheet)
    expect(page.locator("#import-status")).to_have_attribute("data-status", "rejected")
    expect(page.locator("#import-errors tr[data-row='3']")).to_contain_text("身份证号")
    expect(page.locator("#import-errors tr[data-row='4']")).to_contain_text("姓名")
    page.screenshot(path=str(screenshot_dir / f"e2e-roster-errors-{width}.png"), full_page=True)
    assert EnrolmentChange.objects.count() == 0  # all or nothing: nothing written

    rows[1] = ("新参保", "工伤保险", month, good[1], "钱二")
    rows[2] = ("新参保", "工伤保险", month, good[2], "孙三")
    fixed_sheet = tmp_path / "fixed.xlsx"
    fill_sheet(template, fixed_sheet, rows)
    upload(page, base, fixed_sheet)
    expect(page.locator("#import-status")).to_have_attribute("data-status", "succeeded")
    expect(page.locator("#count-accepted")).to_have_text("3")
    assert EnrolmentChange.objects.filter(status="pending").count() == 3

    staff = page.context.browser.new_context(viewport=WIDTHS[width], locale="zh-CN", timezone_id="Asia/Shanghai")
    desk = staff.new_page()
    staff_login(desk, base, clerk, device)
    desk.goto(f"{base}/registry/workbench/changes/?direction=add")
    desk.locator("#select-all").check()
    desk.locator("#confirm-selected").click()
    answer_confirmation(desk)  # 确认通过选中项 asks for confirmation
    expect(desk.locator("body")).to_contain_text("已确认 3 条申报")
    staff.close()
    assert Enrolment.objects.filter(employer__uscc=USCC, status="active").count() == 3

    page.goto(f"{base}/registry/certificates/")
    page.locator("#person-query").fill("赵一")
    page.locator("#person-search-submit").click()
    page.locator("#print-person-1").click()
    code = page.locator("#document-code").get_attribute("data-code")
    assert code
    with page.expect_download() as download:
        page.locator("#document-download").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    with page.context.expect_page() as opened:  # the verification page opens in a new tab
        page.locator("#document-verify-link").click()
    page = opened.value
    expect(page.locator("#verify-result")).to_have_attribute("data-status", "genuine")
    expect(page.locator("#doc-holder")).to_contain_text("赵")
    page.locator("#verify-file").set_input_files(str(pdf))
    page.locator("#verify-file-submit").click()
    expect(page.locator("#file-check")).to_have_attribute("data-match", "true")
    page.screenshot(path=str(screenshot_dir / f"e2e-roster-verified-{width}.png"), full_page=True)
    if width == "phone":
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= WIDTHS["phone"]["width"] + 1


def test_hostile_file_and_interrupted_import(page: Page, live_server, people, tmp_path, screenshot_dir, settings):
    """A 2 KB sheet reaching XFD1048576 is refused on the form; an import whose worker died is
    shown failed with 重新处理, which processes it."""
    handler, _clerk, _device = people
    base = live_server.url
    employer_login(page, base)
    hostile = tmp_path / "hostile.xlsx"
    hostile.write_bytes(raw_xlsx(header_row() + '<row r="1048576">' + inline_cell("XFD1048576", "x") + "</row>"))
    page.goto(f"{base}/registry/imports/new/")
    page.locator("#id_file").set_input_files(str(hostile))
    page.locator("#import-submit").click()
    expect(page.locator("#import-form")).to_contain_text("单元格 XFD1048576 超出单次导入的范围")
    assert RosterImport.objects.count() == 0

    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 0
    with mock.patch.object(services, "enqueue"):
        queued = services.roster_import_start(actor=handler, uploaded_file=uploaded_file(sheet_bytes([add_row(1)])),
                                              direction="add", mode="all_or_nothing")
    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 256 * 1024
    leases.claim_import(queued.pk)  # ... and the worker dies: its lease runs out
    RosterImport.objects.filter(pk=queued.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    page.goto(f"{base}/registry/imports/{queued.pk}/")
    expect(page.locator("#import-status")).to_have_attribute("data-status", "failed")
    expect(page.locator("#import-failure")).to_contain_text("处理过程中断")
    page.screenshot(path=str(screenshot_dir / "e2e-roster-interrupted.png"), full_page=True)
    page.locator("#import-retry").click()
    expect(page.locator("#import-status")).to_have_attribute("data-status", "succeeded")
    assert EnrolmentChange.objects.filter(roster_import_id=queued.pk).count() == 1
