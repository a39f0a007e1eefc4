"""好差评 (国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见, 国办发〔2019〕51号)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_user
from gongshang.core.pii.fields import EncryptedTextField

from ..choices import FollowUpStatus, RatedMatter, RatingChannel

USER = settings.AUTH_USER_MODEL


class Rating(models.Model):
    """One applicant's rating (1–5) of one finished matter (`matter` + `matter_id`: the recognition
    application, the appraisal application, the case's benefits, the ticket, the window request).
    `office` is the 统筹区 agency that handled it (the report groups by office and matter)."""

    region = models.CharField(_("统筹区（经办机构）"), max_length=6, db_index=True)
    matter = models.CharField(_("评价事项"), max_length=16, choices=RatedMatter.choices, db_index=True)
    matter_id = models.PositiveBigIntegerField(_("事项记录编号"))
    case = models.ForeignKey("cases.InjuryCase", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="ratings", verbose_name=_("工伤案件"))
    channel = models.CharField(_("评价渠道"), max_length=16, choices=RatingChannel.choices,
                               default=RatingChannel.ONLINE)
    score = models.PositiveSmallIntegerField(_("评分（1-5）"))
    comment = EncryptedTextField(_("评价内容"), blank=True)
    rater = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("评价人"))
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("代为登记的坐席"))
    rated_at = models.DateTimeField(_("评价时间"), auto_now_add=True, db_index=True)

    access = Scope(kind="service_rating", staff=in_region(), employer=of_user("rater"),
                   individual=of_user("rater"))

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "matter_id", "rater"], name="uniq_rating_per_rater"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_5"),
        ]

    def __str__(self):
        return f"{self.get_matter_display()} {self.score}"


class RatingFollowUp(models.Model):
    """差评整改: a rating of 1 or 2 opens one; closed within the regional working days, with the
    outcome told to the applicant (核实整改反馈)."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="follow_up",
                                  verbose_name=_("服务评价"))
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN, db_index=True)
    due_date = models.DateField(_("整改时限"), db_index=True)
    assignee = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("承办人"))
    outcome = EncryptedTextField(_("核实整改情况"), blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("办结人"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    told_at = models.DateTimeField(_("告知评价人时间"), null=True, blank=True)

    access = Scope(kind="service_rating", staff=in_region(), employer=of_user("rating__rater"),
                   individual=of_user("rating__rater"))

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return f"{self.rating} 整改"
