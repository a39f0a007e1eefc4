"""经办人员账户: creation with TOTP, roles, and the separation of the three admin roles.

三权分立 (GB/T 22239-2019 网络安全等级保护基本要求, 安全管理中心: 系统管理员、安全管理员、审计管理员
分别设置): an account holds at most one of SEPARATED_ADMIN_ROLES. Only a security administrator
manages staff accounts, and never their own roles.
"""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongshang.accounts.choices import SEPARATED_ADMIN_ROLES, Audience, AuthEvent, StaffRole
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.models import StaffRoleAssignment, User
from gongshang.accounts.permissions import require_role
from gongshang.accounts.services.passwords import check_new_password
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.regions import is_valid_region


def check_role_separation(roles) -> set[str]:
    roles = {str(r) for r in roles}
    unknown = roles - set(StaffRole.values)
    if unknown:
        raise FieldErrors({"roles": f"未知角色：{'、'.join(sorted(unknown))}"})
    held = roles & {str(r) for r in SEPARATED_ADMIN_ROLES}
    if len(held) > 1:
        labels = "、".join(str(StaffRole(r).label) for r in sorted(held))
        raise DomainError(AccountsErrorCode.SEPARATION_OF_DUTIES,
                          f"{AccountsErrorCode.SEPARATION_OF_DUTIES.label}当前选择了：{labels}。",
                          details=[{"field": "roles", "message": "三权分立：只能选择其中一种管理员角色"}],
                          status=422)
    return roles


def staff_create(request, *, actor: User | None, username: str, display_name: str, jurisdiction: str,
                 roles, password: str, totp_key: str | None = None) -> tuple[User, TOTPDevice]:
    """Create a staff account with its TOTP device. `actor` None only for bootstrap commands."""
    if actor is not None:
        require_role(actor, StaffRole.SECURITY_ADMIN)
    roles = check_role_separation(roles)
    errors = {}
    username = (username or "").strip()
    if not username or not username.replace("_", "").replace("-", "").isalnum():
        errors["username"] = "用户名只能包含字母、数字、- 和 _"
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = "该用户名已存在"
    if not (display_name or "").strip():
        errors["display_name"] = "请填写姓名"
    if not is_valid_region(jurisdiction):
        errors["jurisdiction"] = "请选择有效的统筹区（行政区划代码）"
    if not roles:
        errors["roles"] = "请至少选择一个角色"
    if errors:
        raise FieldErrors(errors)
    check_new_password(password, field="password")
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, kind=Audience.STAFF,
                                        display_name=display_name.strip(), jurisdiction=jurisdiction)
        StaffRoleAssignment.objects.bulk_create([StaffRoleAssignment(user=user, role=r) for r in sorted(roles)])
        device_kwargs = {"key": totp_key} if totp_key else {}
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True, **device_kwargs)
        record_event(actor=actor, event_type=AuthEvent.STAFF_CREATED, target=user, request=request,
                     region=jurisdiction, details={"username": username, "roles": sorted(roles)},
                     actor_label="" if actor else "system")
    return user, device


def staff_set_roles(request, *, actor: User, user: User, roles) -> set[str]:
    require_role(actor, StaffRole.SECURITY_ADMIN)
    if user.pk == actor.pk:
        raise DomainError("forbidden", "不能修改自己的角色，请由另一名安全管理员办理。", status=403)
    roles = check_role_separation(roles)
    if not roles:
        raise FieldErrors({"roles": "请至少选择一个角色"})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk, kind=Audience.STAFF)
        before = set(locked.role_assignments.values_list("role", flat=True))
        StaffRoleAssignment.objects.filter(user=locked).exclude(role__in=roles).delete()
        StaffRoleAssignment.objects.bulk_create(
            [StaffRoleAssignment(user=locked, role=r) for r in sorted(roles - before)])
        record_event(actor=actor, event_type=AuthEvent.ROLES_CHANGED, target=locked, request=request,
                     region=locked.jurisdiction, details={"before": sorted(before), "after": sorted(roles)})
    user._role_codes = None
    return roles


def staff_totp_reset(request, *, actor: User, user: User) -> TOTPDevice:
    """Issue a new TOTP secret (lost phone); the old device stops working at once."""
    require_role(actor, StaffRole.SECURITY_ADMIN)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        record_event(actor=actor, event_type="accounts.totp_reset", target=user, request=request,
                     region=user.jurisdiction)
    return device
