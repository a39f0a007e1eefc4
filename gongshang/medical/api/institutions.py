"""协议机构 API: the list (staff: their 统筹区; an institution: its own) and one institution."""

from ninja import Path, Query, Router

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer

from ..presenters import institutions as p
from ..schemas.institutions import InstitutionOut, InstitutionPageOut, InstitutionQuery, MedicalErrorOut
from ..selectors import institutions as selectors

router = Router(tags=["工伤医疗"], auth=bearer)
ERRORS = {status: MedicalErrorOut for status in (401, 403, 404, 422)}
MAX_ID = 2**63 - 1  # ids are 64-bit: a larger one would fail in the database, not answer 404


@router.get("/institutions", response={200: InstitutionPageOut, **ERRORS},
            summary="协议机构列表（经办人员：本统筹区；定点机构：本机构）")
@api_permit("medical_institution", "view")
def list_institutions(request, query: Query[InstitutionQuery]):
    rows = selectors.institution_list(actor=request.auth, kind=query.kind, status=query.status, county=query.county)
    return {"count": rows.count(), "limit": query.limit, "offset": query.offset,
            "items": [p.institution_dict(i) for i in rows[query.offset:query.offset + query.limit]]}


@router.get("/institutions/{institution_id}", response={200: InstitutionOut, **ERRORS},
            summary="协议机构详情：协议期限与状态、今天能否直接结算")
@api_permit("medical_institution", "view")
def get_institution(request, institution_id: int = Path(..., ge=1, le=MAX_ID)):
    return p.institution_dict(selectors.institution_get_for(request.auth, institution_id))
