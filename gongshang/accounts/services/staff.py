"""经办人员账户: creation, activation, roles, and the separation of the three admin roles.

三权分立 (GB/T 22239-2019 网络安全等级保护基本要求, 安全管理中心: 系统管理员、安全管理员、审计管理员
分别设置): an account holds at most one of SEPARATED_ADMIN_ROLES. Only a security administrator
manages staff accounts, only in their own jurisdiction, and never their own roles. The security
administrator never learns a new account's password or TOTP secret: the person activates the
account through a one-time link sent by SMS to their own mobile, sets the password and enrols
the authenticator there. Otherwise one security administrator could operate an "independent"
system or audit administrator account.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongshang.accounts.access import get_for, require
from gongshang.accounts.choices import (
    SEPARATED_ADMIN_ROLES,
    Audience,
    AuthEvent,
    StaffRole,
    TokenRevokeReason,
)
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.models import StaffRoleAssignment, User
from gongshang.accounts.services.passwords import check_new_password
from gongshang.accounts.services.tokens import api_tokens_revoke_all
from gongshang.accounts.validation import collect, validated
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.regions import is_valid_region
from gongshang.core.validators import ascii_digits, validate_mobile


def check_role_separation(roles) -> set[str]:
    roles = {str(r) for r in roles}
    unknown = roles - set(StaffRole.values)
    if unknown:
        raise FieldErrors({"roles": f"未知角色：{'、'.join(sorted(unknown))}"})
    if str(StaffRole.COOPERATOR) in roles and len(roles) > 1:
        # 合作经办: an insurer's staff member embedded in the agency takes the assisting actions only; an
        # agency role beside it would give it decisions, personal data or money.
        raise FieldErrors({"roles": "合作经办人员不能兼任其他角色（只做协助性工作），请只选择“合作经办人员”"})
    held = roles & {str(r) for r in SEPARATED_ADMIN_ROLES}
    if len(held) > 1:
        labels = "、".join(str(StaffRole(r).label) for r in sorted(held))
        raise DomainError(AccountsErrorCode.SEPARATION_OF_DUTIES,
                          f"{AccountsErrorCode.SEPARATION_OF_DUTIES.label}当前选择了：{labels}。",
                          details=[{"field": "roles", "message": "三权分立：只能选择其中一种管理员角色"}],
                          status=422)
    reading = sorted(r for r in roles - {str(a) for a in SEPARATED_ADMIN_ROLES} if _reads_case_data(r))
    if held and reading:
        labels = "、".join(str(StaffRole(r).label) for r in sorted(held) + reading)
        raise DomainError(AccountsErrorCode.SEPARATION_OF_DUTIES,
                          f"管理员角色不能与办理案件的角色由同一账户兼任（三权分立：管理员不接触案件数据）。当前选择了：{labels}。",
                          details=[{"field": "roles", "message": "三权分立：管理员角色不能兼任办理案件的角色"}],
                          status=422)
    return roles


def _reads_case_data(role: str) -> bool:
    """Whether the matrix gives `role` any action on a kind holding case data."""
    from gongshang.accounts.rules.access import CASE_DATA_KINDS, MATRIX

    return any(role in who for kind in CASE_DATA_KINDS for who in MATRIX[kind].values())


def _checked_organisation(errors, roles, organisation) -> str:
    """The insurer a 合作经办人员 comes from: required for that role, refused for the others."""
    organisation = (organisation or "").strip()
    if str(StaffRole.COOPERATOR) in roles and not organisation:
        errors["organisation"] = "合作经办人员须填写所属机构（派驻的商业保险机构名称）"
    elif organisation and str(StaffRole.COOPERATOR) not in roles:
        errors["organisation"] = "只有合作经办人员填写所属机构，本机构经办人员请留空"
    elif len(organisation) > 100:
        errors["organisation"] = "所属机构名称不超过 100 个字"
    return organisation


def _managed_account(actor: User, user: User) -> User:
    """The staff account `actor` (a security administrator) may manage: same jurisdiction (404
    outside it, 403 without the role)."""
    return get_for(actor, User.objects.filter(kind=Audience.STAFF), user.pk, "manage")


def activation_url(user: User, *, base: str | None = None) -> str:
    """The one-time link, absolute on settings.PUBLIC_BASE_URL (or `base`); a path when neither
    is set (development: the SMS goes to the console)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:staff_activate", args=[uid, default_token_generator.make_token(user)])
    base = (settings.PUBLIC_BASE_URL if base is None else base).rstrip("/")
    return f"{base}{path}"


def staff_activation_send(*, actor: User | None, user: User, base: str | None = None) -> str:
    """Send the one-time activation link to the staff member's own mobile; returns the link."""
    url = activation_url(user, base=base)
    enqueue_message(channel=OutboxChannel.SMS, recipient=user.mobile, template="sms_staff_activation",
                    params={"name": user.display_name, "username": user.username, "url": url,
                            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)},
                    region=user.jurisdiction, expires_in_seconds=settings.PASSWORD_RESET_TIMEOUT)
    record_event(actor=actor, event_type=AuthEvent.STAFF_ACTIVATION_SENT, target=user,
                 region=user.jurisdiction, actor_label="" if actor else "system")
    return url


def staff_create(*, actor: User | None, username: str, display_name: str, jurisdiction: str,
                 roles, mobile: str = "", password: str | None = None,
                 totp_key: str | None = None, base: str | None = None,
                 organisation: str = "") -> tuple[User, str | None]:
    """Create a staff account. Returns (user, activation link or None).

    `organisation`: the insurer a 合作经办人员 comes from (required for that role, refused for the
    others): every timeline and audit line then shows whose staff acted.

    With an actor (a security administrator): the account starts without password or TOTP and
    an activation link goes to `mobile`. Without an actor (bootstrap commands, demo data only):
    `password` and `totp_key` are set directly.
    """
    if actor is not None:
        require(actor, "staff_account", "manage")
        if password is not None or totp_key is not None:
            raise Forbidden("安全管理员不能为他人设定密码或动态口令，请由本人通过激活链接设置。")
        if jurisdiction != actor.jurisdiction:
            raise FieldErrors({"jurisdiction": "只能在本人所属统筹区内开设经办人员账户"})
    roles = check_role_separation(roles)
    username = (username or "").strip()
    with collect() as errors:
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
        organisation = _checked_organisation(errors, roles, organisation)
        if actor is not None or mobile:
            mobile = validated(errors, "mobile", validate_mobile, mobile)
        if password is not None:
            check_new_password(password, field="password", errors=errors)
    with transaction.atomic():
        user = User(username=username, kind=Audience.STAFF, display_name=display_name.strip(),
                    jurisdiction=jurisdiction, mobile=mobile, organisation=organisation)
        if password is not None:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        StaffRoleAssignment.objects.bulk_create([StaffRoleAssignment(user=user, role=r) for r in sorted(roles)])
        if totp_key:
            TOTPDevice.objects.create(user=user, name="default", confirmed=True, key=totp_key)
        record_event(actor=actor, event_type=AuthEvent.STAFF_CREATED, target=user,
                     region=jurisdiction, details={"username": username, "roles": sorted(roles),
                                                   **({"organisation": organisation} if organisation else {})},
                     actor_label="" if actor else "system")
        link = staff_activation_send(actor=actor, user=user, base=base) if actor is not None else None
    return user, link


def staff_activate(*, user: User, password: str, totp_key: str, otp: str) -> User:
    """The staff member sets their password and enrols their authenticator (from the link)."""
    from django_otp.oath import TOTP

    with collect() as errors:
        check_new_password(password, user=user, field="password", errors=errors)
        totp = TOTP(bytes.fromhex(totp_key))
        totp.drift = 0
        if not ascii_digits(otp or "") or not totp.verify(int(otp), tolerance=1):
            errors["otp"] = "动态口令不正确：请用身份验证器扫描二维码后，填写其中显示的 6 位数字"
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk, kind=Audience.STAFF)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        api_tokens_revoke_all(user=locked, reason=TokenRevokeReason.PASSWORD_CHANGED)
        TOTPDevice.objects.filter(user=locked).delete()
        TOTPDevice.objects.create(user=locked, name="default", confirmed=True, key=totp_key)
        record_event(actor=locked, event_type=AuthEvent.STAFF_ACTIVATED, target=locked,
                     region=locked.jurisdiction)
    return locked


def staff_set_roles(*, actor: User, user: User, roles, organisation: str | None = None) -> set[str]:
    """Change an account's roles. `organisation` (None: keep the account's own) is required when the
    roles make it a 合作经办人员 and refused otherwise; an account leaving that role loses it, so its
    later actions no longer show an insurer's name."""
    _managed_account(actor, user)
    if user.pk == actor.pk:
        raise Forbidden("不能修改自己的角色，请由另一名安全管理员办理。")
    roles = check_role_separation(roles)
    is_cooperator = str(StaffRole.COOPERATOR) in roles
    if organisation is None:
        organisation = user.organisation if is_cooperator else ""
    with collect() as errors:
        if not roles:
            errors["roles"] = "请至少选择一个角色"
        organisation = _checked_organisation(errors, roles, organisation)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk, kind=Audience.STAFF)
        before = set(locked.role_assignments.values_list("role", flat=True))
        StaffRoleAssignment.objects.filter(user=locked).exclude(role__in=roles).delete()
        StaffRoleAssignment.objects.bulk_create(
            [StaffRoleAssignment(user=locked, role=r) for r in sorted(roles - before)])
        details = {"before": sorted(before), "after": sorted(roles)}
        if organisation != locked.organisation:
            details |= {"organisation_before": locked.organisation, "organisation": organisation}
            locked.organisation = organisation
            locked.save(update_fields=["organisation"])
        record_event(actor=actor, event_type=AuthEvent.ROLES_CHANGED, target=locked,
                     region=locked.jurisdiction, details=details)
    user._role_codes = None
    user.organisation = organisation
    return roles


def staff_credentials_reset(*, actor: User, user: User, base: str | None = None) -> str:
    """Lost phone or password: clear both, revoke API tokens, send a new activation link."""
    _managed_account(actor, user)
    if user.pk == actor.pk:
        raise Forbidden("不能重置自己的登录凭证，请由另一名安全管理员办理。")
    if not user.mobile:
        raise FieldErrors({"mobile": "该账户没有登记手机号，无法发送激活链接。"})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_unusable_password()
        locked.save(update_fields=["password"])
        TOTPDevice.objects.filter(user=locked).delete()
        api_tokens_revoke_all(user=locked, actor=actor, reason=TokenRevokeReason.CREDENTIALS_RESET)
        record_event(actor=actor, event_type=AuthEvent.CREDENTIALS_RESET, target=locked,
                     region=locked.jurisdiction)
        link = staff_activation_send(actor=actor, user=locked, base=base)
    return link
