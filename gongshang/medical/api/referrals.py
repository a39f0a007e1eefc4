"""辅助器具与康复 API: the worker chooses an agreement institution, the institution settles."""

from ninja import Query, Router
from pydantic import Field

from gongshang.accounts.access import api_permit, get_for
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, choice_filter
from gongshang.core.money import fen_str

from ..choices import ReferralKind, ReferralStatus
from ..models import Referral
from ..presenters.remote import referral_dict
from ..schemas.remote import (
    MedReferralChooseIn,
    MedReferralListOut,
    MedReferralOut,
    MedReferralSettledOut,
    MedReferralSettleIn,
    RemoteErrorOut,
)
from ..selectors.remote import referral_list
from ..services import referrals as services

router = Router(tags=["工伤医疗"], auth=bearer)
ERRORS = {status: RemoteErrorOut for status in (401, 403, 404, 409, 422)}
QS = Referral.objects.select_related("case", "institution", "replaces")


class ReferralQuery(ApiSchema):
    status: choice_filter(ReferralStatus) = Field("", description="状态")
    kind: choice_filter(ReferralKind) = Field("", description="device 配置辅助器具 / rehabilitation 工伤康复")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


@router.get("/referrals", response={200: MedReferralListOut, **ERRORS},
            summary="辅助器具配置与工伤康复（本人的、本机构的或本统筹区的）")
@api_permit("medical_referral", "view")
def list_(request, query: Query[ReferralQuery]):
    qs = referral_list(actor=request.auth, filters=query.model_dump())
    start = (query.page - 1) * query.size
    return {"items": [referral_dict(r) for r in qs[start:start + query.size]], "count": qs.count()}


@router.get("/referrals/{pk}", response={200: MedReferralOut, **ERRORS}, summary="辅助器具配置或工伤康复详情")
@api_permit("medical_referral", "view")
def detail(request, pk: int):
    return referral_dict(get_for(request.auth, QS, pk, "view"))


@router.post("/referrals/{pk}/choose", response={200: MedReferralOut, **ERRORS},
             summary="选择协议机构（辅助器具配置机构或康复机构，协议有效）")
@api_permit("medical_referral", "choose")
def choose(request, pk: int, payload: MedReferralChooseIn):
    row = get_for(request.auth, QS, pk, "choose")
    done = services.referral_choose(actor=request.auth, referral=row, institution_code=payload.institution_code)
    return referral_dict(QS.get(pk=done.pk))


@router.post("/referrals/{pk}/settle", response={200: MedReferralSettledOut, **ERRORS},
             summary="机构结算（基金在目录限额内支付，超出部分由本人自付）")
@api_permit("medical_referral", "settle")
def settle(request, pk: int, payload: MedReferralSettleIn):
    row = get_for(request.auth, QS, pk, "settle")
    done = services.referral_settle(actor=request.auth, referral=row, amount=payload.amount)
    body = referral_dict(QS.get(pk=done.referral.pk))
    body["cap"] = fen_str(done.cap) if done.cap is not None else None
    body["explanation"] = done.share.reason
    return body
