"""Registry reads for the foundation (the employer hall issue extends this router)."""

from datetime import date

from ninja import Router, Schema

from gongshang.api.auth import bearer
from gongshang.core.pii.masking import mask_id_number, mask_mobile
from gongshang.registry import selectors

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


def _mount_sub_routers() -> None:
    from gongshang.registry.certificates.api import router as certificates_router
    from gongshang.registry.imports.api import router as imports_router

    router.add_router("/roster-imports", imports_router)
    router.add_router("/certificates", certificates_router)


_mount_sub_routers()
