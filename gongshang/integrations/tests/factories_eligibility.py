"""Factories of 待遇领取资格认证: beneficiaries with approved monthly benefits (through the benefits
services), certifications, and the data the comparison reads (hospital notices, deaths)."""

from datetime import date
from pathlib import Path

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.benefits.demo import seed_parameters
from gongshang.benefits.models import Entitlement
from gongshang.benefits.services.entitlements import (
    Beneficiary,
    CreateInput,
    entitlements_approve,
    entitlements_create,
)
from gongshang.benefits.tests.factories import make_case, record
from gongshang.core.pii.crypto import blind_index

from ..choices import (
    BatchKind,
    CertificationStatus,
    DeathStatus,
    HospitalNoticeKind,
    HospitalNoticeStatus,
    Partner,
)
from ..fakes.eligibility import SAMPLE_NAME, live_photo
from ..models import Certification, DeathRecord, HospitalNotice
from .factories import ExchangeBatchFactory

SAMPLE_PHOTO = Path(__file__).resolve().parent.parent / "samples" / SAMPLE_NAME


def photo_upload(*, width: int = 640, height: int = 480, name: str = "selfie.jpg") -> SimpleUploadedFile:
    """A live photo as the phone uploads it (the fake phone's JPEG)."""
    return SimpleUploadedFile(name, live_photo(width=width, height=height), content_type="image/jpeg")


def sample_photo_upload() -> SimpleUploadedFile:
    """The documented sample (samples/eligibility_live_photo.jpg) as an upload."""
    return SimpleUploadedFile(SAMPLE_NAME, SAMPLE_PHOTO.read_bytes(), content_type="image/jpeg")


def beneficiary(person, employer, maker, checker, *, grade: int = 3, nursing: str = ""):
    """A worker with approved benefits: 伤残 conclusion 2025-10-15, so the monthly items (fund) start
    2025-11 and the certification is due on 1 November each year from 2026. Returns
    (case, [the monthly fund entitlements])."""
    seed_parameters()
    case = make_case(person, employer)
    record(maker, case, grade=grade, nursing=nursing)
    entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(bank_name="青岛银行",
                                                                       bank_account="6222000011112222"))
    entitlements_approve(actor=checker, case_id=case.pk)
    return case, _monthly(case)


def dependants(person, employer, maker, checker, *, relatives=(("王芳", "spouse", "370202199001011528"),)):
    """A worker who died of the injury (conclusion 2025-06-10): each relative draws 供养亲属抚恤金 monthly
    from 2025-07, registered by their own ID number (no account, no mobile). Returns
    (case, [the monthly fund entitlements])."""
    seed_parameters()
    case = make_case(person, employer)
    record(maker, case, kind="death", grade=None, concluded_on=date(2025, 6, 10))
    entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
        next_of_kin=relatives[0][0], next_of_kin_id_number=relatives[0][2], bank_name="青岛银行",
        bank_account="6222000011113333",
        dependants=[Beneficiary(name, relation, id_number=id_number) for name, relation, id_number in relatives]))
    entitlements_approve(actor=checker, case_id=case.pk)
    return case, _monthly(case)


def _monthly(case) -> list[Entitlement]:
    return list(Entitlement.objects.filter(case=case, period_kind="monthly", payer="fund").order_by("pk"))


class CertificationFactory(factory.django.DjangoModelFactory):
    """A certification of `person` (an InsuredPerson) for 2026, due 2026-11-01, 待认证."""

    class Meta:
        model = Certification

    class Params:
        person_obj = None

    region = "370200"
    year = 2026
    person = factory.LazyAttribute(lambda o: o.person_obj)
    beneficiary_name = factory.LazyAttribute(lambda o: o.person_obj.name if o.person_obj else "王秀英")
    beneficiary_id_number = factory.LazyAttribute(lambda o: o.person_obj.id_number if o.person_obj else "370202195506061522")
    due_on = date(2026, 11, 1)
    status = CertificationStatus.DUE


def hospital_notice(id_number: str, *, on: date, region: str = "370200", kind=HospitalNoticeKind.DISCHARGE,
                    number: str = "") -> HospitalNotice:
    """A 卫健 admission/discharge notice of `id_number` on `on` (as the hospitals adapter records it)."""
    batch = ExchangeBatchFactory(region=region, partner=Partner.HEALTH, kind=BatchKind.HOSPITAL_NOTICES,
                                 content=f"notice {id_number} {on}\n".encode())
    return HospitalNotice.objects.create(
        region=region, batch=batch, hospital_code="H3702000001", hospital_name="青岛市市立医院（演示）",
        notice_number=number or f"ZY{on:%Y%m%d}{blind_index(id_number)[:6]}", kind=kind, id_number=id_number,
        name="某某", event_date=on, diagnosis="肺炎", status=HospitalNoticeStatus.UNLINKED)


def death_record(id_number: str, *, on: date, status=DeathStatus.APPLIED, region: str = "370200") -> DeathRecord:
    """A 民政 death record of `id_number` (as the deaths adapter records it)."""
    batch = ExchangeBatchFactory(region=region, partner=Partner.CIVIL_AFFAIRS, kind=BatchKind.DEATHS,
                                 content=f"death {id_number} {on}\n".encode())
    return DeathRecord.objects.create(region=region, batch=batch, source=Partner.CIVIL_AFFAIRS, id_number=id_number,
                                      name="某某", death_date=on, status=status)
