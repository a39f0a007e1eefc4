from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryErrorCode(models.TextChoices):
    CHANGE_NOT_PENDING = "change_not_pending", _("该申报已被经办人员处理（或已删除），不能再修改。")
    CHANGE_DUPLICATE = "change_duplicate", _("该人员已有待确认的同险种异动申报，请修改原申报或等待确认。")
    CHANGE_NO_LONGER_VALID = "change_no_longer_valid", _("参保状态已发生变化，该申报不能再确认，请退回并说明原因。")
    EMPLOYER_CLOSED = "employer_closed", _("单位已注销，不能办理人员异动。")
    EMPLOYER_NOT_PENDING = "employer_not_pending", _("该单位不是待核验状态，无需核验。")
    IMPORT_FILE_INVALID = "import_file_invalid", _("无法读取上传的表格，请使用下载的模板（.xlsx）填写后上传。")
    IMPORT_NOT_FINISHED = "import_not_finished", _("该批次尚未处理完成。")
    IMPORT_NOT_RETRYABLE = "import_not_retryable", _("只有处理失败的批次可以重新处理。")
    SHEET_TOO_LARGE = "sheet_too_large", _("表格超过单次导入的行数、列数或大小上限，请删除多余的行列或拆分为多个文件。")
    CELL_TOO_LONG = "cell_too_long", _("表格中有单元格超过 32767 个字符（Excel 单元格的上限），请删除多余内容后重新上传。")


class RegistryEvent(models.TextChoices):
    """Audit event types of the employer hall."""

    CHANGE_SUBMITTED = "registry.change_submitted", _("提交人员异动申报")
    CHANGE_UPDATED = "registry.change_updated", _("修改人员异动申报")
    CHANGE_WITHDRAWN = "registry.change_withdrawn", _("删除人员异动申报")
    CHANGE_CONFIRMED = "registry.change_confirmed", _("确认人员异动")
    CHANGE_REJECTED = "registry.change_rejected", _("退回人员异动申报")
    IMPORT_UPLOADED = "registry.import_uploaded", _("上传批量报盘")
    IMPORT_FINISHED = "registry.import_finished", _("批量报盘处理完成")
    IMPORT_INTERRUPTED = "registry.import_interrupted", _("批量报盘处理中断")
    IMPORT_RETRIED = "registry.import_retried", _("重新处理批量报盘")
    IMPORT_ERROR_FILE_DOWNLOADED = "registry.import_error_file_downloaded", _("下载批量报盘错误标注文件（含完整身份证号）")
    ROSTER_EXPORTED = "registry.roster_exported", _("导出员工花名册")
    CERTIFICATE_ISSUED = "registry.certificate_issued", _("打印参保证明")
    EMPLOYER_VERIFIED = "registry.employer_verified", _("核验参保单位")
    ENROLMENT_CHANGED = "registry.enrolment_changed", _("参保关系变更（确认增减员）")
