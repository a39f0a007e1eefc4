"""Error codes of 数据交换 (one error shape: core/errors.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeErrorCode(models.TextChoices):
    INVALID_TRANSITION = "exchange_invalid_transition", _("当前状态不允许此操作，请刷新页面查看最新状态。")
    UNKNOWN_ADAPTER = "exchange_unknown_kind", _("该交换方不报送这类数据，请核对“交换方”和“数据类别”。")
    FILE_EMPTY = "exchange_file_empty", _("上传的文件是空的，请选择交换方提供的数据文件。")
    FILE_FORMAT = "exchange_file_format", _("文件格式不符合约定，请按数据交换说明中的格式和样例文件核对。")
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
