"""Statuses and kinds of 数据交换."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Partner(models.TextChoices):
    """The systems the platform exchanges data with (潍坊: 与公安、卫健、民政、医保共享数据，自动比对)."""

    TAX = "tax", _("税务局（社保费征收）")
    CIVIL_AFFAIRS = "civil_affairs", _("民政局（殡葬、死亡登记）")
    PUBLIC_SECURITY = "public_security", _("公安局（人口库、户籍注销）")
    HEALTH = "health", _("卫健委（医院入出院信息）")
    PROVINCE = "province", _("省工伤保险信息系统")


class BatchKind(models.TextChoices):
    CONTRIBUTIONS = "contributions", _("社保费缴费明细")
    DEATHS = "deaths", _("死亡人员信息")
    HOSPITAL_NOTICES = "hospital_notices", _("医院入出院通知")
    PROVINCE_CONCLUSIONS = "province_conclusions", _("省级再次鉴定结论")
    PROVINCE_TRANSFERS = "province_transfers", _("跨统筹区转移")
    # outbound
    CASE_PACKAGE = "case_package", _("案卷包")
    STATISTICS = "statistics", _("月度统计报表")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("接收")
    OUTBOUND = "outbound", _("发送")


class BatchStatus(models.TextChoices):
    RECEIVED = "received", _("已接收，等待处理")
    PROCESSING = "processing", _("处理中")
    DONE = "done", _("处理完成")
    DUPLICATE = "duplicate", _("重复批次（未再处理）")
    FAILED = "failed", _("处理失败")
    SENT = "sent", _("已发送")


class DeadLetterStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已处理")


class MismatchKind(models.TextChoices):
    PAID_NOT_ENROLLED = "paid_not_enrolled", _("已缴费但未参保登记")
    ENROLLED_UNPAID = "enrolled_unpaid", _("已参保但未缴费")
    EMPLOYER_UNKNOWN = "employer_unknown", _("缴费单位未在本统筹区登记")


class MismatchStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    RESOLVED = "resolved", _("已核查处理")


class DeathStatus(models.TextChoices):
    UNMATCHED = "unmatched", _("未匹配到参保人员")
    NO_BENEFITS = "no_benefits", _("无在享待遇")
    APPLIED = "applied", _("已暂停待遇，待核实")
    CONFIRMED = "confirmed", _("已核实死亡，待遇终止")
    REFUTED = "refuted", _("核实有误，待遇已恢复")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", _("待追回")
    RECOVERED = "recovered", _("已追回")
    WAIVED = "waived", _("已核销")


class IdentityResult(models.TextChoices):
    MATCH = "match", _("身份信息一致")
    NAME_MISMATCH = "name_mismatch", _("姓名与身份证号不一致")
    NOT_FOUND = "not_found", _("人口库中查无此身份证号")
    DECEASED = "deceased", _("该身份证号登记为已死亡")
    UNAVAILABLE = "unavailable", _("人口库暂不可用，未能核验")


class IdentityContext(models.TextChoices):
    ENROLMENT = "enrolment", _("单位增员")
    BINDING = "binding", _("个人实名绑定")
    QUICK_REPORT = "quick_report", _("工伤快报")
    STAFF = "staff", _("经办人员查询")


class CertificationStatus(models.TextChoices):
    DUE = "due", _("待认证")
    SUBMITTED = "submitted", _("已提交，待审核")
    CONFIRMED = "confirmed", _("已认证")
    REJECTED = "rejected", _("认证未通过，请重新认证")
    LAPSED = "lapsed", _("逾期未认证，待遇已暂停")


class CertificationMethod(models.TextChoices):
    DATA = "data", _("数据比对")
    SELF_SERVICE = "self_service", _("手机自助认证（现场照片）")
    INSTITUTION = "institution", _("定点机构协助认证")
    WINDOW = "window", _("窗口认证")


class PackagePurpose(models.TextChoices):
    REAPPRAISAL = "reappraisal", _("再次鉴定")
    TRANSFER = "transfer", _("跨统筹区转移")


class PackageStatus(models.TextChoices):
    EXPORTED = "exported", _("已生成")
    SENT = "sent", _("已报送省级系统")
    ANSWERED = "answered", _("省级已反馈")


class TransferStatus(models.TextChoices):
    RECEIVED = "received", _("已接收，待核定")
    ACCEPTED = "accepted", _("已接续待遇")


class HospitalNoticeKind(models.TextChoices):
    ADMISSION = "admission", _("入院")
    DISCHARGE = "discharge", _("出院")


class HospitalNoticeStatus(models.TextChoices):
    LINKED = "linked", _("已关联工伤案件")
    UNLINKED = "unlinked", _("无在办工伤案件")
    DISMISSED = "dismissed", _("经核查与工伤无关")


class ExchangeEventType(models.TextChoices):
    BATCH_RECEIVED = "integrations.batch_received", _("接收交换批次")
    BATCH_PROCESSED = "integrations.batch_processed", _("交换批次处理完成")
    BATCH_FAILED = "integrations.batch_failed", _("交换批次处理失败")
    BATCH_DUPLICATE = "integrations.batch_duplicate", _("重复的交换批次")
    BATCH_SENT = "integrations.batch_sent", _("发送交换批次")
    DEAD_LETTER_RESOLVED = "integrations.dead_letter_resolved", _("处理交换错误行")
    MISMATCH_RESOLVED = "integrations.mismatch_resolved", _("核查缴费比对差异")
    DEATH_APPLIED = "integrations.death_applied", _("死亡信息暂停待遇")
    DEATH_CONFIRMED = "integrations.death_confirmed", _("核实死亡并终止待遇")
    DEATH_REFUTED = "integrations.death_refuted", _("死亡信息有误并恢复待遇")
    RECOVERY_RECORDED = "integrations.recovery_recorded", _("登记多发待遇追回")
    IDENTITY_CHECKED = "integrations.identity_checked", _("身份核验")
    CERTIFICATION_CONFIRMED = "integrations.certification_confirmed", _("待遇领取资格认证通过")
    CERTIFICATION_LAPSED = "integrations.certification_lapsed", _("待遇领取资格认证逾期")
    CERTIFICATION_SUBMITTED = "integrations.certification_submitted", _("提交待遇领取资格认证")
    CERTIFICATION_REJECTED = "integrations.certification_rejected", _("待遇领取资格认证未通过")
    PACKAGE_EXPORTED = "integrations.package_exported", _("生成案卷包")
    PACKAGE_SENT = "integrations.package_sent", _("报送案卷包")
    TRANSFER_ACCEPTED = "integrations.transfer_accepted", _("接续转入待遇")
    REPORT_GENERATED = "integrations.report_generated", _("生成月度统计报表")
    HOSPITAL_LINKED = "integrations.hospital_linked", _("入出院通知关联案件")
