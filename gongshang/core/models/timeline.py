"""The shape every timeline shares (case, quick report, recognition application): who, when,
what, with details that may hold personal data and are therefore encrypted. Append-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.core.pii.fields import EncryptedJSONField


class AppendOnlyEvent(models.Model):
    """Abstract: subclasses add the FK to what the timeline belongs to, `event_type` with their
    own choices, and Meta (verbose names, ordering)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(_("操作人"), max_length=100, blank=True)
    details = EncryptedJSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def save(self, *args, **kwargs):
        # Invariant of an append-only log, not business logic: rows are never rewritten.
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)
