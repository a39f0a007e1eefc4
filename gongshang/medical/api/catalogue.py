"""目录 API: search the catalogue valid on a day (本统筹区目录 and the national 药品目录)."""

from django.utils import timezone
from ninja import Query, Router

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer

from ..presenters import institutions as p
from ..schemas.institutions import CataloguePageOut, CatalogueQuery, MedicalErrorOut
from ..selectors.catalogues import catalogue_region, catalogue_search

router = Router(tags=["工伤医疗"], auth=bearer)
ERRORS = {status: MedicalErrorOut for status in (401, 403, 422)}


@router.get("/catalogue", response={200: CataloguePageOut, **ERRORS},
            summary="工伤医疗目录查询：医保编码前缀或名称，某日有效的版本（本统筹区目录优先于全国目录）")
@api_permit("medical_catalogue", "view")
def search_catalogue(request, query: Query[CatalogueQuery]):
    on = query.on or timezone.localdate()
    region = catalogue_region(request.auth)
    rows = catalogue_search(actor=request.auth, region=region, q=query.q, kind=query.kind, on=on)
    return {"count": rows.count(), "limit": query.limit, "offset": query.offset, "on": on, "region": region,
            "items": [p.catalogue_item_dict(i) for i in rows[query.offset:query.offset + query.limit]]}
