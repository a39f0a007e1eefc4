"""TextChoices of 劳动能力鉴定, built from the stable codes in rules (one list for rules, pages, API)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.core.choices import choices_from

from .rules import codes, workflow

AppraisalKind = choices_from("AppraisalKind", codes.KINDS)
ApplicantKind = choices_from("ApplicantKind", codes.APPLICANTS)
MaterialKind = choices_from("MaterialKind", codes.MATERIALS)
SelfCareLevel = choices_from("SelfCareLevel", codes.SELF_CARE_LEVELS)
VisitMode = choices_from("VisitMode", codes.VISIT_MODES)


class ApplicationStatus(models.TextChoices):
    DRAFT = workflow.DRAFT, _("草稿")
    SUBMITTED = workflow.SUBMITTED, _("已提交待审核")
    CORRECTION_REQUESTED = workflow.CORRECTION_REQUESTED, _("待补正")
    ACCEPTED = workflow.ACCEPTED, _("已受理")
    SCHEDULED = workflow.SCHEDULED, _("已安排鉴定")
    EXAMINED = workflow.EXAMINED, _("专家组已提出意见")
    REFERRED = workflow.REFERRED, _("已报送省级鉴定委员会")
    CONCLUDED = workflow.CONCLUDED, _("已作出鉴定结论")
    DELIVERED = workflow.DELIVERED, _("已送达")
    TERMINATED = workflow.TERMINATED, _("已终止鉴定")
    WITHDRAWN = workflow.WITHDRAWN, _("已撤回")
    DELETED = workflow.DELETED, _("已删除")


class BatchStatus(models.TextChoices):
    PLANNED = workflow.PLANNED, _("计划中（可编入）")
    CLOSED = workflow.CLOSED, _("已截止编入")
    DRAWN = workflow.DRAWN, _("已抽取专家组")
    EXAMINED = workflow.BATCH_EXAMINED, _("现场鉴定已结束")
    PUBLISHED = workflow.PUBLISHED, _("结论已公示")


class ExpertCategory(models.TextChoices):
    """The five 门类 of GB/T 16180-2014 (附录 / 5 分级).

    神经内科、神经外科、精神科门; 骨科、整形外科、烧伤科门; 眼科、耳鼻喉科、口腔科门;
    普外科、胸外科、泌尿生殖科门; 职业病内科门."""

    NEURO = "neuro", _("神经内科、神经外科、精神科")
    ORTHO = "ortho", _("骨科、整形外科、烧伤科")
    SENSORY = "sensory", _("眼科、耳鼻喉科、口腔科")
    VISCERAL = "visceral", _("普外科、胸外科、泌尿生殖科")
    OCCUPATIONAL = "occupational", _("职业病内科")


class ConflictKind(models.TextChoices):
    """回避 (条例 第二十七条)."""

    RELATIVE = "relative", _("近亲属")
    TREATING = "treating", _("经治医师")
    OTHER = "other", _("其他利害关系")


class DeliveryMethod(models.TextChoices):
    ONLINE = "online", _("网上送达（申请人下载签收）")
    POST = "post", _("邮寄送达（免费）")
    IN_PERSON = "in_person", _("窗口领取")
