"""参保登记 API: persons, the employer's roster (employees) and roster change requests."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.api.pagination import LimitOffsetPagination
from gongshang.api.schemas import ApiSchema, choice_filter, mobile_field
from gongshang.core.pii.masking import mask_id_number, mask_mobile
from gongshang.registry import selectors
from gongshang.registry.choices import (
    ChangeDirection,
    ChangeStatus,
    EnrolmentStatus,
    InsuranceType,
    InsuredIdentity,
    PaymentStatus,
)
from gongshang.registry.services import changes

router = Router(tags=["参保登记"], auth=bearer)


class EnrolmentOut(Schema):
    insurance_type: str
    employer_uscc: str
    employer_name: str
    start_month: date
    status: str


class PersonOut(Schema):
    id: int
    name: str
    id_number_masked: str
    mobile_masked: str
    gender: str
    birth_date: date
    enrolments: list[EnrolmentOut]


@router.get("/persons/{person_id}", response=PersonOut, summary="参保人员（脱敏）")
@api_permit("person", "view")
def person_detail(request, person_id: int):
    person = selectors.person_get(actor=request.auth, person_id=person_id)
    enrolments = [
        {"insurance_type": e.insurance_type, "employer_uscc": e.employer.uscc, "employer_name": e.employer.name,
         "start_month": e.start_month, "status": e.status}
        for e in selectors.enrolment_list_for_person(actor=request.auth, person=person)
    ]
    return {"id": person.pk, "name": person.name, "id_number_masked": mask_id_number(person.id_number),
            "mobile_masked": mask_mobile(person.mobile), "gender": person.gender, "birth_date": person.birth_date,
            "enrolments": enrolments}



class EmployeeFilters(Schema):
    insurance_type: choice_filter(InsuranceType) = Field("injury", description="险种，空为全部")
    status: choice_filter(EnrolmentStatus) = Field("", description="参保状态，空为全部")
    payment: choice_filter(PaymentStatus) = Field("", description="缴费状态，空为全部")
    identity: choice_filter(InsuredIdentity) = Field("", description="参保身份，空为全部")
    q: str = Field("", max_length=50, description="身份证号（精确）或姓名（包含）")


class EmployeeOut(Schema):
    person_id: int
    name: str
    id_number_masked: str
    gender: str
    birth_date: date
    insurance_type: str
    identity: str
    status: str
    start_month: date
    stop_month: date | None
    payment_status: str

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask_id_number(obj.person.id_number)

    @staticmethod
    def resolve_gender(obj):
        return obj.person.gender

    @staticmethod
    def resolve_birth_date(obj):
        return obj.person.birth_date


@router.get("/employees", response=list[EmployeeOut], summary="员工花名册（本单位）")
@api_permit("enrolment", "roster")
@paginate(LimitOffsetPagination)
def employee_list(request, filters: Query[EmployeeFilters]):
    rows = selectors.roster_list(actor=request.auth, insurance_type=filters.insurance_type, status=filters.status,
                                 payment=filters.payment, identity=filters.identity, query=filters.q)
    return rows


class ChangeIn(ApiSchema):
    kind: str = Field(..., description="add_new 新参保 / add_continue 续保 / add_transfer_in 调入 / "
                                       "reduce_suspend 暂停参保 / reduce_terminate 终止参保 / reduce_retire 在职转退休")
    insurance_type: str = Field(..., description="injury/unemployment/medical/pension")
    effective_month: str = Field(..., max_length=20, description="生效月份，如 2026-11")
    id_number: str = Field(..., max_length=32)
    name: str = Field(..., max_length=50)
    mobile: str = mobile_field("", optional=True)
    household_type: str = Field("", description="urban/rural")
    identity: str = Field("", description="参保身份（增员）")
    declared_wage: Decimal | None = Field(None, description="申报缴费工资（元）")


class ChangePatch(ApiSchema):
    kind: str | None = None
    insurance_type: str | None = None
    effective_month: str | None = Field(None, max_length=20)
    id_number: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=50)
    mobile: str | None = mobile_field(None, optional=True)
    household_type: str | None = None
    identity: str | None = None
    declared_wage: Decimal | None = None


class ChangeFilters(Schema):
    direction: choice_filter(ChangeDirection) = Field("", description="add 增员 / reduce 减员，空为全部")
    status: choice_filter(ChangeStatus) = Field("", description="申报状态，空为全部")
    q: str = Field("", max_length=50)


class ChangeOut(Schema):
    id: int
    employer_uscc: str
    employer_name: str
    direction: str
    kind: str
    insurance_type: str
    effective_month: str
    name: str
    id_number_masked: str
    identity: str
    declared_wage: Decimal | None
    status: str
    reject_reason: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_employer_uscc(obj):
        return obj.employer.uscc

    @staticmethod
    def resolve_employer_name(obj):
        return obj.employer.name

    @staticmethod
    def resolve_effective_month(obj):
        return obj.effective_month.isoformat()[:7]

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask_id_number(obj.id_number)


class RejectIn(ApiSchema):
    reason: str = Field(..., max_length=500, description="退回原因（单位可见）")


@router.post("/changes", response={201: ChangeOut}, summary="增员/减员申报")
@api_permit("enrolment_change", "create")
def change_create(request, payload: ChangeIn):
    change = changes.change_submit(actor=request.auth, data=payload.dict())
    return Status(201, change)


@router.get("/changes", response=list[ChangeOut], summary="人员异动申报列表（单位：本单位；受理员：辖区）")
@api_permit("enrolment_change", "view")
@paginate(LimitOffsetPagination)
def change_index(request, filters: Query[ChangeFilters]):
    rows = selectors.change_list(actor=request.auth, direction=filters.direction, status=filters.status,
                                 query=filters.q)
    return rows


@router.get("/changes/{change_id}", response=ChangeOut, summary="人员异动申报详情")
@api_permit("enrolment_change", "view")
def change_detail(request, change_id: int):
    return selectors.change_get(actor=request.auth, change_id=change_id)


@router.patch("/changes/{change_id}", response=ChangeOut, summary="修改待确认的申报（单位）")
@api_permit("enrolment_change", "edit")
def change_modify(request, change_id: int, payload: ChangePatch):
    data = payload.dict(exclude_unset=True)
    return changes.change_update(actor=request.auth, change_id=change_id, data=data)


@router.delete("/changes/{change_id}", response=ChangeOut, summary="删除待确认的申报（单位；保留为“已删除”）")
@api_permit("enrolment_change", "withdraw")
def change_delete(request, change_id: int):
    return changes.change_withdraw(actor=request.auth, change_id=change_id)


@router.post("/changes/{change_id}/confirm", response=ChangeOut, summary="增员确认/减员确认（经办）")
@api_permit("enrolment_change", "confirm")
def change_confirm(request, change_id: int):
    return changes.change_confirm(actor=request.auth, change_id=change_id)


@router.post("/changes/{change_id}/reject", response=ChangeOut, summary="退回申报（经办，须说明原因）")
@api_permit("enrolment_change", "reject")
def change_reject(request, change_id: int, payload: RejectIn):
    return changes.change_reject(actor=request.auth, change_id=change_id, reason=payload.reason)


def _mount_sub_routers() -> None:
    from gongshang.registry.certificates.api import router as certificates_router
    from gongshang.registry.imports.api import router as imports_router

    router.add_router("/roster-imports", imports_router)
    router.add_router("/certificates", certificates_router)


_mount_sub_routers()
