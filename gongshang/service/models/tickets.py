"""12333 工单 and the agents' knowledge base (济宁: 24 小时热线, every call logged, passed on, tracked)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region
from gongshang.core.models.timeline import AppendOnlyEvent
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from ..choices import TicketCategory, TicketChannel, TicketEventType, TicketStatus
from ..rules.workflow import TICKET_WORKFLOW

USER = settings.AUTH_USER_MODEL


def _reply_by_desk(actor, ticket, action) -> bool:
    """Only the desk a ticket was transferred to replies (a staff role of the region); before any
    transfer, the hotline agents answer it themselves. The 综合窗口 closes only a visit to the counter
    (channel window: answered face to face); a call or an online question is the hotline's to close
    after telling the caller. Other actions: the matrix alone."""
    roles = getattr(actor, "role_codes", set())
    if action == "close":
        return "hotline" in roles or ticket.channel == "window"
    if action != "reply":
        return True
    if ticket.desk:
        return ticket.desk in roles
    return "hotline" in roles


class Ticket(models.Model):
    """12333 工单: one call (or window visit, or online question). Due at a regional number of working
    days per category; transferred to a desk (a staff role of the region) that replies; the agent
    closes it after telling the caller and may call back to ask for a rating."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    number = models.CharField(_("工单编号"), max_length=32, unique=True)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=TicketChannel.choices)
    category = models.CharField(_("类别"), max_length=24, choices=TicketCategory.choices, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.OPEN,
                              db_index=True)
    caller_name = EncryptedTextField(_("来电人姓名"), blank=True)
    caller_mobile = EncryptedTextField(_("来电号码"), blank=True)
    caller_mobile_index = BlindIndexField(source="caller_mobile")
    caller_id_number = EncryptedTextField(_("来电人身份证号"), blank=True)
    caller_id_number_index = BlindIndexField(source="caller_id_number")
    summary = EncryptedTextField(_("来电内容"))
    case = models.ForeignKey("cases.InjuryCase", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="tickets", verbose_name=_("关联案件"))
    quick_report = models.ForeignKey("quickreports.QuickReport", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="tickets", verbose_name=_("代报的工伤快报"))
    desk = models.CharField(_("转办科室（角色）"), max_length=32, blank=True, db_index=True)
    assignee = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("承办人"))
    due_at = models.DateTimeField(_("办结时限"), db_index=True)
    reply = EncryptedTextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    callback_score = models.PositiveSmallIntegerField(_("回访评分（1-5）"), null=True, blank=True)
    callback_note = models.CharField(_("回访记录"), max_length=500, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记坐席"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True, db_index=True)

    access = Scope(kind="service_ticket", staff=in_region(), condition=_reply_by_desk)
    workflow = TICKET_WORKFLOW

    class Meta:
        verbose_name = _("12333 工单")
        verbose_name_plural = _("12333 工单")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "status", "due_at"], name="ticket_region_status_due")]

    def __str__(self):
        return self.number

    @staticmethod
    def access_refusal(action: str) -> str:
        if action == "reply":
            return "该工单已转办给其他科室，由承办科室答复；未转办的工单由热线坐席答复。"
        if action == "close":
            return "综合窗口只能办结来窗口当面答复的工单；电话和网上的工单由热线坐席告知来电人后办结。"
        return "您不能对该工单办理此业务。"


class TicketEvent(AppendOnlyEvent):
    """工单记录: append-only — who took each step, when."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    event_type = models.CharField(_("事件"), max_length=40, choices=TicketEventType.choices)

    class Meta:
        verbose_name = _("工单记录")
        verbose_name_plural = _("工单记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.ticket_id} {self.get_event_type_display()}"


def _published_or_own_region(actor):
    """Agents read the national answers (region empty) and their 统筹区's."""
    if not actor.jurisdiction:
        return None
    return Q(region=actor.jurisdiction) | Q(region="")


_published_or_own_region.describe = "本统筹区及全国通用"


class KnowledgeArticle(models.Model):
    """知识库条目: a question callers ask, the answer agents give, and the article it rests on."""

    region = models.CharField(_("统筹区（空为全国通用）"), max_length=6, blank=True, db_index=True)
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("答复口径"))
    basis = models.CharField(_("政策依据（条款）"), max_length=300)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    category = models.CharField(_("类别"), max_length=24, choices=TicketCategory.choices,
                                default=TicketCategory.CONSULTATION)
    published = models.BooleanField(_("已发布"), default=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    access = Scope(kind="knowledge_article", staff=_published_or_own_region)

    class Meta:
        verbose_name = _("知识库条目")
        verbose_name_plural = _("知识库条目")
        ordering = ["question", "pk"]

    def __str__(self):
        return self.question

