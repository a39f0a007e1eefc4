from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """存储文件: an uploaded file kept unchanged in storage, with its SHA-256 and detected type.

    Evidence and materials reference a StoredFile; derived copies (watermarks, thumbnails)
    point back to their original through `derived_from`.
    """

    storage_path = models.CharField(_("存储路径"), max_length=500, unique=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("内容类型"), max_length=100)
    extension = models.CharField(_("扩展名"), max_length=16, blank=True)
    size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    derived_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="derivatives", verbose_name=_("原始文件"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("存储文件")
        verbose_name_plural = _("存储文件")

    def __str__(self):
        return f"{self.original_name or self.storage_path} ({self.sha256[:12]})"
