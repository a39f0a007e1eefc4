from django.db import models
from django.utils.translation import gettext_lazy as _


class ReporterKind(models.TextChoices):
    SELF = "self", _("个人申报（本人）")
    OTHER = "other", _("个人申报（他人）")
    EMPLOYER = "employer", _("单位申报")
    HOTLINE = "hotline", _("12333 热线代报")  # the agent files for a caller without an account


class ReportStatus(models.TextChoices):
    NEW = "new", _("新快报")
    RECEIVED = "received", _("已接收")
    CASE_OPENED = "case_opened", _("已立案")
    CLOSED_INVALID = "closed_invalid", _("无效关闭")


class ReportFlag(models.TextChoices):
    INCOMPLETE = "incomplete", _("待补充")
    MEDIA_TIME_UNVERIFIED = "media_time_unverified", _("影像无拍摄时间")
    NO_LOCATION = "no_location", _("未获取定位")
    NO_MEDIA = "no_media", _("无现场影像")
    NOT_INSURED = "not_insured", _("未查到参保关系")
    GREEN_CHANNEL = "green_channel", _("绿色通道")
    SUPPLEMENTED = "supplemented", _("已补充")


class PersonFlag(models.TextChoices):
    NAME_MISSING = "name_missing", _("姓名未填")
    ID_MISSING = "id_number_missing", _("身份证号未填")
    ID_INVALID = "id_number_invalid", _("身份证号有误")
    MOBILE_MISSING = "mobile_missing", _("手机号未填")
    MOBILE_INVALID = "mobile_invalid", _("手机号有误")
    NOT_IN_REGISTRY = "not_in_registry", _("未在参保库中找到")


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    VIDEO = "video", _("视频")


class MediaFlag(models.TextChoices):
    NO_CAPTURE_TIME = "no_capture_time", _("无拍摄时间")
    WATERMARK_FONT_MISSING = "watermark_font_missing", _("水印缺少中文字体")
    POSTER_ONLY = "poster_only", _("视频仅生成水印封面")
    DURATION_UNKNOWN = "duration_unknown", _("视频时长无法读取，请人工核对是否超过上限")
    WATERMARK_FAILED = "watermark_failed", _("水印件生成失败，请查看原件")
    PHOTO_DAMAGED = "photo_damaged", _("照片不完整或无法读取，请联系报告人补拍")
    ACTIVE_CONTENT = "active_content", _("照片中夹带网页代码，原件不提供下载，请联系报告人补拍")


class ReportEventType(models.TextChoices):
    SUBMITTED = "quickreport.submitted", _("提交快报")
    SUPPLEMENTED = "quickreport.supplemented", _("补充信息")
    ACCESS_CODE_SENT = "quickreport.access_code_sent", _("发送补充验证码")
    RECEIVED = "quickreport.received", _("经办接收")
    MESSAGED = "quickreport.messaged", _("经办留言")
    CASE_OPENED = "quickreport.case_opened", _("立案")
    GREEN_CHANNEL = "quickreport.green_channel", _("开通绿色通道")
    CLOSED_INVALID = "quickreport.closed_invalid", _("无效关闭")
    VIEWED = "quickreport.viewed", _("经办查看")
