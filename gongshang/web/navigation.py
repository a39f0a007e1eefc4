"""The menu each audience sees. Items are (label, url name, required roles or None)."""

from django.urls import NoReverseMatch, reverse

from gongshang.accounts.choices import Audience, StaffRole

MENUS = {
    Audience.INDIVIDUAL: [
        ("首页", "web:individual_home", None),
        ("实名绑定", "accounts:bind_person", None),
    ],
    Audience.EMPLOYER: [
        ("首页", "web:employer_home", None),
        ("经办人管理", "accounts:employer_handlers", None),
    ],
    Audience.STAFF: [
        ("工作台", "web:staff_home", None),
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
