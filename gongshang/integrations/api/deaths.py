"""死亡信息 and 多发待遇追回 under /api/v1/exchange/: thin — parse, load-and-check, call a service, shape.

GET /deaths, GET /deaths/{death_id}, POST /deaths/{death_id}/confirm, POST /deaths/{death_id}/refute,
GET /overpayments, POST /overpayments/{overpayment_id}/recover, POST /overpayments/{overpayment_id}/waive."""

from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, IsoDateTime, choice_filter

from ..choices import DeathStatus, RecoveryStatus
from ..selectors import deaths as selectors
from ..services import deaths as services

router = Router(tags=["死亡信息"], auth=bearer)


class DeathErrorOut(Schema):
    code: str
    message: str
    details: dict | list


ERRORS = {status: DeathErrorOut for status in (401, 403, 404, 409, 422)}
READ_ERRORS = {status: DeathErrorOut for status in (401, 403, 422)}
Source = Literal["", "civil_affairs", "public_security"]


class DeathQuery(ApiSchema):
    status: choice_filter(DeathStatus) = Field("", description="applied 已暂停待遇待核实 / confirmed 已核实 / refuted 核实有误 / "
                                                               "no_benefits 无在享待遇 / unmatched 未匹配（留空为全部）")
    source: Source = Field("", description="civil_affairs 民政 / public_security 公安（留空为全部）")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class OverpaymentQuery(ApiSchema):
    status: choice_filter(RecoveryStatus) = Field("", description="open 待追回 / recovered 已追回 / waived 已核销（留空为全部）")
    death_id: int | None = Field(None, ge=1, description="只列这条死亡信息的多发待遇")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class DeathConfirmIn(ApiSchema):
    note: str = Field("", max_length=300, description="核实说明（可不填），例如：已核对火化证明")


class RefuteIn(ApiSchema):
    note: str = Field(..., max_length=300, description="核实情况（必填）：死亡信息为何有误，例如：经社区核实本人健在")


class SettleIn(ApiSchema):
    note: str = Field(..., max_length=300, description="说明（必填）：追回的方式和日期，或核销的原因和依据")


class DeathOut(Schema):
    id: int
    name: str = Field(description="姓名（脱敏）")
    id_number: str = Field(description="身份证号（脱敏）")
    death_date: str = Field(description="死亡日期 YYYY-MM-DD")
    source: str
    source_label: str
    status: str
    status_label: str
    batch_id: int
    created_at: IsoDateTime
    suspended: int = Field(description="死亡次月起停发（最后发放月限定为死亡当月）的按月待遇项数，含此前已暂停的")
    withdrawn: int = Field(description="从未放行的发放批次中撤下的支付笔数")
    overpayments: int = Field(description="死亡次月起已发放、须追回的支付笔数")


class DeathListOut(Schema):
    items: list[DeathOut]
    count: int


class EntitlementEffectOut(Schema):
    id: int
    case_id: int
    case_number: str
    benefit_type: str
    benefit_label: str
    relation: str
    amount: str
    start_month: str
    end_month: str
    status: str
    status_label: str
    effect: str = Field(description="suspended 死亡次月起停发（状态不变，最后发放月为死亡当月） / already_suspended 此前已暂停（同样限定最后发放月） / pending 待审核（同样限定，请退回）")


class WithdrawnOut(Schema):
    payment: int
    run: int
    run_period: str
    entitlement: int
    period: str
    amount: str
    benefit_type: str
    benefit_label: str
    attempts: int
    reissue_of: int | None = None


class OverpaymentOut(Schema):
    id: int
    death_id: int
    name: str = Field(description="死亡人员姓名（脱敏）")
    benefit_type: str
    benefit_label: str
    period: str = Field(description="所属月份 YYYY-MM")
    amount: str
    payment_id: int
    payment_status: str
    payment_status_label: str
    returned_by_bank: bool = Field(description="银行已退回（未实际到账），可核销")
    status: str
    status_label: str
    note: str
    handled_by: str
    handled_at: str
    death_status: str
    actions: list[str]


class OverpaymentListOut(Schema):
    items: list[OverpaymentOut]
    count: int


class RouteOut(Schema):
    case_id: int
    case_number: str
    code: str = Field(description="death_registered / grade_1_to_4 / grade_5_to_10 / not_graded")
    grade: int | None = None
    title: str
    text: str
    basis: str
    items: list[str] = Field(description="近亲属可申领的待遇")


class UnpaidOut(Schema):
    entitlement: int
    months: list[str]


class DeathDetailOut(DeathOut):
    name: str = Field(description="姓名")
    certificate_number: str
    registered_region: str
    registered_region_name: str
    person_id: int | None = None
    name_matches: bool | None = Field(None, description="报送的姓名与参保登记（或受领人）是否一致")
    note: str
    handled_by: str
    handled_at: str
    entitlements: list[EntitlementEffectOut]
    withdrawn_payments: list[WithdrawnOut] = Field(description="撤下的未放行支付（仅待遇审核员可见明细）")
    overpayment_rows: list[OverpaymentOut] = Field(description="多发待遇明细（仅待遇审核员可见）")
    overpaid_total: str
    routes: list[RouteOut] = Field(description="工伤职工死亡后的遗属待遇路径（条例第三十九条）")
    unpaid_through_death: list[UnpaidOut] = Field(description="死亡当月及以前尚未发放的月份（正常发放的在下次月度发放中补发；补发前不能核实终止）")
    actions: list[str]


def _page(qs, page: int, size: int, shape) -> dict:
    start = (page - 1) * size
    return {"items": [shape(row) for row in qs[start:start + size]], "count": qs.count()}


def _detail(actor, death_id: int) -> dict:
    return selectors.death_detail(selectors.death_get(actor=actor, death_id=death_id), actor=actor)


@router.get("/deaths", response={200: DeathListOut, **READ_ERRORS}, summary="死亡信息列表（待核实的在前）")
@api_permit("death_record", "view")
def death_list(request, query: Query[DeathQuery]):
    qs = selectors.death_list(actor=request.auth, status=query.status, source=query.source)
    return _page(qs, query.page, query.size, selectors.death_summary)


@router.get("/deaths/{death_id}", response={200: DeathDetailOut, **ERRORS},
            summary="死亡信息详情：暂停的待遇、撤下的支付、多发待遇、遗属待遇路径")
@api_permit("death_record", "view")
def death_detail(request, death_id: int):
    return _detail(request.auth, death_id)


@router.post("/deaths/{death_id}/confirm", response={200: DeathDetailOut, **ERRORS},
             summary="核实死亡：终止暂停的按月待遇（待遇审核员）")
@api_permit("death_record", "confirm")
def death_confirm(request, death_id: int, payload: DeathConfirmIn):
    services.death_confirm(actor=request.auth, death_id=death_id, note=payload.note)
    return _detail(request.auth, death_id)


@router.post("/deaths/{death_id}/refute", response={200: DeathDetailOut, **ERRORS},
             summary="核实有误：恢复暂停的待遇（下次发放补发），核销多发待遇（待遇审核员）")
@api_permit("death_record", "refute")
def death_refute(request, death_id: int, payload: RefuteIn):
    services.death_refute(actor=request.auth, death_id=death_id, note=payload.note)
    return _detail(request.auth, death_id)


@router.get("/overpayments", response={200: OverpaymentListOut, **READ_ERRORS}, summary="多发待遇追回列表（待追回的在前）")
@api_permit("overpayment", "view")
def overpayment_list(request, query: Query[OverpaymentQuery]):
    qs = selectors.overpayment_list(actor=request.auth, status=query.status, death_id=query.death_id)
    return _page(qs, query.page, query.size, lambda row: selectors.overpayment_dict(row, actor=request.auth))


def _settle(request, overpayment_id: int, action: str, note: str) -> dict:
    services.overpayment_settle(actor=request.auth, overpayment_id=overpayment_id, action=action, note=note)
    row = selectors.overpayment_get(actor=request.auth, overpayment_id=overpayment_id)
    return selectors.overpayment_dict(row, actor=request.auth)


@router.post("/overpayments/{overpayment_id}/recover", response={200: OverpaymentOut, **ERRORS},
             summary="登记已追回（死亡信息核实后）")
@api_permit("overpayment", "recover")
def overpayment_recover(request, overpayment_id: int, payload: SettleIn):
    return _settle(request, overpayment_id, "recover", payload.note)


@router.post("/overpayments/{overpayment_id}/waive", response={200: OverpaymentOut, **ERRORS},
             summary="核销（写明原因）")
@api_permit("overpayment", "waive")
def overpayment_waive(request, overpayment_id: int, payload: SettleIn):
    return _settle(request, overpayment_id, "waive", payload.note)
