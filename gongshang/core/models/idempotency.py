from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """幂等记录: the first response to a POST carrying an Idempotency-Key, replayed on repeats."""

    principal = models.CharField(_("调用方"), max_length=80)
    key = models.CharField(_("幂等键"), max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    completed = models.BooleanField(default=False)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.BinaryField(null=True)
    response_content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="uniq_idempotency_key")]

    def __str__(self):
        return f"{self.principal} {self.key}"
