"""Statuses and kinds of 工伤医疗 (TextChoices; the transition tables are in rules/workflow.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    MEDICAL = "medical", _("医疗机构")
    REHABILITATION = "rehabilitation", _("康复机构")
    DEVICE = "device", _("辅助器具配置机构")


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", _("协议有效")
    SUSPENDED = "suspended", _("暂停结算")
    TERMINATED = "terminated", _("已解除协议")


class CatalogueKind(models.TextChoices):
    DRUG = "drug", _("药品")
    SERVICE = "service", _("诊疗项目")
    MATERIAL = "material", _("医用耗材")
    STANDARD = "standard", _("住院服务标准")
    DEVICE = "device", _("辅助器具")
    REHABILITATION = "rehabilitation", _("康复项目")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    DONE = "done", _("已导入")
    FAILED = "failed", _("有错误，未导入")


class EncounterKind(models.TextChoices):
    INPATIENT = "inpatient", _("住院")
    OUTPATIENT = "outpatient", _("门诊")
    REHABILITATION = "rehabilitation", _("康复")


class LineCategory(models.TextChoices):
    DRUG = "drug", _("药品")
    SERVICE = "service", _("诊疗项目")
    MATERIAL = "material", _("医用耗材")
    BED = "bed", _("床位费")
    MEAL = "meal", _("伙食费")


class EncounterStatus(models.TextChoices):
    OPEN = "open", _("在院/未结算")
    SETTLED = "settled", _("已出院结算（待审核）")
    QUERIED = "queried", _("已向机构询问")
    APPROVED = "approved", _("审核通过")
    DEDUCTED = "deducted", _("审核扣减")
    IN_STATEMENT = "in_statement", _("已纳入月度结算")


class StatementStatus(models.TextChoices):
    COMPUTED = "computed", _("已生成，待复核")
    APPROVED = "approved", _("已复核，待拨付")
    RELEASED = "released", _("已拨付")
    PAID = "paid", _("银行已到账")


class RemoteReason(models.TextChoices):
    REFERRAL = "referral", _("转诊转院")
    LONG_TERM_RESIDENCE = "long_term_residence", _("异地长期居住")
    POSTED = "posted", _("异地工作（派驻）")


class RemoteStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    CHANGED = "changed", _("已变更")
    CANCELLED = "cancelled", _("已取消")


class CampaignStatus(models.TextChoices):
    PLANNING = "planning", _("计划中")
    IN_PROGRESS = "in_progress", _("检查中")
    REPORTING = "reporting", _("整改与汇总")
    CLOSED = "closed", _("已结束")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("待检查")
    VISITED = "visited", _("已现场检查")
    NOTIFIED = "notified", _("已下达整改通知")
    RECTIFIED = "rectified", _("机构已报送整改")
    CLOSED = "closed", _("已复查销号")


class FraudPattern(models.TextChoices):
    SWAPPED_ITEM = "swapped_item", _("串换项目")
    PHANTOM_BED = "phantom_bed", _("挂床住院")
    FALSE_RECORDS = "false_records", _("虚假病历或虚构医疗服务")
    EXCESSIVE_TESTS = "excessive_tests", _("过度检查")
    EXCESSIVE_TREATMENT = "excessive_treatment", _("过度治疗")
    OTHER = "other", _("其他问题")


class ReferralKind(models.TextChoices):
    DEVICE = "device", _("配置辅助器具")
    REHABILITATION = "rehabilitation", _("工伤康复")


class ReferralStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已确认，待选择机构")
    CHOSEN = "chosen", _("已选定机构")
    SETTLED = "settled", _("已结算")
    CANCELLED = "cancelled", _("已取消")


class EventType(models.TextChoices):
    INSTITUTION_SAVED = "medical.institution_saved", _("保存协议机构")
    CATALOGUE_IMPORTED = "medical.catalogue_imported", _("导入目录")
    ELIGIBILITY_CHECKED = "medical.eligibility_checked", _("查询就医资格")
    ADMISSION_NOTIFIED = "medical.admission_notified", _("推送认定结果至住院机构")
    ENCOUNTER_CREATED = "medical.encounter_created", _("登记就诊")
    LINES_REPLACED = "medical.lines_replaced", _("上传费用明细")
    ENCOUNTER_SETTLED = "medical.encounter_settled", _("出院直接结算")
    ENCOUNTER_REVIEWED = "medical.encounter_reviewed", _("费用审核")
    STATEMENT_COMPUTED = "medical.statement_computed", _("生成月度结算单")
    STATEMENT_APPROVED = "medical.statement_approved", _("复核月度结算单")
    STATEMENT_RELEASED = "medical.statement_released", _("拨付月度结算")
    BANK_FILE_EXPORTED = "medical.bank_file_exported", _("导出结算拨付银行文件")
    ADJUSTMENT_RECORDED = "medical.adjustment_recorded", _("登记扣减与追回")
    REMOTE_REGISTERED = "medical.remote_registered", _("异地就医备案")
    REMOTE_CHANGED = "medical.remote_changed", _("变更异地就医备案")
    REMOTE_CANCELLED = "medical.remote_cancelled", _("取消异地就医备案")
    CAMPAIGN_SAVED = "medical.campaign_saved", _("保存稽核计划")
    VISIT_RECORDED = "medical.visit_recorded", _("登记现场稽核")
    NOTICE_ISSUED = "medical.notice_issued", _("下达整改通知")
    REFERRAL_SAVED = "medical.referral_saved", _("辅助器具/康复办理")
