"""身份核验 API under /api/v1/exchange/: a staff member checks one ID number and name against the
population register; the list of checks (the system's at 增员, binding and quick reports, and the
staff's own), ID numbers masked."""

from datetime import date

from ninja import Query, Router, Schema, Status
from pydantic import Field

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams
from gongshang.api.schemas import ApiSchema, IsoDateTime, choice_filter

from ..choices import IdentityContext, IdentityResult
from ..presenters.identity import check_row
from ..selectors.identity import identity_check_list
from ..services.identity import identity_check_record

router = Router(auth=bearer)

RESULTS = " / ".join(f"{v} {label}" for v, label in IdentityResult.choices)
CONTEXTS = " / ".join(f"{v} {label}" for v, label in IdentityContext.choices)


class IdentityErrorOut(Schema):
    code: str
    message: str
    details: dict | list


class IdentityCheckIn(ApiSchema):
    id_number: str = Field(..., max_length=30, description="身份证号（18 位，末位可为 X）")
    name: str = Field(..., max_length=50, description="姓名（与身份证上的一致）")


class IdentityAnswerOut(Schema):
    id: int = Field(description="核验记录编号")
    result: str = Field(description=f"核验结果：{RESULTS}")
    label: str = Field(description="核验结果（中文）")
    cached: bool = Field(description="true：使用了近期同一身份证号和姓名的人口库答复，未再次查询人口库")


class IdentityCheckOut(Schema):
    id: int
    checked_at: IsoDateTime
    region: str = Field(description="统筹区（空：平台级，例如个人实名绑定前）")
    id_number: str = Field(description="身份证号（已遮盖）")
    context: str = Field(description=f"核验场景：{CONTEXTS}")
    context_label: str
    result: str = Field(description=f"核验结果：{RESULTS}")
    result_label: str
    cached: bool
    actor: str = Field(description="发起人（系统发起的核验为办理该业务的账户）")


class IdentityListOut(Schema):
    count: int
    items: list[IdentityCheckOut]


class IdentityListQuery(PageParams):
    context: choice_filter(IdentityContext) = Field("", description=f"核验场景：{CONTEXTS}")
    result: choice_filter(IdentityResult) = Field("", description=f"核验结果：{RESULTS}")
    cached: bool | None = Field(None, description="true 只看使用缓存的 / false 只看查询了人口库的")
    id_number: str = Field("", max_length=30, description="身份证号（完整 18 位，精确查找）")
    date_from: date | None = Field(None, description="核验日期起（含），YYYY-MM-DD")
    date_to: date | None = Field(None, description="核验日期止（含），YYYY-MM-DD")


@router.post("/identity-checks", response={201: IdentityAnswerOut, 401: IdentityErrorOut, 403: IdentityErrorOut,
                                           422: IdentityErrorOut, 429: IdentityErrorOut},
             summary="身份核验：按身份证号和姓名查询公安人口库（同一人 30 天内的答复直接复用；每次核验均记录）")
@api_permit("identity_check", "check")
def check(request, payload: IdentityCheckIn):
    found = identity_check_record(actor=request.auth, id_number=payload.id_number, name=payload.name,
                                  context=IdentityContext.STAFF, region=request.auth.jurisdiction or "")
    return Status(201, {"id": found.pk, "result": found.result, "label": str(IdentityResult(found.result).label),
                        "cached": found.cached})


@router.get("/identity-checks", response={200: IdentityListOut, 401: IdentityErrorOut, 403: IdentityErrorOut,
                                          422: IdentityErrorOut},
            summary="身份核验记录（本统筹区；身份证号已遮盖；limit/offset 分页）")
@api_permit("identity_check", "view")
def list_checks(request, query: Query[IdentityListQuery]):
    qs = identity_check_list(actor=request.auth, filters=query.model_dump(exclude={"limit", "offset"}))
    rows = qs[query.offset:query.offset + query.limit]
    return {"count": qs.count(), "items": [check_row(c) for c in rows]}
