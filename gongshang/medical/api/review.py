"""费用审核 API (稽核员): the queue, approve, deduct, query. Thin: load-and-check, call a service, shape."""

from ninja import Query, Router
from pydantic import Field

from gongshang.accounts.access import api_permit, get_for
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams

from ..models import Encounter
from ..presenters import review as p
from ..schemas.review import ApproveIn, DeductIn, QueryIn, ReviewedOut, ReviewQueuePageOut
from ..selectors import review as selectors
from ..services import review as services

router = Router(tags=["工伤医疗"], auth=bearer)


class QueueParams(PageParams):
    flagged: bool = Field(False, description="只看有审核提示的")


def _encounter(request, encounter_id: int, action: str) -> Encounter:
    return get_for(request.auth, Encounter.objects.select_related("institution", "case"), encounter_id, action)


@router.get("/review", response=ReviewQueuePageOut, summary="费用审核队列：本统筹区已结算待审核的就诊，有审核提示的在前、结算早的在前，含审核时限")
@api_permit("medical_encounter", "queue")
def review_queue(request, query: Query[QueueParams]):
    rows = selectors.review_queue(actor=request.auth, flagged_only=query.flagged)
    page = selectors.with_due_dates(rows[query.offset:query.offset + query.limit])
    return {"count": rows.count(), "limit": query.limit, "offset": query.offset, "items": [p.queue_row(e) for e in page]}


@router.post("/encounters/{encounter_id}/approve", response=ReviewedOut, summary="审核通过（基金按结算金额支付）")
@api_permit("medical_encounter", "approve")
def approve(request, encounter_id: int, payload: ApproveIn):
    encounter = _encounter(request, encounter_id, "approve")
    return p.reviewed(services.encounter_approve(actor=request.auth, encounter=encounter, note=payload.note))


@router.post("/encounters/{encounter_id}/deduct", response=ReviewedOut,
             summary="审核扣减：金额不超过本次就诊的基金支付金额，原因告知机构；在机构当月结算单中扣除")
@api_permit("medical_encounter", "deduct")
def deduct(request, encounter_id: int, payload: DeductIn):
    encounter = _encounter(request, encounter_id, "deduct")
    return p.reviewed(services.encounter_deduct(actor=request.auth, encounter=encounter, amount=payload.amount,
                                                reason=payload.reason))


@router.post("/encounters/{encounter_id}/query", response=ReviewedOut,
             summary="向机构询问：就诊转为“已向机构询问”，短信通知机构联系人；机构修改明细后重新结算")
@api_permit("medical_encounter", "query")
def query(request, encounter_id: int, payload: QueryIn):
    encounter = _encounter(request, encounter_id, "query")
    return p.reviewed(services.encounter_query(actor=request.auth, encounter=encounter, text=payload.text))
