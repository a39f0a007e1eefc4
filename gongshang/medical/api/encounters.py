"""就诊与费用明细 API (institution): register, upload lines, settle at discharge, answer a query; lists
and detail for the institution (its own), the 稽核员 (the 统筹区) and the worker (my-encounters).

POST /encounters answers 201 for a new registration and 200 with the same id when this institution
already registered the same case, kind and admission time (the external key); an Idempotency-Key
header replays the first answer as well."""

from ninja import Query, Router, Status

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.api.idempotency import OPENAPI_PARAMETER
from gongshang.api.pagination import PageParams
from gongshang.api.schemas import choice_filter

from ..choices import EncounterStatus
from ..schemas.encounters import (
    MedAnswerIn,
    MedEncounterCreatedOut,
    MedEncounterIn,
    MedEncounterOut,
    MedEncounterPageOut,
    MedLineIn,
    MedLinesOut,
    MedMyEncountersOut,
    MedSettleIn,
    MedSettleOut,
)
from ..selectors import encounters as selectors
from ..services import encounters as services

router = Router(tags=["工伤医疗"], auth=bearer)
ERRORS = {403: dict, 404: dict, 409: dict, 422: dict}
StatusFilter = choice_filter(EncounterStatus)


@router.post("/encounters", response={200: MedEncounterCreatedOut, 201: MedEncounterCreatedOut, 403: dict, 422: dict},
             openapi_extra={"parameters": [OPENAPI_PARAMETER]},
             summary="登记就诊（住院、门诊、康复）：201 新登记；同一机构同一案件、类别、入院时间已登记的答 200 和原 id")
@api_permit("medical_encounter", "create")
def create_encounter(request, payload: MedEncounterIn):
    encounter, created = services.encounter_create(actor=request.auth, data=payload.model_dump())
    return Status(201 if created else 200, {"id": encounter.pk, "created": created})


@router.get("/encounters", response={200: MedEncounterPageOut, 403: dict},
            summary="就诊列表：机构看本机构的，稽核员看本统筹区的，个人看本人的；status 按状态筛选")
@api_permit("medical_encounter", "view")
def list_encounters(request, page: Query[PageParams], status: StatusFilter = ""):
    rows = selectors.encounter_list(actor=request.auth, status=status)
    limit, offset = page.limit, page.offset
    return {"count": rows.count(), "limit": limit, "offset": offset,
            "items": [selectors.row_dict(e) for e in rows[offset:offset + limit]]}


@router.get("/my-encounters", response={200: MedMyEncountersOut, 403: dict},
            summary="我的工伤就医记录（本人，只读）：机构、日期、费用与基金支付")
@api_permit("medical_encounter", "view")
def my_encounters(request, page: Query[PageParams]):
    rows = selectors.my_encounters(actor=request.auth)
    items = [selectors.row_dict(e) for e in rows[page.offset:page.offset + page.limit]]
    return {"count": rows.count(), "items": items}


@router.get("/encounters/{pk}", response={200: MedEncounterOut, 403: dict, 404: dict},
            summary="就诊详情：状态、金额、可办理的操作（allowed_actions）")
@api_permit("medical_encounter", "view")
def get_encounter(request, pk: int):
    return selectors.encounter_dict(selectors.encounter_access(actor=request.auth, pk=pk), actor=request.auth)


@router.put("/encounters/{pk}/lines", response={200: MedLinesOut, **ERRORS},
            summary="上传费用明细（JSON 数组，按 line_no 新增或替换，未上传的行保留；整批全部保存或全部不保存；"
                    "每次最多 5000 行；已结算答 409 encounter_already_settled；有误答 422 bill_lines_invalid，"
                    "details.lines 逐行列出 line_no、field、message）")
@api_permit("medical_encounter", "edit_lines")
def put_lines(request, pk: int, payload: list[MedLineIn]):
    encounter = selectors.encounter_access(actor=request.auth, pk=pk, action="edit_lines")
    result = services.encounter_lines_replace(actor=request.auth, encounter=encounter,
                                              lines=[line.model_dump() for line in payload])
    return {**result, "total": str(result["total"])}


@router.post("/encounters/{pk}/settle", response={200: MedSettleOut, **ERRORS},
             summary="出院直接结算：每行的基金支付与不予支付及原因；已结算的再次调用答原结果")
@api_permit("medical_encounter", "settle")
def settle(request, pk: int, payload: MedSettleIn | None = None):
    encounter = selectors.encounter_access(actor=request.auth, pk=pk, action="settle")
    result = services.encounter_settle(actor=request.auth, encounter=encounter,
                                       discharged_at=payload.discharged_at if payload else None)
    return selectors.settle_dict(encounter, result)


@router.post("/encounters/{pk}/answer", response={200: MedEncounterOut, **ERRORS},
             summary="答复经办机构的询问（已询问 → 未结算），之后可修改明细并重新结算")
@api_permit("medical_encounter", "answer")
def answer(request, pk: int, payload: MedAnswerIn):
    encounter = selectors.encounter_access(actor=request.auth, pk=pk, action="answer")
    services.encounter_answer(actor=request.auth, encounter=encounter, text=payload.text)
    encounter.refresh_from_db()
    return selectors.encounter_dict(encounter, actor=request.auth)
