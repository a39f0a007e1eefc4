"""End to end (Playwright, Debian chromium), clock pinned: the 数据交换管理员 opens 数据交换批次 from
their own menu, receives the tax bureau's sample file (processed at once: the roster's records are
written), then the same file again, which is recorded as a duplicate and changes nothing."""

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import Page, expect

from gongshang.registry.models import ContributionRecord
from gongshang.registry.tests.factories import EnrolmentFactory, InsuredPersonFactory
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from ..models import ExchangeBatch
from .factories_batches import exchange_admin  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "tax_contributions_v1.csv"


@pytest.fixture
def clock():
    with time_machine.travel("2026-11-16 10:00 +0800", tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()


def upload(page: Page) -> None:
    form = page.locator("#batch-upload-form")
    form.locator("select[name=partner]").select_option("tax")
    form.locator("select[name=kind]").select_option("contributions")
    form.locator("input[name=file]").set_input_files(str(SAMPLE))
    page.locator("#batch-upload-submit").click()


def test_exchange_officer_receives_the_tax_file_once(page: Page, live_server, clock, exchange_admin,  # noqa: F811
                                                     employer_a):
    for id_number, name in (("370202198803151237", "张伟"), ("370203199001012316", "刘洋")):
        EnrolmentFactory(person=InsuredPersonFactory(id_number=id_number, name=name), employer=employer_a,
                         start_month=date(2020, 1, 1))
    url = live_server.url
    login_as(page, url, exchange_admin)
    page.goto(f"{url}/workbench/")
    menu(page, "数据交换批次")
    expect(page.locator("h1")).to_have_text("交换批次")
    upload(page)
    expect(page.locator("h1")).to_contain_text("交换批次")
    expect(page.locator("main")).to_contain_text("处理完成")
    records = ContributionRecord.objects.count()
    assert records >= 2 and ExchangeBatch.objects.get().status == "done"

    menu(page, "数据交换批次")
    upload(page)
    expect(page.locator("main")).to_contain_text("重复批次")
    assert ContributionRecord.objects.count() == records
    assert list(ExchangeBatch.objects.order_by("pk").values_list("status", flat=True)) == ["done", "duplicate"]
