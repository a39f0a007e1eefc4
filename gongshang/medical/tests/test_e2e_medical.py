"""工伤医疗 end to end, each role from its own menu, on one world built by factories (clock pinned):

1. the hospital (institution API, a real token): eligibility → an inpatient stay → its lines (one over
   the price cap, one outside the catalogue, normal bed/meal/drug lines) → settle at discharge; the
   flags' Chinese reasons and the amounts (fund + self = total, strings to the fen);
2. a 稽核员 (desktop) opens 费用审核, sees the flagged bill first, reads each flag and deducts with a
   reason (confirmed); in 机构月度结算 generates last month's statement (fund − deductions);
3. a second 稽核员 approves (the maker is offered no 复核通过), the maker releases (the approver is
   offered no 拨付), downloads the bank file (CSV); the statement shows 已拨付; computing the same
   month again adds nothing;
4. the institution, signed in to its portal (client id, secret, captcha), sees the statement under 结算单 and the audit notice
   under 稽核通知.
"""

import json
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from gongshang.accounts.tests.factories import PASSWORD, StaffUserFactory
from gongshang.appraisal.tests.factories import recognised_case
from gongshang.medical.models import Deduction, Encounter, InstitutionStatement
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    answer_confirmation,
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from .factories import CatalogueItemFactory, ReviewEncounterFactory, VisitFactory
from .factories_encounters import institution_with_client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TZ = ZoneInfo("Asia/Shanghai")
DESKTOP = {"width": 1280, "height": 900}
ZHANG = "370202198803151237"
DISCHARGE_DAY = datetime(2026, 11, 5, 15, 0, tzinfo=TZ)   # the hospital settles in November
REVIEW_DAY = datetime(2026, 12, 3, 9, 30, tzinfo=TZ)      # the agency reviews and settles November
BED, MEAL = "GSBZ-BED-01", "GSBZ-MEAL-01"
DRUG, IMPLANT, NOT_LISTED = "XJ01DDT0101010100001", "C0301010100100000001", "ZZ0000000000000001"


@pytest.fixture
def clock():
    with time_machine.travel(DISCHARGE_DAY, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(clock, zhang_wei, employer_a, employer_user_a):
    case = recognised_case(zhang_wei, employer_a, employer_user_a)   # 右手, recognised 2025-07-01
    institution, client = institution_with_client(
        code="H37020200001", name="青岛大学附属医院（演示）", agreement_from=date(2026, 1, 1),
        agreement_to=date(2028, 12, 31), contact_phone="053282911234",
        bank_name="中国工商银行青岛市南支行", bank_account="3803020109200012345")
    # The catalogue: the 住院服务标准 (bed, meals), a drug without a cap, an implant with a regional cap.
    CatalogueItemFactory(region="370200", kind="standard", code=BED, name="住院床位费标准（普通病房）",
                         price_cap=Decimal("60.00"), price_class="床位费")
    CatalogueItemFactory(region="370200", kind="standard", code=MEAL, name="住院伙食补助费",
                         price_cap=Decimal("30.00"), price_class="伙食补助")
    CatalogueItemFactory(code=DRUG, name="头孢曲松钠注射液")
    CatalogueItemFactory(region="370200", kind="material", code=IMPLANT, name="接骨板（锁定型）",
                         price_cap=Decimal("3500.00"), price_class="骨科植入")
    # Another stay of the institution, settled earlier and without flags: the queue puts ours first.
    other = ReviewEncounterFactory(institution=institution, admitted_at=datetime(2026, 10, 20, 9, tzinfo=TZ),
                                   settled_at=datetime(2026, 10, 27, 9, tzinfo=TZ), flagged=False)
    makers = [StaffUserFactory(roles=["inspector"], jurisdiction="370200", display_name=name)
              for name in ("陈稽核", "王复核")]
    return {"case": case, "institution": institution, "client": client, "other": other,
            "maker": makers[0], "approver": makers[1]}


def _line(no, code, name, category, quantity, price, occurred_at, **extra) -> dict:
    amount = (Decimal(quantity) * Decimal(price)).quantize(Decimal("0.01"))
    return {"line_no": no, "catalogue_code": code, "name": name, "category": category, "quantity": quantity,
            "unit_price": price, "amount": f"{amount}", "occurred_at": occurred_at, **extra}


LINES = [
    _line(1, BED, "普通病房床位费", "bed", "1", "60.00", "2026-11-02T12:00:00+08:00"),
    _line(2, BED, "普通病房床位费", "bed", "1", "60.00", "2026-11-03T12:00:00+08:00"),
    _line(3, BED, "普通病房床位费", "bed", "1", "60.00", "2026-11-04T12:00:00+08:00"),
    _line(4, MEAL, "住院伙食", "meal", "1", "30.00", "2026-11-02T12:00:00+08:00"),
    _line(5, DRUG, "头孢曲松钠注射液 1g", "drug", "2", "18.50", "2026-11-02T11:00:00+08:00",
          order_no="YZ0001", ordered_code=DRUG),
    _line(6, IMPLANT, "接骨板（锁定型）钛合金 6孔", "material", "1", "3800.00", "2026-11-03T09:00:00+08:00",
          order_no="YZ0002", ordered_code=IMPLANT),
    _line(7, NOT_LISTED, "进口功能性敷料", "material", "3", "126.00", "2026-11-04T10:00:00+08:00"),
]


def _call(api, method, path, auth, body=None):
    if body is None:
        return getattr(api, method)(path, **auth)
    return getattr(api, method)(path, json.dumps(body), content_type="application/json", **auth)


def hospital_settles_at_discharge(api, auth, case) -> int:
    """The hospital's system: eligibility, register, lines, settle; returns the encounter's id."""
    answer = _call(api, "get", f"/api/v1/medical/eligibility?id_number={ZHANG}&date=2026-11-02", auth)
    assert answer.status_code == 200, answer.content
    eligibility = answer.json()
    assert eligibility["eligible"] is True and eligibility["case_number"] == case.number
    assert eligibility["injury"]["body_part"] == "右手" and eligibility["recognized_on"] == "2025-07-01"

    admission = {"case_number": case.number, "kind": "inpatient", "admitted_at": "2026-11-02T09:00:00+08:00",
                 "diagnoses": [{"code": "S62.600", "name": "右手食指骨折"}], "department": "手外科"}
    created = _call(api, "post", "/api/v1/medical/encounters", auth, admission)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]

    put = _call(api, "put", f"/api/v1/medical/encounters/{pk}/lines", auth, LINES)
    assert put.status_code == 200, put.content

    settled = _call(api, "post", f"/api/v1/medical/encounters/{pk}/settle", auth,
                    {"discharged_at": "2026-11-05T10:00:00+08:00"})
    assert settled.status_code == 200, settled.content
    body = settled.json()
    assert (body["total"], body["fund_amount"], body["self_amount"]) == ("4425.00", "3747.00", "678.00")
    assert Decimal(body["fund_amount"]) + Decimal(body["self_amount"]) == Decimal(body["total"])
    lines = {line["line_no"]: line for line in body["lines"]}
    for no in (1, 2, 3, 4, 5):   # within the standards and the catalogue: paid in full, no flag
        assert lines[no]["flags"] == [] and lines[no]["self_amount"] == "0.00", lines[no]
    assert lines[5]["fund_amount"] == "37.00"
    cap, = lines[6]["flags"]
    assert (cap["rule"], cap["amount"]) == ("over_price_cap", "300.00")
    assert "超过最高限价" in cap["reason"] and "基金不予支付" in cap["reason"], cap["reason"]
    assert (lines[6]["fund_amount"], lines[6]["self_amount"]) == ("3500.00", "300.00")
    out, = lines[7]["flags"]
    assert (out["rule"], out["amount"]) == ("out_of_catalogue", "378.00")
    assert "不在2026年11月4日有效的工伤保险目录内" in out["reason"], out["reason"]
    assert (lines[7]["fund_amount"], lines[7]["self_amount"]) == ("0.00", "378.00")
    for line in body["lines"]:
        assert re.fullmatch(r"\d+\.\d{2}", line["fund_amount"]) and re.fullmatch(r"\d+\.\d{2}", line["self_amount"])
    return pk


def no_sideways_scroll(page: Page, table: str) -> None:
    """The table fits its box at desktop width: nothing to read by scrolling sideways."""
    widths = page.locator(table).evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()


def inspector_reviews_and_deducts(page: Page, url: str, world, pk: int, shots) -> None:
    page.set_viewport_size(DESKTOP)
    login_as(page, url, world["maker"])
    page.goto(f"{url}/")
    menu(page, "费用审核")
    expect(page.locator("h1")).to_have_text("费用审核队列")
    rows = page.locator("#review-queue tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(world["case"].number)      # the flagged bill first
    expect(rows.first).to_contain_text("2 条")
    expect(rows.nth(1)).to_contain_text(world["other"].case.number)
    no_sideways_scroll(page, "#review-queue")
    page.screenshot(path=str(shots / "e2e-medical-review-queue.png"), full_page=True)
    rows.first.get_by_role("link", name=world["case"].number).click()
    expect(page).to_have_url(re.compile(rf"/medical/review/{pk}/$"))
    expect(page.locator("body")).not_to_contain_text(ZHANG)         # identity masked
    expect(page.locator("body")).to_contain_text("370202********1237")
    expect(page.locator("#recognised-injury")).to_contain_text("右手：右手食指挤压伤（2025年7月1日认定）")
    expect(page.locator("#encounter-amounts")).to_contain_text("总额 4425.00 元；基金支付 3747.00 元；不予支付 678.00 元")
    expect(page.locator("#bill-lines tr.bill-line")).to_have_count(7)
    expect(page.locator("#bill-lines tr.line-flags")).to_have_count(2)   # only the two flagged lines
    expect(page.locator("#line-6")).to_contain_text("3500.00")
    expect(page.locator("#flags-6")).to_contain_text("超过最高限价")
    expect(page.locator("#flags-6")).to_contain_text("不予支付 300.00 元")
    expect(page.locator("#flags-7")).to_contain_text("不在2026年11月4日有效的工伤保险目录内")
    expect(page.locator("#flags-7")).to_contain_text("不予支付 378.00 元")
    # Readable without sideways scrolling: the reasons wrap inside the table.
    no_sideways_scroll(page, "#bill-lines")
    page.screenshot(path=str(shots / "e2e-medical-review-flags.png"), full_page=True)
    # The forms' fields take the panel's width (not squeezed beside their labels).
    assert page.get_by_label("扣减原因（将告知机构）").bounding_box()["width"] > 600
    page.locator("#deduct-amount").fill("100.00")
    page.locator("#deduct-reason").fill("接骨板植入记录与手术记录不符，扣减部分费用。")
    page.get_by_role("button", name="审核扣减").click()
    assert "月度结算中扣除" in answer_confirmation(page)
    expect(page.locator(".messages, [role=status], body").first).to_contain_text("已登记审核扣减")
    expect(page.locator("#encounter-amounts")).to_contain_text("审核扣减 100.00 元")
    expect(page.locator("body")).to_contain_text("100.00 元：接骨板植入记录与手术记录不符")
    page.screenshot(path=str(shots / "e2e-medical-review-deducted.png"), full_page=True)
    encounter = Encounter.objects.get(pk=pk)
    assert encounter.status == "deducted" and encounter.deducted_amount == Decimal("100.00")


def inspector_generates_the_statement(page: Page, url: str, shots) -> InstitutionStatement:
    menu(page, "机构月度结算")
    expect(page.locator("h1")).to_have_text("机构月度结算")
    expect(page.locator("#compute-period")).to_have_value("2026-11")   # last month by default
    page.get_by_role("button", name="生成本月结算单").click()
    answer_confirmation(page)
    expect(page.locator("body")).to_contain_text("已生成 1 张结算单")
    row = page.locator("#statement-list tbody tr").first
    expect(row).to_contain_text("3747.00")
    expect(row).to_contain_text("100.00")
    expect(row).to_contain_text("3647.00")
    row.get_by_role("link").click()
    totals = page.locator("#statement-totals")
    expect(totals).to_contain_text("3747.00 元")      # 基金应付
    expect(totals).to_contain_text("100.00 元")       # 扣减
    expect(totals).to_contain_text("3647.00 元")      # 实际拨付 = fund − deductions
    expect(page.locator("#statement-deductions")).to_contain_text("接骨板植入记录与手术记录不符")
    # The maker may not approve: no button.
    expect(page.get_by_role("button", name="复核通过")).to_have_count(0)
    expect(page.locator("#statement-waiting")).to_contain_text("不能由生成人本人复核")
    page.screenshot(path=str(shots / "e2e-medical-statement-computed.png"), full_page=True)
    statement = InstitutionStatement.objects.get()
    assert (statement.fund_amount, statement.deducted_amount, statement.payable) == (
        Decimal("3747.00"), Decimal("100.00"), Decimal("3647.00"))
    assert statement.encounter_count == 1      # the other stay, not reviewed, waits
    return statement


def test_medical_journey(page: Page, live_server, world, clock, api_client, token_for,
                         screenshot_dir):  # noqa: F811
    url = live_server.url
    # 1. The hospital, through the API, in November.
    pk = hospital_settles_at_discharge(api_client, token_for(world["client"]), world["case"])

    # 2. The 稽核员, in December: review, deduct, generate November's statement.
    clock.move_to(REVIEW_DAY)
    inspector_reviews_and_deducts(page, url, world, pk, screenshot_dir)
    statement = inspector_generates_the_statement(page, url, screenshot_dir)
    detail = f"{url}/medical/statements/{statement.pk}/"

    # 3. A second 稽核员 approves; the approver cannot release.
    login_as(page, url, world["approver"])
    page.goto(f"{url}/")
    menu(page, "机构月度结算")
    page.locator("#statement-list").get_by_role("link", name=world["institution"].name).click()
    expect(page).to_have_url(detail)
    page.get_by_role("button", name="复核通过").click()
    assert "确认" in answer_confirmation(page)
    expect(page.locator("h1 .badge")).to_have_text("已复核，待拨付")
    expect(page.get_by_role("button", name="拨付")).to_have_count(0)
    expect(page.get_by_role("button", name="复核通过")).to_have_count(0)
    expect(page.locator("#statement-waiting")).to_contain_text("复核人不能拨付")

    # The maker releases (confirmed) and downloads the bank file.
    login_as(page, url, world["maker"])
    page.goto(detail)
    page.get_by_role("button", name="拨付").click()
    assert "3647.00" in answer_confirmation(page)
    expect(page.locator("h1 .badge")).to_have_text("已拨付")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载银行文件 CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"medical-statement-{statement.pk}.csv"
    bank_file = open(download.path(), encoding="utf-8-sig").read()
    assert "3647.00" in bank_file and world["institution"].name in bank_file
    page.screenshot(path=str(screenshot_dir / "e2e-medical-statement-released.png"), full_page=True)
    statement.refresh_from_db()
    assert statement.status == "released" and statement.approved_by == world["approver"]
    assert statement.released_by == world["maker"]

    # Exactly once: generating November again adds nothing.
    menu(page, "机构月度结算")
    page.get_by_role("button", name="生成本月结算单").click()
    answer_confirmation(page)
    expect(page.locator("body")).to_contain_text("没有新生成的结算单")
    expect(page.locator("body")).to_contain_text("不能重复结算")
    expect(page.locator("#statement-list tbody tr")).to_have_count(1)
    assert InstitutionStatement.objects.count() == 1
    assert Deduction.objects.filter(statement__isnull=True).count() == 0

    # 4. The institution, in its portal: 结算单 and 稽核通知.
    VisitFactory(institution=world["institution"], status="notified", visited_on=date(2026, 11, 18),
                 rectify_by=date(2026, 12, 31),
                 notice_text="请于 2026 年 12 月 31 日前整改：住院病历中植入材料记录不完整。")
    # Signed in through the portal's own page with the API client id and secret (the image captcha
    # accepts "PASSED" under the test settings' CAPTCHA_TEST_MODE).
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/institution/")
    expect(page.locator("h1")).to_have_text("定点机构登录")
    page.get_by_label("客户端编号").fill(world["client"].username)
    page.get_by_label("客户端密钥").fill(PASSWORD)
    page.locator('input[name="captcha_1"]').fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{url}/medical/portal/")
    expect(page.locator("main")).to_contain_text(world["institution"].name)
    menu(page, "结算单")
    expect(page.locator("h1")).to_have_text("结算单")
    mine = page.locator("#my-statements tbody tr")
    expect(mine).to_have_count(1)
    expect(mine.first).to_contain_text("2026-11")
    expect(mine.first).to_contain_text("3647.00")
    expect(mine.first).to_contain_text("已拨付")
    page.screenshot(path=str(screenshot_dir / "e2e-medical-portal-statements.png"), full_page=True)
    mine.first.get_by_role("link", name="2026-11").click()
    expect(page.locator("#statement-totals")).to_contain_text("3647.00 元")
    expect(page.get_by_role("button", name="拨付")).to_have_count(0)
    expect(page.get_by_role("link", name="下载银行文件 CSV")).to_have_count(0)
    expect(page.locator("#statement-waiting")).to_have_count(0)
    menu(page, "稽核通知")
    expect(page.locator("h1")).to_have_text("稽核通知")
    expect(page.locator("#notices")).to_contain_text("整改期限 2026-12-31")
    page.locator("#notices a").first.click()
    expect(page.locator("#notice-text")).to_contain_text("植入材料记录不完整")
    expect(page.locator("main")).to_contain_text("检查日期 2026-11-18")
    assert page.get_by_label("整改情况（逐条说明已采取的措施和完成时间）").bounding_box()["width"] > 600
    page.screenshot(path=str(screenshot_dir / "e2e-medical-portal-notice.png"), full_page=True)
