"""缴费比对差异 API under /api/v1/exchange/: the list (受理员, 数据交换管理员 of the 统筹区) and the check
that closes a difference with a note. The differences come from the tax bureau's files (adapters/tax.py)."""

from datetime import date

from ninja import Query, Router, Schema
from pydantic import Field

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, IsoDateTime, choice_filter

from ..choices import MismatchKind, MismatchStatus
from ..selectors.contributions import mismatch_get, mismatch_list, mismatch_row
from ..services.contributions import NOTE_MAX, mismatch_resolve

router = Router(tags=["缴费比对差异"], auth=bearer)


class MismatchErrorOut(Schema):
    code: str
    message: str
    details: dict | list


ERRORS = {status: MismatchErrorOut for status in (401, 403, 404, 409, 422)}


class MismatchOut(Schema):
    id: int
    kind: str = Field(description="paid_not_enrolled 已缴费但未参保登记 / enrolled_unpaid 已参保但未缴费 / "
                                  "employer_unknown 缴费单位未在本统筹区登记")
    kind_label: str
    status: str = Field(description="open 待核查 / resolved 已核查处理")
    status_label: str
    employer_code: str = Field(description="统一社会信用代码（税务文件所列）")
    employer_name: str = Field(description="参保单位名称（本统筹区未登记的单位为空）")
    id_number: str = Field(description="身份证号（已遮盖）")
    name: str = Field(description="姓名（已遮盖）")
    month: str = Field(description="费款所属期，YYYY-MM")
    wage_base: str | None = Field(description="税务文件中的缴费工资（元，两位小数）；文件中没有该人员时为空")
    batch_id: int = Field(description="发现该差异的交换批次")
    note: str = Field(description="核查说明")
    resolved_by: str
    resolved_at: IsoDateTime | None
    created_at: IsoDateTime
    is_open: bool = Field(description="待核查")
    actions: list[str] = Field(description="当前账户可办理的操作（resolve 核查处理）")


class MismatchListOut(Schema):
    items: list[MismatchOut]
    count: int


class MismatchQuery(ApiSchema):
    kind: choice_filter(MismatchKind) = Field("", description="差异类型")
    status: choice_filter(MismatchStatus) = Field("", description="状态")
    month: str = Field("", description="费款所属期，YYYY-MM", pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")
    employer_code: str = Field("", max_length=18, description="统一社会信用代码（前几位即可）")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class MismatchResolveIn(ApiSchema):
    note: str = Field(..., max_length=NOTE_MAX, description="核查说明：核实了什么、如何处理（必填）")


@router.get("/mismatches", response={200: MismatchListOut, **ERRORS},
            summary="缴费比对差异列表（本统筹区；待核查在前，身份证号和姓名已遮盖）")
@api_permit("contribution_mismatch", "view")
def list_(request, query: Query[MismatchQuery]):
    filters = query.model_dump()
    filters["month"] = date.fromisoformat(f"{query.month}-01") if query.month else None
    qs = mismatch_list(actor=request.auth, filters=filters)
    start = (query.page - 1) * query.size
    return {"items": [mismatch_row(m, actor=request.auth) for m in qs[start:start + query.size]], "count": qs.count()}


@router.post("/mismatches/{mismatch_id}/resolve", response={200: MismatchOut, **ERRORS},
             summary="核查处理缴费比对差异（填写核查说明；处理后不能再次处理）")
@api_permit("contribution_mismatch", "resolve")
def resolve(request, mismatch_id: int, payload: MismatchResolveIn):
    mismatch = mismatch_get(actor=request.auth, mismatch_id=mismatch_id, action="resolve")
    mismatch_resolve(actor=request.auth, mismatch=mismatch, note=payload.note)
    return mismatch_row(mismatch_get(actor=request.auth, mismatch_id=mismatch_id), actor=request.auth)
