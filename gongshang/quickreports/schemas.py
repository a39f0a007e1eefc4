"""API shapes of 工伤快报; the multipart `data` field is validated with ReportIn / SupplementIn."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from gongshang.api.errors import field_name
from gongshang.api.pagination import COUNT_CAP, CappedCount
from gongshang.api.schemas import ApiSchema, PartialOut, Text, mobile_field
from gongshang.core.errors import DomainError

from .errors import QuickReportErrorCode as E


def _objects_only(items):
    """Each list entry must be a JSON object: ninja's Schema would read "x" as an empty person."""
    if isinstance(items, list):
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise ValueError(f"第 {i + 1} 项应为对象（例如 {{\"name\": \"张三\"}}），请检查格式")
    return items


class InjuredIn(ApiSchema):
    name: str = Field("", max_length=50)
    id_number: str = Field("", max_length=30)
    mobile: str = mobile_field("", optional=True)
    body_part: str = Field("", max_length=50)
    injury_type: str = Field("", max_length=50)


class ReportIn(ApiSchema):
    reporter_kind: Literal["self", "other", "employer"]
    accident_at: datetime = Field(..., description="ISO 8601；提交前 48 小时之内，不晚于当前时间")
    description: str = Field(..., max_length=1000)
    address: str = Field("", max_length=300)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    accuracy_m: int | None = Field(None, ge=0, le=1_000_000)
    persons: list[InjuredIn] = Field(default_factory=list, max_length=20)
    reporter_mobile: str = mobile_field("", optional=True,
                                        description="快报人手机号（账户未绑定手机号时必填）：11 位，以 13～19 开头")
    employer_uscc: str = Field("", max_length=18)
    pledge_version: str = Field(..., max_length=20, description="已接受的承诺书版本")

    _persons_are_objects = field_validator("persons", mode="before")(_objects_only)


class PersonFix(ApiSchema):
    case_number: str = Field(..., max_length=32)
    name: str | None = Field(None, max_length=50)
    id_number: str | None = Field(None, max_length=30)
    mobile: str | None = mobile_field(None, optional=True)
    body_part: str | None = Field(None, max_length=50)
    injury_type: str | None = Field(None, max_length=50)


class SupplementIn(ApiSchema):
    persons: list[PersonFix] = Field(default_factory=list, max_length=20)
    accident_at: datetime | None = None
    address: str | None = Field(None, max_length=300)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    accuracy_m: int | None = Field(None, ge=0, le=1_000_000)
    note: str = Field("", max_length=2000)
    replace_media_ids: list[int] = Field(default_factory=list, max_length=5)

    _persons_are_objects = field_validator("persons", mode="before")(_objects_only)


def parse_data(schema, text: str | None, *, loc: tuple = ("data",)):
    """JSON text read by hand: the multipart `data` field, or an optional body (loc ("body", name), as
    ninja names a body). Invalid JSON → 422 invalid_data; invalid fields → 422 with each field."""
    field = field_name(loc)
    if not text:
        raise DomainError(E.INVALID_DATA, status=422, details=[{"field": field, "message": "必填项，请填写"}])
    try:
        return schema.model_validate_json(text)
    except PydanticValidationError as exc:
        if any(err.get("type") == "json_invalid" for err in exc.errors()):
            raise DomainError(E.INVALID_DATA, status=422,
                              details=[{"field": field, "message": "不是有效的 JSON"}]) from None
        raise NinjaValidationError([{**err, "loc": (*loc, *err["loc"])} for err in exc.errors()]) from None


class CreatedOut(Schema):
    code: str
    case_numbers: list[str]
    submitted_at: datetime
    flags: list[str]


class AccessIn(ApiSchema):
    sms_code: str = Field(..., min_length=6, max_length=6)


class TextIn(ApiSchema):
    text: str = Field(..., min_length=1, max_length=200)


class CloseIn(ApiSchema):
    reason: str = Field(..., min_length=1, max_length=500)


# Answers (presenters.py builds them; these document and check them, the bodies stay as built).


class AccessCodeSentOut(Schema):
    sent: bool
    mobile_masked: str = Field(description="验证码发往的手机号（脱敏）")


class AccessGrantOut(Schema):
    access_token: str
    header: str = Field(description="之后的请求把 access_token 放在这个请求头里")
    expires_in: int = Field(description="有效秒数")


class SupplementOut(Schema):
    revision: int
    flags: list[str]
    media_added: list[int] = Field(description="本次新增的照片/视频的 id")


class StatusOut(Schema):
    status: str


class GreenChannelOut(Schema):
    status: str
    flags: list[str]


class SentOut(Schema):
    sent: bool


class MediaOut(Schema):
    id: int
    kind: str
    kind_label: Text
    sha256: str
    size: int
    content_type: str
    captured_at: datetime | None
    duration_seconds: float | None
    flags: list[str]
    flag_labels: list[str]
    revision: int
    current: bool
    replaced_by: int | None
    original_url: str
    original_available: bool = Field(description="原件现在可以下载：照片的原件在完整检查通过后才提供（之前 original_url 答 404）")
    original_refused: bool = Field(description="照片检查发现其中含有网页内容，原件不提供下载")
    watermarked_url: str | None
    watermarked_sha256: str | None


class VersionChangeOut(PartialOut):
    field: str
    label: str
    case_number: str = Field("", description="人员字段的变更才有：所属案件编号")
    old: str
    new: str


class TimelineItemOut(PartialOut):
    at: datetime
    at_display: str = Field(description="给人看的时间：YYYY-MM-DD HH:MM（本地时间）")
    event: str
    label: Text
    text: str = Field(description="给读者看的一句话（快报人或经办人员），不含代码")
    revision: int | None
    by: str = Field(description="办理人；快报人看到的经办人员一律为“经办机构”")
    details: dict[str, Any]
    changes: list[VersionChangeOut] = Field(default_factory=list, description="新版本才有：与上一版本相比改了什么")


class GreenChannelFields(PartialOut):
    """绿色通道: only green_channel when the case has none; the promise and dates when it has."""

    green_channel: bool
    green_channel_promise: str = ""
    green_channel_accepted_on: date | None = None
    green_channel_due: date | None = None
    green_channel_provisional: bool = False
    green_channel_earliest: date | None = None


class InjuredOut(GreenChannelFields):
    case_number: str
    name: str
    id_number: str = Field(description="脱敏")
    mobile: str = Field(description="脱敏")
    body_part: str
    injury_type: str
    flags: list[str]
    flag_labels: list[str]


class StaffInjuredOut(InjuredOut):
    name: str = Field(description="脱敏")
    status: str = Field(description="案件状态")
    identity_warning: str = Field("", description="身份核验（公安人口库）提示，如“身份核验：姓名与身份证号不一致，请核实”；"
                                                  "一致或未核验时为空")


class AccidentFields(Schema):
    accident_at: datetime
    address: str
    latitude: float | None
    longitude: float | None
    accuracy_m: int | None = Field(description="定位精度（米）")
    description: str


class ReportLabels(Schema):
    status: str
    flags: list[str]
    status_label: Text
    flag_labels: list[str]
    green_channel: bool


class ReporterViewOut(ReportLabels, AccidentFields):
    case_numbers: list[str]
    submitted_at: datetime
    reporter_kind: str
    persons: list[InjuredOut]
    media: list[MediaOut]
    timeline: list[TimelineItemOut]
    supplement_closed_reason: str = Field("", description="不能再补充的原因（认定申请已受理或快报已关闭）；可以补充时为空")


class StaffRowOut(ReportLabels):
    id: int
    submitted_at: datetime
    accident_at: datetime
    address: str
    employer: str
    case_numbers: list[str]
    injured: list[str] = Field(description="受伤职工姓名（脱敏）")
    unread: bool
    reporter_kind: str


class StaffPageOut(CappedCount):
    unread: int = Field(description=f"本统筹区未读快报数（最多数到 {COUNT_CAP:,}）")
    unread_capped: bool = Field(False, description="true：未读快报超过 unread 条")
    limit: int
    offset: int
    items: list[StaffRowOut]


class StaffViewOut(StaffRowOut, AccidentFields):
    reporter: str = Field(description="快报人（脱敏）")
    reporter_mobile: str = Field(description="脱敏")
    pledge_version: str
    pledge_accepted_at: datetime
    closed_reason: str
    persons: list[StaffInjuredOut]
    map_url: str
    media: list[MediaOut]
    timeline: list[TimelineItemOut]
