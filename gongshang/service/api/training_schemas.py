"""API shapes of 工伤预防培训 (requests refuse unknown fields; answers list every key the presenters emit)."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from gongshang.api.schemas import ApiSchema, IsoDateTime, Text, mobile_field

from ..choices import VenueKind
from ..rules import training as rules


class TrainingErrorOut(Schema):
    code: str
    message: str
    details: dict | list


# --- trainers and courses -------------------------------------------------------------------------

class TrainingTrainerIn(ApiSchema):
    name: str = Field(..., min_length=1, max_length=50, description="姓名")
    specialty: str = Field(..., min_length=1, max_length=100, description="专业领域，如 危化品安全、建筑施工、职业病防治")
    organisation: str = Field("", max_length=100, description="工作单位")
    title: str = Field("", max_length=100, description="职称或资格，如 注册安全工程师")
    mobile: str = mobile_field("", optional=True, description="手机号（加密保存，列表中隐去中间四位）")


class TrainingTrainerOut(Schema):
    id: int
    name: str
    mobile: str = Field(description="隐去中间四位的手机号")
    organisation: str
    specialty: str
    title: str
    active: bool
    created_at: IsoDateTime
    course_count: int | None
    approved_count: int | None


class TrainingTrainerPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[TrainingTrainerOut]


class TrainingTrainerMobileOut(Schema):
    mobile: str = Field(description="完整手机号（本次查看已记录）")


class TrainingCourseIn(ApiSchema):
    trainer_id: int = Field(..., ge=1, le=2_147_483_647, description="授课师资 id（本统筹区师资库在库人员）")
    title: str = Field(..., min_length=1, max_length=100, description="课程名称")
    outline: str = Field(..., min_length=1, max_length=5000, description="课程大纲")
    hours: str = Field(..., max_length=10, description="学时，大于 0、不超过 100，最多一位小数，如 2 或 1.5")


class TrainingCourseEditIn(ApiSchema):
    title: str = Field(..., min_length=1, max_length=100, description="课程名称")
    outline: str = Field(..., min_length=1, max_length=5000, description="课程大纲")
    hours: str = Field(..., max_length=10, description="学时，大于 0、不超过 100，最多一位小数")


class TrainingCourseReviewIn(ApiSchema):
    decision: Literal["approve", "reject"] = Field(..., description="approve 审核通过；reject 不通过（须填审核意见）")
    note: str = Field("", max_length=300, description="审核意见")


class TrainingCourseOut(Schema):
    id: int
    title: str
    outline: str
    hours: str
    trainer_id: int
    trainer_name: str
    trainer_active: bool
    status: str
    status_label: Text
    reviewed_by: str
    reviewed_at: IsoDateTime | None
    review_note: str


class TrainingCoursePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[TrainingCourseOut]


# --- sessions -------------------------------------------------------------------------------------

class TrainingSessionIn(ApiSchema):
    project_id: int = Field(..., ge=1, le=2_147_483_647, description="工伤预防项目 id（已立项或已签订合同）")
    course_id: int = Field(..., ge=1, le=2_147_483_647, description="课程 id（须审核通过）")
    venue_kind: Literal[tuple(VenueKind.values)] = Field(..., description="培训场所类别")
    venue: str = Field(..., min_length=1, max_length=200, description="培训地点")
    industry: str = Field("", max_length=100, description="参训行业")
    starts_at: datetime = Field(..., description="开始时间（ISO 8601，带时区；不带时区按北京时间）")
    ends_at: datetime = Field(..., description="结束时间")
    expected_trainees: int = Field(0, ge=0, le=10000, description="计划人数")


class TrainingSessionOut(Schema):
    id: int
    project_id: int
    project_title: str
    course_id: int
    course_title: str
    trainer_name: str
    venue_kind: str
    venue_kind_label: Text
    venue: str
    industry: str
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    time_label: str = Field(description="培训时间（北京时间），如 2026-11-10 09:00–11:30")
    expected_trainees: int
    status: str
    status_label: Text
    attendance_count: int
    sign_in_state: str = Field(description="open 签到中 / not_yet 未开始 / over 已结束 / closed 已结班 / settled 项目已验收")
    sign_in_state_label: str
    sign_in_opens_at: IsoDateTime
    sign_in_closes_at: IsoDateTime


class TrainingSessionDetailOut(TrainingSessionOut):
    sign_in_url: str = Field(description="学员扫码签到地址（二维码内容）")
    questionnaire_average: str | None
    questionnaire_count: int
    form_average: str | None
    form_count: int
    score: str | None = Field(description="班次得分：评估表平均分 60% + 学员问卷平均分 40%；无评估表时为空")
    media_count: int


class TrainingSessionPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[TrainingSessionOut]


class TrainingAttendanceOut(Schema):
    id: int
    name: str
    mobile: str = Field(description="隐去中间四位的手机号")
    employer_name: str
    signed_at: IsoDateTime
    questionnaire_done: bool | None


class TrainingAttendanceListOut(Schema):
    count: int
    items: list[TrainingAttendanceOut]


class TrainingAnswerOut(Schema):
    code: str
    text: str
    value: int | None


class TrainingEvaluationOut(Schema):
    id: int
    kind: str
    kind_label: Text
    score: str
    by: str
    submitted_at: IsoDateTime
    answers: list[TrainingAnswerOut]
    note: str


class TrainingEvaluationListOut(Schema):
    count: int
    items: list[TrainingEvaluationOut]


def _marks_doc() -> str:
    return "；".join(f"{i.code}（{i.text}，权重 {i.weight}）" for i in rules.FORM_ITEMS)


class TrainingEvaluationFormIn(ApiSchema):
    marks: dict[str, int] = Field(..., description=f"各项得分 0～{rules.FORM_ITEM_MAX}：{_marks_doc()}")
    note: str = Field("", max_length=1000, description="评估意见")


class TrainingMediaOut(Schema):
    id: int
    kind: str
    kind_label: Text
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: IsoDateTime
    uploaded_by: str
    download: str = Field(description="下载地址（网页，需登录）")


class TrainingMediaListOut(Schema):
    count: int
    items: list[TrainingMediaOut]


# --- public: sign-in and questionnaire ------------------------------------------------------------

class TrainingQuestionOut(Schema):
    code: str
    text: str


class TrainingSignInInfoOut(Schema):
    course_title: str
    trainer_name: str
    venue: str
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    sign_in_state: str
    sign_in_state_label: str
    questions: list[TrainingQuestionOut]


class TrainingSignInIn(ApiSchema):
    name: str = Field(..., min_length=1, max_length=50, description="姓名")
    mobile: str = mobile_field()
    employer_name: str = Field("", max_length=100, description="工作单位")


class TrainingSignInOut(Schema):
    name: str
    signed_at: IsoDateTime
    questionnaire_token: str = Field(description="填写问卷时提交（当天有效）")
    questions: list[TrainingQuestionOut]


def _answers_doc() -> str:
    return "；".join(f"{q.code}（{q.text}）" for q in rules.QUESTIONS)


class TrainingQuestionnaireIn(ApiSchema):
    questionnaire_token: str = Field(..., min_length=1, max_length=500, description="签到时返回的问卷令牌")
    answers: dict[str, int] = Field(..., description=f"每题 1～5（1 很不同意，5 非常同意）：{_answers_doc()}")


class TrainingQuestionnaireOut(Schema):
    score: str
    message: str
