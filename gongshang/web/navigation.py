"""The menu each audience sees. Items are (label, url name, required roles or None)."""

from django.urls import NoReverseMatch, reverse

from gongshang.accounts.choices import Audience, StaffRole

MENUS = {
    Audience.INDIVIDUAL: [
        ("首页", "web:individual_home", None),
        ("工伤快报", "quickreports:start", None),
        ("工伤快报补充信息", "quickreports:supplement_start", None),
        ("工伤认定申请", "recognition:my_list", None),
        ("我的待遇", "benefits:my_statements", None),
        ("待遇计算器", "benefits:calculator", None),
        ("实名绑定", "accounts:bind_person", None),
    ],
    Audience.EMPLOYER: [
        ("首页", "web:employer_home", None),
        ("单位综合查询", "registry:employer_overview", None),
        ("员工花名册", "registry:roster", None),
        ("个人综合查询", "registry:person_search", None),
        ("增减员申报", "registry:change_list", None),
        ("批量报盘", "registry:import_list", None),
        ("证明打印", "registry:certificates", None),
        ("工伤快报", "quickreports:start", None),
        ("工伤快报补充信息", "quickreports:supplement_start", None),
        ("工伤认定申请", "recognition:my_list", None),
        ("经办人管理", "accounts:employer_handlers", None),
    ],
    Audience.STAFF: [
        ("工作台", "web:staff_home", None),
        ("快报收件箱", "quickreports:inbox", {StaffRole.INTAKE, StaffRole.INVESTIGATOR}),
        ("认定待分配", "recognition:staff_unallocated", {StaffRole.INTAKE, StaffRole.REVIEWER}),
        ("我的认定案件", "recognition:staff_mine", {StaffRole.INTAKE, StaffRole.INVESTIGATOR, StaffRole.REVIEWER}),
        ("认定超期", "recognition:staff_overdue", {StaffRole.INTAKE, StaffRole.INVESTIGATOR, StaffRole.REVIEWER}),
        ("增减员确认", "registry:staff_changes", {StaffRole.INTAKE}),
        ("参保单位核验", "registry:staff_employers", {StaffRole.INTAKE}),
        ("参保证明打印", "registry:certificates", {StaffRole.INTAKE}),
        ("工伤待遇", "benefits:entitlement_list", {StaffRole.BENEFITS_REVIEWER}),
        ("月度发放", "benefits:payroll_list", {StaffRole.BENEFITS_REVIEWER}),
        ("待遇参数", "benefits:parameter_list", {StaffRole.BENEFITS_REVIEWER, StaffRole.SYSTEM_ADMIN}),
        ("经办人员", "accounts:staff_list", {StaffRole.SECURITY_ADMIN}),
        ("定点机构凭证", "accounts:institution_list", {StaffRole.SECURITY_ADMIN}),
        ("节假日维护", "core:calendar_overrides", {StaffRole.SYSTEM_ADMIN}),
        ("通知发件箱", "core:outbox_list", {StaffRole.SYSTEM_ADMIN}),
        ("审计日志", "core:audit_list", {StaffRole.AUDIT_ADMIN}),
    ],
}


def menu_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for label, url_name, roles in MENUS.get(user.kind, []):
        if roles and not user.has_role(*roles):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # a page whose module is not installed in this build
        items.append({"label": label, "url": url})
    return items
