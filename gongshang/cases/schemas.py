"""Typed answers of the case API (我的工伤)."""

from datetime import date

from ninja import Schema
from pydantic import Field

from gongshang.api.pagination import CappedCount


class StageOut(Schema):
    stage: str = Field(description="quick_report 快报 | recognition 认定 | appraisal 鉴定 | benefits 待遇 | payment 发放")
    label: str = Field(description="环节中文名")
    status: str = Field(description="done 已完成 | in_progress 办理中 | waiting 待您办理 | not_started 未开始 | "
                                    "closed 已终结 | skipped 未经此环节")
    status_text: str = Field(description="状态说明（中文）")
    due_date: date | None = Field(None, description="该环节下一个法定或承诺期限；没有时为 null")
    due_label: str = ""


class PaymentOut(Schema):
    period: str = Field(description="所属月份 YYYY-MM")
    benefit: str
    amount: str = Field(description="金额（元，两位小数）")
    status: str
    status_label: str
    paid_on: str | None = None


class ActionOut(Schema):
    text: str
    url: str = ""


class MyCaseOut(Schema):
    case_number: str
    url: str = Field(description="案件页面地址")
    who: str = Field(description="受伤职工（单位看到的是脱敏姓名）与事故日期")
    current_stage: str
    stages: list[StageOut]
    next_action: str = Field(description="现在要办的事；没有时为下一步及期限")
    next_due: date | None = None
    actions: list[ActionOut]
    latest_payment: PaymentOut | None = Field(None, description="最近一笔发放（单位不显示职工的发放明细）")


class MyCasesPageOut(CappedCount):
    limit: int
    offset: int
    items: list[MyCaseOut]
