"""TextChoices of 工伤认定, built from the stable codes in rules (one list for rules, pages, API)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.core.choices import choices_from

from .rules import codes, periods, workflow

Circumstance = choices_from("Circumstance", codes.CIRCUMSTANCES)
Treatment = choices_from("Treatment", codes.TREATMENTS)
ApplicantKind = choices_from("ApplicantKind", codes.APPLICANTS)
MaterialKind = choices_from("MaterialKind", codes.MATERIALS)
DecisionResult = choices_from("DecisionResult", codes.DECISIONS)


class ApplicationStatus(models.TextChoices):
    DRAFT = workflow.DRAFT, _("草稿")
    SUBMITTED = workflow.SUBMITTED, _("待分配")
    ALLOCATED = workflow.ALLOCATED, _("已分配待受理")
    ACCEPTED = workflow.ACCEPTED, _("已受理")
    CORRECTION_REQUESTED = workflow.CORRECTION_REQUESTED, _("待补正")
    NOT_ACCEPTED = workflow.NOT_ACCEPTED, _("不予受理")
    INVESTIGATING = workflow.INVESTIGATING, _("调查核实中")
    SUSPENDED = workflow.SUSPENDED, _("中止")
    DECIDED = workflow.DECIDED, _("已作出认定")
    DELIVERED = workflow.DELIVERED, _("已送达")
    WITHDRAWN = workflow.WITHDRAWN, _("已撤回")
    DELETED = workflow.DELETED, _("已删除")


class PeriodStatus(models.TextChoices):
    NOT_ASSESSED = periods.NOT_ASSESSED, _("尚未提交")
    IN_TIME = periods.IN_TIME, _("在申请时限内")
    EMPLOYER_LATE = periods.EMPLOYER_LATE, _("用人单位逾期申请")
    EXPIRED = periods.EXPIRED, _("超过申请时限")


class RecognitionEventType(models.TextChoices):
    CREATED = "recognition.created", _("创建申请")
    UPDATED = "recognition.updated", _("修改申请")
    REPLACED = "recognition.draft_replaced", _("替换同一职工的暂存草稿")
    MATERIAL_ADDED = "recognition.material_added", _("上传材料")
    MATERIAL_REMOVED = "recognition.material_removed", _("移除材料")
    SUBMITTED = "recognition.submitted", _("提交申请")
    RESUBMITTED = "recognition.resubmitted", _("补正后重新提交")
    WITHDRAWN = "recognition.withdrawn", _("撤回申请")
    DELETED = "recognition.deleted", _("删除申请")
    ALLOCATED = "recognition.allocated", _("分配受理员")
    ACCEPTED = "recognition.accepted", _("受理")
    CORRECTION_REQUESTED = "recognition.correction_requested", _("一次性告知补正")
    NOT_ACCEPTED = "recognition.not_accepted", _("不予受理")
    INVESTIGATION_STARTED = "recognition.investigation_started", _("启动调查核实")
    INVESTIGATION_NOTE = "recognition.investigation_note", _("调查记录")
    INVESTIGATION_REPORT = "recognition.investigation_report", _("上传调查报告")
    SUSPENDED = "recognition.suspended", _("中止认定")
    RESUMED = "recognition.resumed", _("恢复认定")
    DECIDED = "recognition.decided", _("作出认定决定")
    DELIVERED = "recognition.delivered", _("送达")
    DOCUMENT_ISSUED = "recognition.document_issued", _("出具文书")
    PERIOD_EXTENSION = "recognition.period_extension", _("登记申请时限延长理由")
    PERIOD_EXPIRED = "recognition.period_expired", _("超过申请时限，待经办机构处理")
    FORM_GENERATED = "recognition.form_generated", _("生成工伤认定申请表")


class RecognitionDocumentKind(models.TextChoices):
    APPLICATION_FORM = "recognition.application_form", _("工伤认定申请表")
    ACCEPTANCE = "recognition.acceptance_notice", _("工伤认定申请受理通知书")
    CORRECTION = "recognition.correction_notice", _("工伤认定申请补正材料通知书")
    NOT_ACCEPTED = "recognition.not_accepted_decision", _("工伤认定申请不予受理决定书")
    RECOGNIZED = "recognition.decision_recognized", _("认定工伤决定书")
    DEEMED = "recognition.decision_deemed", _("视同工伤决定书")
    NOT_RECOGNIZED = "recognition.decision_not_recognized", _("不予认定工伤决定书")


DECISION_DOCUMENT = {
    "recognized": RecognitionDocumentKind.RECOGNIZED,
    "deemed": RecognitionDocumentKind.DEEMED,
    "not_recognized": RecognitionDocumentKind.NOT_RECOGNIZED,
}
