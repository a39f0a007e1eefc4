"""Test helpers: a case for 张伟 with 12 months of contribution bases, a recorded conclusion."""

from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongshang.benefits.rules.leave import add_months
from gongshang.benefits.services.entitlements import conclusion_record
from gongshang.cases.services import accident_create, case_create
from gongshang.core.files.pdf import blank_pdf
from gongshang.registry.models import ContributionRecord

PDF = blank_pdf()


def pdf(name="结论书.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_case(person, employer, *, injured_on=date(2025, 6, 10), wage=Decimal("6000"), months=12):
    occurred = timezone.make_aware(datetime(injured_on.year, injured_on.month, injured_on.day, 9, 30))
    accident = accident_create(region="370200", occurred_at=occurred, employer=employer, address="车间")
    case = case_create(actor=None, accident=accident, injured={"name": person.name, "person": person,
                                                               "employer": employer})
    first = injured_on.replace(day=1)
    for i in range(1, months + 1):
        ContributionRecord.objects.get_or_create(person=person, employer=employer, insurance_type="injury",
                                                 month=add_months(first, -i), defaults={"wage_base": wage})
    return case


def record(actor, case, *, kind="disability", grade=3, nursing="", concluded_on=date(2025, 10, 15)):
    return conclusion_record(actor=actor, case_id=case.pk, document=pdf(), data={
        "kind": kind, "recognition_number": "青人社工认〔2025〕101号", "recognised_on": date(2025, 7, 1),
        "conclusion_number": "青劳鉴〔2025〕88号", "concluded_on": concluded_on, "disability_grade": grade,
        "nursing_level": nursing})


def approved_case(person, employer, maker, checker, *, grade=3):
    """A case with a 伤残 conclusion whose entitlements one 待遇审核员 made and another approved
    (the demo parameters seeded); returns (case, entitlements)."""
    from gongshang.benefits.demo import seed_parameters
    from gongshang.benefits.services.entitlements import (
        CreateInput,
        entitlements_approve,
        entitlements_create,
    )

    seed_parameters()
    case = make_case(person, employer)
    record(maker, case, grade=grade)
    rows = entitlements_create(actor=maker, case_id=case.pk,
                               data=CreateInput(bank_name="青岛银行", bank_account="6222000011112222"))
    entitlements_approve(actor=checker, case_id=case.pk)
    return case, rows
