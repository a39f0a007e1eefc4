"""工伤快报 error codes; the label is the default Chinese message (it names the field and the fix)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuickReportErrorCode(models.TextChoices):
    ACCIDENT_TIME_OUT_OF_WINDOW = "accident_time_out_of_window", _(
        "事故发生时间（accident_at）应在提交前 48 小时之内，且不能晚于当前时间，请修改后重试。")
    CAPTURE_TIME_OUT_OF_WINDOW = "capture_time_out_of_window", _(
        "影像的拍摄时间不在事故发生前 1 小时至上传时之间，请在现场重新拍摄后上传。")
    TOO_MANY_PHOTOS = "too_many_photos", _("照片最多 4 张，请删减后重试。")
    TOO_MANY_VIDEOS = "too_many_videos", _("视频最多 1 段，请删减后重试。")
    PHOTO_NOT_IMAGE = "photo_not_image", _("照片（photos）应为 JPEG/PNG 图片，请重新拍摄后上传。")
    PHOTO_TOO_MANY_PIXELS = "photo_too_many_pixels", _("照片像素过多，请用相机的标准分辨率重新拍摄后上传。")
    VIDEO_NOT_VIDEO = "video_not_video", _("视频（video）应为 MP4/MOV 格式，请重新拍摄后上传。")
    VIDEO_TOO_LONG = "video_too_long", _("视频时长超过上限，请拍摄更短的视频。")
    LOCATION_REQUIRED = "location_required", _("未获取到定位，请填写事故发生地点（address）。")
    LOCATION_INCOMPLETE = "location_incomplete", _("定位须同时提供纬度（latitude）和经度（longitude），请重新获取定位或填写地址。")
    NOT_BOUND = "person_not_bound", _("“本人”申报需要先完成实名绑定；也可选择“他人”并填写受伤人员信息。")
    NOT_ENROLLED = "person_not_enrolled", _("未查到您的在保单位，请选择“他人”申报并填写单位信息。")
    REPORTER_KIND = "reporter_kind_not_allowed", _("您的账户不能使用该申报类型：个人账户选择“本人”或“他人”，单位账户选择“单位申报”。")
    INVALID_DATA = "invalid_data", _("表单数据（data）不是有效的 JSON 对象，请检查格式。")
    CODE_INVALID = "quick_report_code_invalid", _("快报唯一标志码不正确或不存在，请核对后重试。")
    ACCESS_REQUIRED = "quick_report_access_required", _(
        "请先用短信验证码验证快报申报人的手机（POST /access），或以申报人账户登录。")
    SMS_CODE_INVALID = "quick_report_sms_code_invalid", _("短信验证码不正确或已过期，请重新获取。")
    REPORT_CLOSED = "quick_report_closed", _("该快报已关闭，不能再补充；如有疑问请联系经办机构或拨打 12333。")
    SUPPLEMENT_CLOSED = "quick_report_supplement_closed", _(
        "该快报的工伤认定申请已受理，快报不能再补充或更正；如需更正信息，请联系受理的经办机构。")
    TRANSITION_NOT_ALLOWED = "quick_report_transition_not_allowed", _("快报当前状态不允许此操作，请刷新后查看最新状态。")
    REASON_REQUIRED = "reason_required", _("请填写关闭原因（reason）。")
    NOTHING_TO_SUPPLEMENT = "nothing_to_supplement", _("没有需要补充或更正的内容，请至少修改一项或添加说明、影像。")
    MEDIA_NOT_FOUND = "media_not_found", _("要替换的影像不存在，请刷新后重新选择。")
    PERSON_NOT_FOUND = "person_not_found", _("要更正的受伤人员不在本快报中，请核对案件编号（case_number）。")
