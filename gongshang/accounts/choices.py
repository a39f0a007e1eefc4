from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    INDIVIDUAL = "individual", _("个人")
    EMPLOYER = "employer", _("单位")
    STAFF = "staff", _("经办人员")
    INSTITUTION = "institution", _("定点机构")


class StaffRole(models.TextChoices):
    INTAKE = "intake", _("受理员")
    INVESTIGATOR = "investigator", _("调查员")
    REVIEWER = "reviewer", _("审核员")
    APPRAISAL_ADMIN = "appraisal_admin", _("鉴定管理员")
    BENEFITS_REVIEWER = "benefits_reviewer", _("待遇审核员")
    INSPECTOR = "inspector", _("稽核员")
    HOTLINE = "hotline", _("热线坐席")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    APPRAISAL_EXPERT = "appraisal_expert", _("鉴定专家")
    WINDOW = "window", _("综合窗口")
    PREVENTION = "prevention", _("工伤预防专管员")
    COOPERATOR = "cooperator", _("合作经办人员")
    LEADER = "leader", _("分管领导")
    EXCHANGE = "exchange", _("数据交换管理员")


# 三权分立 (GB/T 22239-2019 等级保护: 系统管理员、安全管理员、审计管理员 separated): no account
# may hold more than one of these.
SEPARATED_ADMIN_ROLES = frozenset({StaffRole.SYSTEM_ADMIN, StaffRole.SECURITY_ADMIN, StaffRole.AUDIT_ADMIN})


class SmsPurpose(models.TextChoices):
    LOGIN = "login", _("个人登录")
    RESET_PASSWORD = "reset_password", _("单位找回密码")
    QUICK_REPORT = "quick_report", _("工伤快报补充验证")


class AuthEvent(models.TextChoices):
    LOGIN = "auth.login", _("登录成功")
    LOGIN_FAILED = "auth.login_failed", _("登录失败")
    LOCKED_OUT = "auth.locked_out", _("账户锁定")
    LOGIN_THROTTLED = "auth.login_throttled", _("登录限流（同一来源多次失败）")
    CHALLENGE_REQUIRED = "auth.challenge_required", _("登录需图形验证码")
    LOGOUT = "auth.logout", _("退出登录")
    IDLE_TIMEOUT = "auth.idle_timeout", _("超时退出")
    TOKEN_ISSUED = "auth.token_issued", _("签发接口令牌")
    TOKEN_REVOKED = "auth.token_revoked", _("撤销接口令牌")
    PASSWORD_CHANGED = "auth.password_changed", _("修改密码")
    SMS_SENT = "auth.sms_sent", _("发送短信验证码")
    PASSWORD_RESET = "auth.password_reset", _("重置密码")
    EMPLOYER_REGISTERED = "accounts.employer_registered", _("单位注册")
    HANDLER_ADDED = "accounts.handler_added", _("新增单位经办人")
    REAL_NAME_BOUND = "accounts.real_name_bound", _("实名绑定")
    STAFF_CREATED = "accounts.staff_created", _("新增经办人员")
    ROLES_CHANGED = "accounts.roles_changed", _("变更角色")
    INSTITUTION_CREATED = "accounts.institution_created", _("新增定点机构接入凭证")
    STAFF_ACTIVATION_SENT = "accounts.staff_activation_sent", _("发送经办人员激活链接")
    STAFF_ACTIVATED = "accounts.staff_activated", _("经办人员完成激活")
    CREDENTIALS_RESET = "accounts.credentials_reset", _("重置经办人员登录凭证")
    BIND_FAILED = "accounts.real_name_bind_failed", _("实名绑定失败")


class TokenChannel(models.TextChoices):
    """How an API token was obtained."""

    PASSWORD = "password", _("账号密码")
    SMS = "sms", _("短信验证码")


class TokenRevokeReason(models.TextChoices):
    LOGOUT = "logout", _("接口退出登录")
    USER = "user", _("本人撤销")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    CREDENTIALS_RESET = "credentials_reset", _("安全管理员重置凭证")
