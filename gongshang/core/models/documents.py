from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_employer

# The registry's printouts (参保证明, 增减员报表): the only kinds the certificates pages open.
CERTIFICATE_KINDS = Q(kind__startswith="registry.")


class IssuedDocument(models.Model):
    """出具文书: a PDF the platform issued (参保证明, 认定决定书, 鉴定结论书…), verifiable by anyone.

    The verification code printed on the document (and in its QR code) opens the public page
    /v/<code>/, which confirms the document exists, shows only masked facts, and checks an
    uploaded file against the SHA-256 of the bytes issued. Rows are never edited: a wrong
    document is revoked (revoked_at, revoke_reason) and a new one issued.
    """

    kind = models.CharField(_("文书类型"), max_length=64, db_index=True,
                            help_text=_("各业务自定义的类型代码，如 registry.employer_certificate"))
    title = models.CharField(_("文书名称"), max_length=200)
    code = models.CharField(_("验证码"), max_length=32, unique=True,
                            help_text=_("随机生成、含校验位，存储为不带分隔符的大写形式"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("PDF 文件"))
    holder_summary = models.CharField(_("持有人（脱敏）"), max_length=200, blank=True)
    facts = models.JSONField(_("公开核验要素"), default=list, blank=True,
                             help_text=_("核验页可公开显示的要素：[[名称, 值], …]，须已脱敏"))
    subject_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    subject_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    region = models.CharField(_("出具统筹区"), max_length=6, db_index=True)
    issuer_name = models.CharField(_("出具机构"), max_length=200)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("打印人"))
    issued_at = models.DateTimeField(_("出具时间"), default=timezone.now, db_index=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("作废原因"), max_length=500, blank=True)

    # Staff: their jurisdiction's; an employer: what its own handlers printed. Only certificate
    # kinds are reachable as issued documents; other kinds (认定文书 ...) are served through their
    # own models (RecognitionDocument), so a certificate page never opens a 认定决定书.
    access = Scope(kind="issued_document", staff=in_region("region"), employer=of_employer("issued_by__employer"),
                   variants={"certificate": CERTIFICATE_KINDS})

    class Meta:
        verbose_name = _("出具文书")
        verbose_name_plural = _("出具文书")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return f"{self.title} {self.code}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
