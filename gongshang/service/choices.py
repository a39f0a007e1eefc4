"""Statuses and kinds of 服务 (TextChoices; labels are what people read)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- 一窗受理 (三事合一) -------------------------------------------------------------------------------

class WindowChannel(models.TextChoices):
    WINDOW = "window", _("综合窗口")
    ONLINE = "online", _("网上申请")


class WindowRequestStatus(models.TextChoices):
    WAITING_RECOGNITION = "waiting_recognition", _("认定办理中")
    FOLLOW_ONS_CREATED = "follow_ons_created", _("后续事项已自动发起")
    NOT_RECOGNISED = "not_recognised", _("未认定为工伤，后续事项不再办理")
    RECOGNITION_ENDED = "recognition_ended", _("认定申请已撤回或不予受理，后续事项不再办理")
    CLOSED = "closed", _("已办结")


class MatterKind(models.TextChoices):
    RECOGNITION = "recognition", _("工伤认定")
    APPRAISAL = "appraisal", _("劳动能力鉴定")
    BENEFITS = "benefits", _("工伤保险待遇核定")


class MatterStatus(models.TextChoices):
    ACCEPTED = "accepted", _("已受理")
    WAITING = "waiting", _("待认定结论后发起")
    PREPARED = "prepared", _("已提前准备")
    CREATED = "created", _("已发起办理")
    DONE = "done", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")
    CANCELLED = "cancelled", _("不再办理")


# --- 12333 工单 ------------------------------------------------------------------------------------------

class TicketChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    WINDOW = "window", _("窗口")
    ONLINE = "online", _("网上")


class TicketCategory(models.TextChoices):
    CONSULTATION = "consultation", _("政策咨询")
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("意见建议")
    ACCIDENT_FILING = "accident_filing", _("事故备案（电话报工伤）")
    HELP = "help", _("求助")


class TicketStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    TRANSFERRED = "transferred", _("已转办")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


class TicketEventType(models.TextChoices):
    CREATED = "ticket.created", _("登记工单")
    TRANSFERRED = "ticket.transferred", _("转办")
    REPLIED = "ticket.replied", _("答复")
    CLOSED = "ticket.closed", _("办结")
    CALLED_BACK = "ticket.called_back", _("回访")
    QUICK_REPORT = "ticket.quick_report", _("代报工伤快报")
    REVEALED = "ticket.revealed", _("查看完整来电信息")


# --- 好差评 ---------------------------------------------------------------------------------------------

class RatedMatter(models.TextChoices):
    RECOGNITION = "recognition", _("工伤认定")
    APPRAISAL = "appraisal", _("劳动能力鉴定")
    BENEFITS = "benefits", _("工伤保险待遇")
    TICKET = "ticket", _("12333 热线")
    WINDOW = "window", _("综合窗口")


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("网上评价")
    CALLBACK = "callback", _("电话回访")
    WINDOW = "window", _("窗口评价器")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已整改并回复")


# --- 工伤预防 ------------------------------------------------------------------------------------------

class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报市级审批")
    APPROVED = "approved", _("已批准")
    RETURNED = "returned", _("已退回修改")


class ProjectKind(models.TextChoices):
    TRAINING = "training", _("工伤预防培训")
    PUBLICITY = "publicity", _("工伤预防宣传")
    OTHER = "other", _("其他（经省级部门同意的项目）")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("已申报")
    APPROVED = "approved", _("已立项")
    CONTRACTED = "contracted", _("已签订合同")
    DELIVERED = "delivered", _("已交付")
    ACCEPTED = "accepted", _("已验收")
    EVALUATED = "evaluated", _("已评估")
    PAID = "paid", _("已拨付")
    REJECTED = "rejected", _("未立项")


class CourseStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核未通过")


class VenueKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    SITE = "site", _("项目工地")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    COMMUNITY = "community", _("社区")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("待开班")
    HELD = "held", _("已开班")
    CLOSED = "closed", _("已结班")


class EvaluationKind(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", _("学员问卷")
    EVALUATION_FORM = "evaluation_form", _("评估表")


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    AUDIO = "audio", _("音频")
    VIDEO = "video", _("视频")
