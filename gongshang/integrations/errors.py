"""Error codes of 数据交换 (one error shape: core/errors.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeErrorCode(models.TextChoices):
    INVALID_TRANSITION = "exchange_invalid_transition", _("当前状态不允许此操作，请刷新页面查看最新状态。")
    UNKNOWN_ADAPTER = "exchange_unknown_kind", _("该交换方不报送这类数据，请核对“交换方”和“数据类别”。")
    FILE_EMPTY = "exchange_file_empty", _("上传的文件是空的，请选择交换方提供的数据文件。")
    FILE_FORMAT = "exchange_file_format", _("文件格式不符合约定，请按数据交换说明中的格式和样例文件核对。")
    # batches
    FORMAT_VERSION = "exchange_format_version", _("不支持该格式版本，请按数据交换说明填写交换方约定的格式版本。")
    BATCH_NOT_RETRYABLE = "exchange_batch_not_retryable", _("只有处理失败的批次才能重新处理，请刷新页面查看最新状态。")
    REGION_REQUIRED = "exchange_region_required", _("未指定统筹区：请用统筹区代码（如 370200）指明该批次属于哪个统筹区。")
    # hospitals
    HOSPITAL_CASE_NOT_FOUND = "exchange_hospital_case_not_found", _(
        "本统筹区没有该编号的工伤案件，请核对“案件编号”（如 GS370200-2026-000123）。")
    HOSPITAL_CASE_OTHER_PERSON = "exchange_hospital_case_other_person", _(
        "该案件的受伤职工与通知中的人员身份证号不一致，不能关联；请核对“案件编号”。")
    HOSPITAL_ALREADY_LINKED = "exchange_hospital_already_linked", _(
        "该通知已关联工伤案件。如关联有误，请先“排除”并写明原因，再按正确的案件编号关联。")
    HOSPITAL_ALREADY_DISMISSED = "exchange_hospital_already_dismissed", _("该通知已排除，无需再次排除。")
    # deaths
    DEATH_UNCONFIRMED = "exchange_death_unconfirmed", _("死亡信息尚未核实：请先在“死亡信息”页面核实确认死亡，再登记追回。")
    # eligibility
    CERTIFICATION_NONE = "exchange_certification_none", _(
        "您目前没有需要办理的待遇领取资格认证：本年度已认证，或尚未到认证时间。")
    CERTIFICATION_DECEASED = "exchange_certification_deceased", _(
        "该受领人有死亡登记信息，不能进行资格认证。如登记有误，请本人携带身份证件到经办机构窗口核实。")
    CERTIFICATION_NOT_FOUND = "exchange_certification_not_found", _(
        "没有找到该受领人待认证的记录。请核对身份证号和姓名；本年度已认证的无需再次办理。")
    CERTIFICATION_PHOTO_SMALL = "exchange_certification_photo_small", _(
        "现场照片太小，看不清面部。请用手机前置摄像头正对面部重新拍摄。")
    CERTIFICATION_INSTITUTION = "exchange_certification_institution", _(
        "贵机构的工伤保险服务协议不在有效期内，暂不能协助认证。")
    # province
    PACKAGE_OPEN = "exchange_package_open", _("该案件已有尚未得到省级反馈的同类案卷包，请在案卷包列表中查看，不要重复导出。")
    NO_SECOND_APPRAISAL = "exchange_no_second_appraisal", _(
        "该案件没有已受理或已报送省级的再次鉴定申请：请先在劳动能力鉴定中受理再次鉴定申请，再导出案卷包。")
    NOTHING_TO_TRANSFER = "exchange_nothing_to_transfer", _(
        "该案件没有享受中的按月待遇（伤残津贴、生活护理费等），无需办理跨统筹区转移。")
    PACKAGE_NOT_EXPORTED = "exchange_package_not_exported", _("只有“已生成”的案卷包可以报送；该案卷包已报送过，请刷新页面查看。")
    TRANSFER_TAKEN = "exchange_transfer_taken", _("该转入记录已接续过待遇，请刷新页面查看。")
    REPORT_SENT = "exchange_report_sent", _("该版本报表已报送省级系统；如数据有变化，请重新生成新版本后报送。")
    REPORT_NOT_LATEST = "exchange_report_not_latest", _("该月已有更新版本的报表，请报送最新版本。")
    DEATH_UNPAID_MONTHS = "exchange_death_unpaid_months", _(
        "该人员死亡当月及以前尚有待遇未发放，将在下一次待遇发放时补发；请在补发后再核实终止，以免少发。")
    # contributions
    MISMATCH_ALREADY_RESOLVED = "exchange_mismatch_resolved", _("该缴费比对差异已核查处理，无需再次处理；请刷新页面查看核查说明。")
