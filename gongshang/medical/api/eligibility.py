"""工伤就医资格 API: an agreement institution (or a 稽核员) asks whether a person may be treated and
settled under 工伤保险 on a day; answers by the place of treatment (see services/eligibility.py)."""

from datetime import date

from django.utils import timezone
from ninja import Router

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer

from ..schemas.encounters import MedEligibilityOut
from ..services import eligibility as services

router = Router(tags=["工伤医疗"], auth=bearer)


@router.get("/eligibility", response={200: MedEligibilityOut, 403: dict, 422: dict, 429: dict},
            summary="工伤就医资格查询（按就医地答复：本统筹区的工伤，或备案到本统筹区就医的异地就医人员；"
                    "机构须有有效协议，否则 403 institution_no_agreement）")
@api_permit("medical_eligibility", "check")
def check_eligibility(request, id_number: str = "", date: date | None = None):
    return services.eligibility_check(actor=request.auth, id_number=id_number, on=date or timezone.localdate())
