"""Error codes of 数据交换 (one error shape: core/errors.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeErrorCode(models.TextChoices):
    INVALID_TRANSITION = "exchange_invalid_transition", _("当前状态不允许此操作，请刷新页面查看最新状态。")
    UNKNOWN_ADAPTER = "exchange_unknown_kind", _("该交换方不报送这类数据，请核对“交换方”和“数据类别”。")
    FILE_EMPTY = "exchange_file_empty", _("上传的文件是空的，请选择交换方提供的数据文件。")
    FILE_FORMAT = "exchange_file_format", _("文件格式不符合约定，请按数据交换说明中的格式和样例文件核对。")
    # contributions
    MISMATCH_ALREADY_RESOLVED = "exchange_mismatch_resolved", _("该缴费比对差异已核查处理，无需再次处理；请刷新页面查看核查说明。")
