"""Error codes of 数据交换 (one error shape: core/errors.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeErrorCode(models.TextChoices):
    INVALID_TRANSITION = "exchange_invalid_transition", _("当前状态不允许此操作，请刷新页面查看最新状态。")
    UNKNOWN_ADAPTER = "exchange_unknown_kind", _("该交换方不报送这类数据，请核对“交换方”和“数据类别”。")
    FILE_EMPTY = "exchange_file_empty", _("上传的文件是空的，请选择交换方提供的数据文件。")
    FILE_FORMAT = "exchange_file_format", _("文件格式不符合约定，请按数据交换说明中的格式和样例文件核对。")
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
