from django.db import models
from django.utils.translation import gettext_lazy as _


class ParameterKind(models.TextChoices):
    AVG_MONTHLY_WAGE = "avg_monthly_wage", _("统筹区上年度职工月平均工资（元/月）")
    # The base of the termination subsidies where the province says so (《浙江省工伤保险条例》第二十七条).
    PROVINCE_AVG_MONTHLY_WAGE = "province_avg_monthly_wage", _("上年度全省职工月平均工资（元/月）")
    MIN_WAGE = "min_wage", _("最低工资标准（元/月）")
    MEAL_ALLOWANCE = "meal_allowance", _("住院伙食补助费标准（元/天）")
    TRAVEL_LODGING = "travel_lodging", _("异地就医食宿费标准（元/天）")
    MEDICAL_SUBSIDY_MONTHS = "medical_subsidy_months", _("一次性工伤医疗补助金月数（五至十级）")
    EMPLOYMENT_SUBSIDY_MONTHS = "employment_subsidy_months", _("一次性伤残就业补助金月数（五至十级）")
    NATIONAL_INCOME = "national_disposable_income", _("全国城镇居民人均可支配收入（元/年）")
    OCCUPATIONAL_DISEASE_BONUS = "occupational_disease_bonus", _("职业病一次性工伤医疗补助金加发比例（%）")
    PAYMENT_DAY = "payment_day", _("每月待遇发放截止日（日）")


TABLE_KINDS = {ParameterKind.MEDICAL_SUBSIDY_MONTHS, ParameterKind.EMPLOYMENT_SUBSIDY_MONTHS}
NATIONAL_REGION = "000000"  # national parameters are stored under this pseudo region code


class ParameterStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUPERSEDED = "superseded", _("已更正")


class BenefitType(models.TextChoices):
    ONE_TIME_DISABILITY_SUBSIDY = "one_time_disability_subsidy", _("一次性伤残补助金")
    DISABILITY_ALLOWANCE = "disability_allowance", _("伤残津贴")
    NURSING_ALLOWANCE = "nursing_allowance", _("生活护理费")
    FUNERAL_SUBSIDY = "funeral_subsidy", _("丧葬补助金")
    DEPENDANT_PENSION = "dependant_pension", _("供养亲属抚恤金")
    ONE_TIME_DEATH_SUBSIDY = "one_time_death_subsidy", _("一次性工亡补助金")
    ONE_TIME_MEDICAL_SUBSIDY = "one_time_medical_subsidy", _("一次性工伤医疗补助金")
    ONE_TIME_EMPLOYMENT_SUBSIDY = "one_time_employment_subsidy", _("一次性伤残就业补助金")
    RETIREMENT_DIFFERENCE = "retirement_allowance_difference", _("伤残津贴与基本养老金差额")


MONTHLY_TYPES = (BenefitType.DISABILITY_ALLOWANCE, BenefitType.NURSING_ALLOWANCE, BenefitType.DEPENDANT_PENSION,
                 BenefitType.RETIREMENT_DIFFERENCE)


class PeriodKind(models.TextChoices):
    ONCE = "once", _("一次性")
    MONTHLY = "monthly", _("按月")


class Payer(models.TextChoices):
    FUND = "fund", _("工伤保险基金")
    EMPLOYER = "employer", _("用人单位")


class ConclusionKind(models.TextChoices):
    DISABILITY = "disability", _("伤残")
    DEATH = "death", _("因工死亡")


class NursingLevel(models.TextChoices):
    FULL = "full", _("生活完全不能自理")
    MOST = "most", _("生活大部分不能自理")
    PARTIAL = "partial", _("生活部分不能自理")


class EntitlementStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACTIVE = "active", _("享受中")
    SUSPENDED = "suspended", _("暂停")
    STOPPED = "stopped", _("已终止")
    REJECTED = "rejected", _("审核退回")


class StopReason(models.TextChoices):
    DEATH = "death", _("死亡")
    RETIREMENT = "retirement", _("退休（转养老金差额）")
    REAPPRAISAL = "reappraisal", _("再次鉴定/复查鉴定")
    OTHER = "other", _("其他")


class AdjustmentMethod(models.TextChoices):
    PERCENT = "percent", _("按比例")
    FIXED = "fixed", _("定额")


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已生效")
    REJECTED = "rejected", _("已退回")


class RunStatus(models.TextChoices):
    COMPUTING = "computing", _("计算中")
    COMPUTED = "computed", _("待复核")
    APPROVED = "approved", _("已复核")
    RELEASED = "released", _("已发放")
    RECONCILED = "reconciled", _("已对账")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待发放")
    SENT = "sent", _("已报盘")
    PAID = "paid", _("已到账")
    FAILED = "failed", _("失败（下批重发）")


class EventType(models.TextChoices):
    PARAMETER_ADDED = "benefits.parameter_added", _("新增待遇参数")
    PARAMETER_CORRECTED = "benefits.parameter_corrected", _("更正待遇参数")
    CONCLUSION_RECORDED = "benefits.conclusion_recorded", _("登记鉴定结论")
    ENTITLEMENTS_CREATED = "benefits.entitlements_created", _("核定待遇")
    ENTITLEMENT_APPROVED = "benefits.entitlement_approved", _("待遇审核通过")
    ENTITLEMENT_REJECTED = "benefits.entitlement_rejected", _("待遇审核退回")
    ENTITLEMENT_SUSPENDED = "benefits.entitlement_suspended", _("暂停待遇")
    ENTITLEMENT_RESUMED = "benefits.entitlement_resumed", _("恢复待遇")
    ENTITLEMENT_STOPPED = "benefits.entitlement_stopped", _("终止待遇")
    ADJUSTMENT_PROPOSED = "benefits.adjustment_proposed", _("提出待遇调整")
    ADJUSTMENT_APPROVED = "benefits.adjustment_approved", _("待遇调整生效")
    ADJUSTMENT_REJECTED = "benefits.adjustment_rejected", _("待遇调整退回")
    RUN_COMPUTED = "benefits.run_computed", _("生成月度发放")
    RUN_APPROVED = "benefits.run_approved", _("复核月度发放")
    RUN_RELEASED = "benefits.run_released", _("发放（报盘）")
    BANK_FILE_EXPORTED = "benefits.bank_file_exported", _("导出银行报盘文件")
    BANK_RETURN_IMPORTED = "benefits.bank_return_imported", _("导入银行回盘")
    RUN_RECONCILED = "benefits.run_reconciled", _("发放对账完成")
