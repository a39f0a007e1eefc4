"""End to end (Playwright, Debian chromium), each role from its own menu, clock pinned:

1. the 分管领导 opens 领导驾驶舱, reads the charts, narrows the months and downloads the Excel and CSV
   exports; at 375 px the page does not scroll sideways;
2. the 合作经办人员 opens 合作经办任务, opens the investigation it assists and adds a note, which the
   desk's page then shows under its name and insurer.
"""

import csv
import io

import pytest
import time_machine
from django.core.cache import cache
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from gongshang.recognition.models import InvestigationNote
from gongshang.service.services.cooperation import assistant_add
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from .factories_cooperation import INSURER, desk, investigating_application
from .factories_dashboard import at, dashboard_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 11, 15, 10), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()


def test_leader_reads_and_exports_the_dashboard(page: Page, live_server, clock, screenshot_dir):  # noqa: F811
    world = dashboard_world()
    url = live_server.url
    page.set_viewport_size(DESKTOP)
    login_as(page, url, world.leader)
    page.goto(f"{url}/workbench/")
    menu(page, "领导驾驶舱")
    expect(page.locator("h1")).to_have_text("领导驾驶舱")
    expect(page.locator("svg[role=img]")).to_have_count(8)
    expect(page.locator("#dash-kpis")).to_contain_text("66.7")
    page.get_by_label("起始月份").fill("2026-09")
    page.get_by_label("截止月份").fill("2026-11")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("main")).to_contain_text("2026-09 至 2026-11")
    expect(page.locator("#dash-table tbody tr")).to_have_count(4)  # three months and the total
    with page.expect_download() as excel:
        page.get_by_role("link", name="导出 Excel").click()
    assert excel.value.suggested_filename == "领导驾驶舱-370200-2026-09至2026-11.xlsx"
    with open(excel.value.path(), "rb") as saved:
        rows = list(load_workbook(io.BytesIO(saved.read())).active.iter_rows(values_only=True))
    assert rows[0][0] == "领导驾驶舱 统筹区 370200，2026-09 至 2026-11"
    assert [r[0] for r in rows[3:7]] == ["2026-09", "2026-10", "2026-11", "合计"]
    with page.expect_download() as text:
        page.get_by_role("link", name="导出 CSV").click()
    lines = list(csv.reader(io.StringIO(open(text.value.path(), encoding="utf-8-sig").read())))
    assert lines[6][0] == "合计" and "1234.56" in lines[6]
    page.screenshot(path=str(screenshot_dir / "e2e-service-dashboard.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths
    page.screenshot(path=str(screenshot_dir / "e2e-service-dashboard-375.png"), full_page=True)


def test_cooperator_adds_an_investigation_note(page: Page, live_server, clock, employer_user_a, zhang_wei,
                                               screenshot_dir):  # noqa: F811
    people = desk()
    application = investigating_application(employer_user_a, people)
    assistant_add(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)
    url = live_server.url
    page.set_viewport_size(DESKTOP)
    login_as(page, url, people.cooperator)
    page.goto(f"{url}/workbench/")
    menu(page, "合作经办任务")
    expect(page.locator("h1")).to_have_text("合作经办任务")
    row = page.locator("#coop-investigations tbody tr", has_text=application.case.number)
    expect(row).to_contain_text("张*")
    row.get_by_role("link", name="查看并记录调查情况").click()
    expect(page.locator("#coop-application")).to_contain_text("370202********1237")
    page.get_by_label("调查记录").fill("走访车间班组长，证实张某在操作冲床时受伤。")
    page.get_by_role("button", name="保存调查记录").click()
    expect(page.locator("#coop-notes")).to_contain_text(f"钱合作（合作经办·{INSURER}）")
    expect(page.locator("#coop-notes")).to_contain_text("走访车间班组长")
    assert InvestigationNote.objects.get(application=application).author_id == people.cooperator.pk
    page.screenshot(path=str(screenshot_dir / "e2e-service-cooperator-note.png"), full_page=True)
    # The desk's page shows the note under the cooperator's name and insurer.
    login_as(page, url, people.investigators[0])
    page.goto(f"{url}/recognition/staff/{application.pk}/")
    expect(page.locator("main")).to_contain_text(f"钱合作（合作经办·{INSURER}）：走访车间班组长")
