"""异地就医备案 API (paths fixed by the issue); thin: parse, load-and-check, call a service, shape."""

from datetime import date

from ninja import Query, Router, Status
from pydantic import Field

from gongshang.accounts.access import api_permit, get_for
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, choice_filter

from ..choices import RemoteStatus
from ..models import RemoteRegistration
from ..presenters.remote import registration_dict
from ..schemas.remote import (
    RemoteCancelIn,
    RemoteChangeIn,
    RemoteCreatedOut,
    RemoteErrorOut,
    RemoteListOut,
    RemoteRegistrationIn,
    RemoteRegistrationOut,
)
from ..selectors.remote import remote_registration_list
from ..services import remote as services

router = Router(tags=["工伤医疗"], auth=bearer)
ERRORS = {status: RemoteErrorOut for status in (401, 403, 404, 409, 422)}
QS = RemoteRegistration.objects.select_related("case")


class RemoteQuery(ApiSchema):
    status: choice_filter(RemoteStatus) = Field("", description="状态：active 有效 / changed 已变更 / cancelled 已取消")
    treatment_region: str = Field("", max_length=6, description="就医地统筹区")
    case_number: str = Field("", max_length=32, description="案件编号")
    active_on: date | None = Field(None, description="只列该日有效的备案")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


@router.post("/remote-registrations", response={201: RemoteCreatedOut, **ERRORS},
             summary="异地就医备案（工伤职工本人或参保地稽核员；有效期12个月，满3个月后可变更或取消）")
@api_permit("remote_registration", "create")
def create(request, payload: RemoteRegistrationIn):
    row = services.remote_registration_create(actor=request.auth, case_number=payload.case_number,
                                              data=payload.model_dump(exclude={"case_number"}))
    return Status(201, {"id": row.pk, "valid_until": row.valid_until})


@router.get("/remote-registrations", response={200: RemoteListOut, **ERRORS},
            summary="异地就医备案列表（本人的，或本统筹区的）")
@api_permit("remote_registration", "view")
def list_(request, query: Query[RemoteQuery]):
    qs = remote_registration_list(actor=request.auth, filters=query.model_dump())
    start = (query.page - 1) * query.size
    return {"items": [registration_dict(r) for r in qs[start:start + query.size]], "count": qs.count()}


@router.get("/remote-registrations/{pk}", response={200: RemoteRegistrationOut, **ERRORS},
            summary="异地就医备案详情")
@api_permit("remote_registration", "view")
def detail(request, pk: int):
    return registration_dict(get_for(request.auth, QS, pk, "view"))


@router.post("/remote-registrations/{pk}/change", response={201: RemoteCreatedOut, **ERRORS},
             summary="变更异地就医备案（满3个月后；生成新备案，原备案为已变更）")
@api_permit("remote_registration", "change")
def change(request, pk: int, payload: RemoteChangeIn):
    row = get_for(request.auth, QS, pk, "change")
    new = services.remote_registration_change(actor=request.auth, registration=row, data=payload.model_dump())
    return Status(201, {"id": new.pk, "valid_until": new.valid_until})


@router.post("/remote-registrations/{pk}/cancel", response={200: RemoteRegistrationOut, **ERRORS},
             summary="取消异地就医备案（满3个月后）")
@api_permit("remote_registration", "cancel")
def cancel(request, pk: int, payload: RemoteCancelIn):
    row = get_for(request.auth, QS, pk, "cancel")
    done = services.remote_registration_cancel(actor=request.auth, registration=row,
                                               note=payload.note)
    return registration_dict(QS.get(pk=done.pk))
