from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from .access import Scope, in_region, of_employer, of_user
from .choices import Audience, SmsPurpose, StaffRole, TokenChannel, TokenRevokeReason


class User(AbstractUser):
    """An account of one of four audiences: 个人, 单位经办人, 经办人员, 定点机构 (API client).

    - individual: username is generated; logs in by mobile + SMS code; `person` after 实名绑定.
    - employer: a handler of `employer`; the primary handler's username is the USCC.
    - staff: belongs to one jurisdiction (统筹区 code) and holds StaffRoleAssignment rows; TOTP.
    - institution: an API client; username is the client id, password the client secret.
    """

    kind = models.CharField(_("账户类型"), max_length=16, choices=Audience.choices, db_index=True)
    display_name = models.CharField(_("姓名/名称"), max_length=100, blank=True)
    mobile = EncryptedTextField(_("手机号"), blank=True)
    mobile_index = BlindIndexField(source="mobile")
    jurisdiction = models.CharField(_("所属统筹区"), max_length=6, blank=True, db_index=True)
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="handlers", verbose_name=_("所属单位"))
    is_primary_handler = models.BooleanField(_("主经办人"), default=False)
    person = models.ForeignKey("registry.InsuredPerson", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="accounts", verbose_name=_("实名绑定的参保人"))
    # 合作经办 (济宁: 商业保险机构人员驻点协助经办): the insurer a 合作经办人员 comes from; their actions
    # show it beside their name ("张三（合作经办·某人寿）").
    organisation = models.CharField(_("所属机构（合作经办）"), max_length=100, blank=True)

    # Staff and institution accounts: the security administrator of their 统筹区; an employer's
    # handlers: the employer's own handlers.
    access = Scope(
        kind="staff_account", staff=in_region("jurisdiction"), employer=of_employer("employer"),
        variants={"staff_account": models.Q(kind=Audience.STAFF),
                  "institution_credential": models.Q(kind=Audience.INSTITUTION),
                  "employer_handler": models.Q(kind=Audience.EMPLOYER)},
    )

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")

    @property
    def is_staff_user(self) -> bool:
        return self.kind == Audience.STAFF

    @property
    def role_codes(self) -> set[str]:
        if not self.is_staff_user:
            return set()
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = set(self.role_assignments.values_list("role", flat=True))
            self._role_codes = cached
        return cached

    @property
    def masked_mobile(self) -> str:
        from gongshang.core.pii.masking import mask_mobile

        return mask_mobile(self.mobile)

    def has_role(self, *roles) -> bool:
        return bool(self.role_codes & {str(r) for r in roles})

    def __str__(self):
        name = self.display_name or self.username
        if self.organisation:  # 合作经办: every timeline and audit line shows whose staff acted
            return f"{name}（合作经办·{self.organisation}）"
        return name


class StaffRoleAssignment(models.Model):
    """经办角色: one role held by a staff account (三权分立 enforced in services.staff)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=32, choices=StaffRole.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("经办角色")
        verbose_name_plural = _("经办角色")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role")]

    def __str__(self):
        return f"{self.user} {self.get_role_display()}"


class SmsCode(models.Model):
    """短信验证码: a 6-digit one-time code, stored hashed, valid 5 minutes, limited attempts."""

    mobile_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(_("用途"), max_length=32, choices=SmsPurpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["mobile_index", "purpose", "created_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """接口令牌: a bearer token of one account; only its SHA-256 is stored, plus the first
    characters (`prefix`) so its owner can tell tokens apart. Revoked tokens are kept (revoked_at)
    for the owner's list and the audit trail."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("令牌前缀"), max_length=8, blank=True)
    label = models.CharField(_("客户端"), max_length=100, blank=True)
    channel = models.CharField(_("取得方式"), max_length=16, choices=TokenChannel.choices, blank=True)
    created_ip = models.GenericIPAddressField(_("签发时的网络地址"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=32, choices=TokenRevokeReason.choices, blank=True)

    # Nobody lists or revokes another account's tokens, whatever their role.
    access = Scope(kind="own_account", staff=of_user("user"), employer=of_user("user"),
                   individual=of_user("user"), institution=of_user("user"))

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        indexes = [models.Index(fields=["user", "revoked_at", "expires_at"])]

    def __str__(self):
        return f"{self.user} {self.masked} 至 {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def masked(self) -> str:
        return f"{self.prefix}…" if self.prefix else "（早期令牌）"
