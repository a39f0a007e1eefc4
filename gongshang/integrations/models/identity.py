"""身份核验: ID number + name checked against the population register (公安人口库)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region_or_platform
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from ..choices import IdentityContext, IdentityResult

USER = settings.AUTH_USER_MODEL


class IdentityCheck(models.Model):
    """身份核验记录: one check (asked of the register, or answered from a recent check of the same
    ID number and name: `cached`), where it was asked and by whom. The name is kept as a blind
    index only; the answer is what the register said."""

    region = models.CharField(_("统筹区"), max_length=6, blank=True, db_index=True)
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number")  # its index serves the cache lookup too
    name_index = models.CharField(_("姓名索引"), max_length=64)
    context = models.CharField(_("核验场景"), max_length=16, choices=IdentityContext.choices)
    result = models.CharField(_("核验结果"), max_length=16, choices=IdentityResult.choices)
    cached = models.BooleanField(_("使用缓存结果"), default=False)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("发起人"))
    checked_at = models.DateTimeField(_("核验时间"), auto_now_add=True, db_index=True)

    access = Scope(kind="identity_check", staff=in_region_or_platform())

    class Meta:
        verbose_name = _("身份核验记录")
        verbose_name_plural = _("身份核验记录")
        ordering = ["-checked_at", "-pk"]
        # No (ID, name, time) index for the cache: a person has few checks, the blind index finds them,
        # and a batch import writes thousands of rows, each index on a random hash slowing every insert.

    def __str__(self):
        return f"{self.get_context_display()} {self.get_result_display()}"
