"""工伤预防 end to end, each role from its own menu (clock pinned; phone width for the county):

1. the county 专管员 (`prevention`) drafts 市南区's 2026 plan over the cap and submits it;
2. the city 专管员 (`prevention2`) approves: refused with the cap, the approved total and the excess;
   returns it with a reason; the county lowers the budget and submits again; the city approves;
3. the county proposes a project, 立项, registers the contract, delivery and 验收; the training
   session's evaluation forms are written (the training models) and the county evaluates: score and
   amount; the county (the acceptor) is offered no 拨付; the city pays from 工伤预防项目;
4. the 分管领导 reads the spend in 工伤预防统计; the 合作经办 sees the project paid in 工伤预防项目.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.service.models import PreventionPlan, PreventionProject
from gongshang.web.tests.conftest import (  # noqa: F401  (fixtures)
    answer_confirmation,
    browser_context_args,
    browser_type_launch_args,
    login_as,
    screenshot_dir,
)

from .factories_prevention import FundIncomeFactory, session_with_scores

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True),
              pytest.mark.time_machine("2026-03-02 10:00 +08:00", tick=True)]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def people(db):
    FundIncomeFactory(contribution_income=Decimal("10000000.00"))     # 2026 cap: 300,000.00
    make = StaffUserFactory
    return {"county": make(username="prevention", roles=["prevention"], display_name="李预防"),
            "city": make(username="prevention2", roles=["prevention"], display_name="赵市预防"),
            "leader": make(username="leader", roles=["leader"], display_name="韩领导"),
            "cooperator": make(username="cooperator", roles=["cooperator"], display_name="钱合作",
                               organisation="某保险公司青岛分公司")}


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()


def no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths


def confirm(page: Page, button: str, expected: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    assert expected in answer_confirmation(page)


def test_prevention_journey(page: Page, live_server, people, screenshot_dir):  # noqa: F811
    url = live_server.url
    # 1. the county drafts and submits (phone width)
    login_as(page, url, people["county"])
    page.goto(f"{url}/")
    menu(page, "工伤预防计划")
    expect(page.locator("h1")).to_have_text("工伤预防计划")
    expect(page.locator("#cap-summary")).to_contain_text("300000.00")
    page.get_by_label("县（市、区）").select_option("370202")
    page.get_by_label("计划名称").fill("市南区2026年度工伤预防计划")
    page.get_by_label("计划预算（元）").fill("350000.00")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("已保存为草稿")
    no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "e2e-prevention-plan-draft.png"), full_page=True)
    confirm(page, "报市级审批", "报送后由市级审批")
    expect(page.locator("#plan-status")).to_have_text("已报市级审批")
    expect(page.get_by_role("button", name="批准", exact=True)).to_have_count(0)   # not the submitter's
    plan = PreventionPlan.objects.get()

    # 2. the city: refused over the cap, returned, approved once lowered
    page.set_viewport_size(DESKTOP)
    login_as(page, url, people["city"])
    page.goto(f"{url}/")
    menu(page, "工伤预防计划")
    page.get_by_role("link", name="市南区2026年度工伤预防计划").click()
    confirm(page, "批准", "不能撤回")
    expect(page.locator(".messages")).to_contain_text("上限为300000.00元")
    expect(page.locator(".messages")).to_contain_text("超出50000.00元")
    expect(page.locator("#plan-status")).to_have_text("已报市级审批")
    page.get_by_label("退回原因（告知县区如何修改）").fill("预算超过全市上限，请调减至 30 万元以内。")
    confirm(page, "退回修改", "重新报送")
    expect(page.locator("#return-reason")).to_contain_text("请调减至 30 万元以内")

    login_as(page, url, people["county"])
    page.goto(f"{url}/service/prevention/plans/{plan.pk}/")
    page.locator("#edit-form").get_by_label("计划预算（元）").fill("300000.00")
    page.get_by_role("button", name="保存修改").click()
    confirm(page, "报市级审批", "报送后由市级审批")

    login_as(page, url, people["city"])
    page.goto(f"{url}/service/prevention/plans/{plan.pk}/")
    confirm(page, "批准", "300000.00")
    expect(page.locator("#plan-status")).to_have_text("已批准")
    expect(page.locator("#plan-cap")).to_contain_text("尚可批准 0.00 元")

    # 3. the county's project from proposal to evaluation
    login_as(page, url, people["county"])
    page.goto(f"{url}/service/prevention/plans/{plan.pk}/")
    page.locator("#project-form").get_by_label("项目名称").fill("建筑施工企业工伤预防培训")
    page.locator("#project-form").get_by_label("项目类别").select_option("training")
    page.locator("#project-form").get_by_label("项目预算（元）").fill("200000.00")
    page.get_by_role("button", name="申报项目").click()
    expect(page).to_have_url(re.compile(r"/service/prevention/projects/\d+/$"))
    project = PreventionProject.objects.get()
    confirm(page, "立项", "200000.00")
    expect(page.locator("#project-status")).to_have_text("已立项")
    page.get_by_label("服务机构名称").fill("青岛安培职业安全培训中心")
    page.get_by_label("合同编号").fill("QDGSYF-2026-001")
    page.get_by_label("合同金额（元）").fill("180000.00")
    page.get_by_role("button", name="登记合同").click()
    expect(page.locator("#contract-amount")).to_contain_text("180000.00 元")
    confirm(page, "登记交付完成", "完成全部宣传或培训")
    confirm(page, "验收", "拨付须由其他专管员办理")
    expect(page.locator("#project-status")).to_have_text("已验收")
    session_with_scores(project, ["86.00", "84.00"], trainees=3)            # 85.00 → 90%
    page.reload()
    expect(page.locator("#evaluations")).to_contain_text("1 个培训班次（1 个已评分），2 份评估表、0 份学员问卷；各班次得分（评估表占 60%、学员问卷占 40%）平均 85.00 分")
    confirm(page, "评估", "评估后不能修改")
    expect(page.locator("#score")).to_have_text("85.00 分")
    expect(page.locator("#payable")).to_have_text("162000.00 元")
    expect(page.get_by_role("button", name="拨付", exact=True)).to_have_count(0)   # the acceptor

    login_as(page, url, people["city"])
    page.goto(f"{url}/")
    menu(page, "工伤预防项目")
    page.get_by_role("link", name="建筑施工企业工伤预防培训").click()
    confirm(page, "拨付", "向青岛安培职业安全培训中心拨付 162000.00 元")
    expect(page.locator("#project-status")).to_have_text("已拨付")
    expect(page.locator("#paid")).to_contain_text("赵市预防")
    page.screenshot(path=str(screenshot_dir / "e2e-prevention-project-paid.png"), full_page=True)
    project.refresh_from_db()
    assert (project.status, project.payable_amount, project.paid_by) == ("paid", Decimal("162000.00"), people["city"])

    # 4. the leader's report, the cooperator's list
    login_as(page, url, people["leader"])
    page.goto(f"{url}/")
    menu(page, "工伤预防统计")
    expect(page.locator("#report-cap")).to_contain_text("已拨付 162000.00 元，占计划预算 54.0%")
    expect(page.locator("#report-cap")).to_contain_text("培训 1 班次、3 人次")
    expect(page.locator("#report tbody tr").first).to_contain_text("市南区")
    page.screenshot(path=str(screenshot_dir / "e2e-prevention-report.png"), full_page=True)

    login_as(page, url, people["cooperator"])
    page.goto(f"{url}/")
    menu(page, "工伤预防项目")
    expect(page.locator("#projects tbody tr")).to_have_count(1)
    expect(page.locator("#projects")).to_contain_text("已拨付")
    page.get_by_role("link", name="建筑施工企业工伤预防培训").click()
    expect(page.locator("#project-status")).to_have_text("已拨付")
    expect(page.get_by_role("button", name="拨付", exact=True)).to_have_count(0)
