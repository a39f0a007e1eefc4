"""Menus computed from the matrix: each role's menu leads to its own work, and nothing else."""

import pytest
from django.urls import reverse

from gongshang.accounts.access import may
from gongshang.accounts.choices import StaffRole
from gongshang.web.navigation import MENUS, menu_for, tab_bar_for

pytestmark = pytest.mark.django_db


def labels(user) -> list[str]:
    return [item["label"] for item in menu_for(user)]


def urls(user) -> set[str]:
    return {item["url"] for item in menu_for(user)}


ADMIN_ENTRIES = {"经办人员", "定点机构凭证", "权限矩阵", "节假日维护", "通知发件箱", "审计日志", "敏感信息查看记录"}


def test_reviewer_gets_the_open_recognition_cases(staff_factory):
    menu = urls(staff_factory(StaffRole.REVIEWER))
    for view in ("open", "expired"):
        assert reverse("recognition:staff_queue", kwargs={"view": view}) in menu
    assert {reverse("recognition:staff_unallocated"), reverse("recognition:staff_mine"),
            reverse("recognition:staff_overdue")} <= menu
    assert reverse("quickreports:inbox") not in menu  # the 审核员 receives no quick reports


def test_intake_gets_its_queues(staff_factory):
    menu = labels(staff_factory(StaffRole.INTAKE))
    assert {"快报收件箱", "认定待分配", "增减员确认", "参保单位核验", "参保证明打印"} <= set(menu)
    assert not ADMIN_ENTRIES & set(menu)
    assert "月度发放" not in menu


def test_investigator_gets_inbox_and_its_cases_but_not_allocation(staff_factory):
    menu = labels(staff_factory(StaffRole.INVESTIGATOR))
    assert {"快报收件箱", "我的认定案件", "全部在办认定"} <= set(menu)
    assert "认定待分配" not in menu and "超过申请时限待处理" not in menu


def test_benefits_reviewer_gets_payroll(staff_factory):
    menu = labels(staff_factory(StaffRole.BENEFITS_REVIEWER))
    # 后续事项 (三事合一: the benefits matter prepared in advance), 12333 工单 transferred to the desk,
    # 案件留言: every case desk answers its cases' applicants.
    # 数据交换: deaths to verify, overpayments to recover, yearly certifications, hospital notices,
    # case packages and transfers in.
    assert menu == ["工作台", "工伤待遇", "月度发放", "待遇补扣", "待遇参数", "后续事项", "12333 工单", "案件留言",
                    "死亡信息核实", "多发待遇追回", "待遇资格认证", "入出院通知", "案卷包与转移"]


@pytest.mark.parametrize(("role", "expected"), [
    (StaffRole.SECURITY_ADMIN, ["工作台", "经办人员", "定点机构凭证", "权限矩阵"]),
    (StaffRole.AUDIT_ADMIN, ["工作台", "审计日志", "敏感信息查看记录"]),
    (StaffRole.SYSTEM_ADMIN, ["工作台", "待遇参数", "节假日维护", "通知发件箱"]),
])
def test_the_three_administrators_see_only_their_admin_pages(staff_factory, role, expected):
    assert labels(staff_factory(role)) == expected


def test_hotline_gets_the_rating_follow_ups(staff_factory):
    # 好差评 and the 12333 pages.
    menu = labels(staff_factory(StaffRole.HOTLINE))
    assert menu[0] == "工作台" and {"差评整改", "好差评统计"} <= set(menu)


def test_inspector_gets_the_medical_desk(staff_factory):
    assert labels(staff_factory(StaffRole.INSPECTOR)) == ["工作台", "协议机构", "工伤医疗目录", "目录导入", "工伤医疗参数",
                                                          "异地就医备案", "辅助器具与康复", "费用审核", "机构月度结算", "异常指标",
                                                          "现场稽核", "我的稽核任务", "12333 工单", "入出院通知"]



def test_institution_portal_menu(db):
    from gongshang.accounts.tests.factories import UserFactory

    institution = UserFactory(kind="institution", username="inst-menu")
    assert labels(institution) == ["首页", "本机构信息", "工伤医疗目录", "结算单", "稽核通知", "协助资格认证"]


def test_inspector_sees_the_on_site_audits(staff_factory):
    seen = labels(staff_factory(StaffRole.INSPECTOR))
    assert seen[0] == "工作台" and "现场稽核" in seen and "我的稽核任务" in seen
    assert "现场稽核" not in labels(staff_factory(StaffRole.HOTLINE))


def test_outside_audiences(employer_user_a, individual_user):
    assert "经办人管理" in labels(employer_user_a) and "快报收件箱" not in labels(employer_user_a)
    assert labels(individual_user)[0] == "首页" and "待遇计算器" in labels(individual_user)
    assert menu_for(None) == []


def test_every_entry_is_what_the_matrix_allows(staff_factory):
    for role in StaffRole.values:
        user = staff_factory(role)
        shown = set(labels(user))
        for label, _, _, kind, action in MENUS["staff"]:
            if label in shown:
                assert kind is None or may(user, kind, action), (role, label)


@pytest.mark.parametrize("role", list(StaffRole.values))
def test_each_staff_menu_page_opens(client, staff_factory, role):
    """A menu never offers a page its role is refused (the recognition and benefits pages included)."""
    user = staff_factory(role)
    client.force_login(user)
    for item in menu_for(user):
        response = client.get(item["url"])
        assert response.status_code == 200, (role, item)


def test_tab_bar_has_the_five_tabs_for_workers_and_employers(employer_user_a, individual_user):
    for user in (individual_user, employer_user_a):
        assert [tab["label"] for tab in tab_bar_for(user)] == ["首页", "办事", "进度", "消息", "我的"]
    assert tab_bar_for(individual_user)[0]["url"] == reverse("web:individual_home")
    assert tab_bar_for(employer_user_a)[0]["url"] == reverse("web:employer_home")
    assert tab_bar_for(individual_user)[4]["url"] == reverse("accounts:bind_person")
    assert tab_bar_for(employer_user_a)[4]["url"] == reverse("registry:employer_overview")


def test_staff_and_the_signed_out_get_no_tab_bar(staff_factory):
    assert tab_bar_for(staff_factory(StaffRole.REVIEWER)) == []
    assert tab_bar_for(None) == []


def test_every_tab_opens_for_its_account(client, employer_user_a, individual_user):
    """No dead tab: each tab's page answers 200 for the account it is shown to."""
    for user in (individual_user, employer_user_a):
        client.force_login(user)
        for tab in tab_bar_for(user):
            assert client.get(tab["url"]).status_code == 200, (user.kind, tab)


def test_tab_bar_is_rendered_with_the_current_tab_marked(client, individual_user):
    client.force_login(individual_user)
    html = client.get(reverse("web:services")).content.decode()
    assert 'class="tab-bar"' in html
    assert f'<a href="{reverse("web:services")}" aria-current="page">' in html


def test_services_page_lists_the_menu_as_tiles(client, employer_user_a):
    client.force_login(employer_user_a)
    html = client.get(reverse("web:services")).content.decode()
    assert 'class="tile"' in html and "经办人管理" in html and "员工花名册" in html


def test_services_tiles_carry_their_icons(employer_user_a):
    icons = {item["label"]: item["icon"] for item in menu_for(employer_user_a)}
    assert icons["员工花名册"] == "people" and icons["批量报盘"] == "upload" and icons["经办人管理"] == "me"


def test_exchange_officer_gets_the_exchange_desk(staff_factory):
    assert labels(staff_factory(StaffRole.EXCHANGE)) == ["工作台", "数据交换批次", "交换错误行", "缴费比对差异", "死亡信息核实",
                                                         "入出院通知",
                                                         "身份核验", "案卷包与转移", "月度统计报表"]
