"""Demo 待遇领取资格认证 for 青岛市 (370200), after the registry, accounts and benefits demos.

Three workers of 青岛海川机械 draw a 四级 伤残津贴 approved a year ago (存量待遇: benefits recorded,
computed by 冯待遇 and approved by 陈复核 through the benefits services; the approval is dated a year
back, as it was in the story):
- 杨帆: his certification was due on the 1st of this month (or last month, on the 1st); reminded 30
  and 7 days before, not certified, so it lapsed and his 伤残津贴 is suspended (逾期已暂停);
- 刘洋: due early next month (the anniversary, or 30 days after the certification opened when it
  opened late), reminded by SMS; he can certify on the phone (SMS login 13900000003);
- 陈静: due the same day; she took a live photo with the fake phone (fakes/eligibility.py) and it
  waits for 冯待遇's review beside the reference (none on record: the page says so).
The daily cycle then runs for the whole 统筹区, as the command would this morning.

Idempotent: the cases by their demo address, the certifications by (beneficiary, year), the cycle
itself does nothing a second time the same day."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.models import User
from gongshang.benefits.models import CaseConclusion, Entitlement
from gongshang.benefits.rules.leave import add_months
from gongshang.core.files.pdf import blank_pdf
from gongshang.core.pii.crypto import blind_index
from gongshang.registry.models import ContributionRecord, Employer, InsuredPerson

from ..choices import CertificationStatus
from ..fakes.eligibility import live_photo
from ..models import Certification
from ..services import eligibility as services
from ..services import eligibility_cycle as cycle

REGION = "370200"
EMPLOYER = "91370200MA3C5UWK4C"
ADDRESS = "演示：海川机械冲压车间（资格认证演示）"
LAPSED, DUE, SUBMITTED = "372925199811204414", "370203199001012316", "370212199503153529"   # 杨帆, 刘洋, 陈静


def _anniversaries(today: date) -> tuple[date, date]:
    """(a due date already past, the next one): the 1st of this month (of last month on the 1st)
    and the 1st of next month."""
    past = today.replace(day=1) if today.day > 1 else add_months(today.replace(day=1), -1)
    return past, add_months(today.replace(day=1), 1)


def _benefits(person, employer, *, first_month: date, maker, checker) -> None:
    """A 四级 conclusion the month before `first_month` and its entitlements, approved then."""
    from gongshang.benefits.services.entitlements import (
        CreateInput,
        conclusion_record,
        entitlements_approve,
        entitlements_create,
    )
    from gongshang.cases.services import accident_create, case_create

    concluded = add_months(first_month, -1).replace(day=15)
    injured = concluded - timedelta(days=150)
    _contributions(person, employer, before=injured.replace(day=1))
    accident = accident_create(region=REGION, employer=employer, address=ADDRESS, description="冲压时右手受伤（演示）",
                               occurred_at=timezone.make_aware(datetime.combine(injured, time(9, 30))))
    case = case_create(actor=None, accident=accident, injured={"name": person.name, "person": person,
                                                               "employer": employer})
    conclusion_record(actor=maker, case_id=case.pk, document=SimpleUploadedFile("鉴定结论书.pdf", blank_pdf()), data={
        "kind": "disability", "recognition_number": f"青人社工认〔{injured.year}〕演示{person.pk:03d}号",
        "recognised_on": injured + timedelta(days=40), "conclusion_number": f"青劳鉴〔{concluded.year}〕演示{person.pk:03d}号",
        "concluded_on": concluded, "disability_grade": 4, "nursing_level": ""})
    entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(bank_name="青岛银行（演示）",
                                                                       bank_account="6222000000000099"))
    entitlements_approve(actor=checker, case_id=case.pk)
    # 存量待遇: approved a year ago in the story, not on the day the demo is seeded.
    approved = timezone.make_aware(datetime.combine(concluded + timedelta(days=10), time(10)))
    Entitlement.objects.filter(case=case).update(approved_at=approved)


def _contributions(person, employer, *, before: date) -> None:
    """The 12 months of contributions before the injury month that 本人工资 is computed from (the
    registry demo keeps only the recent months), at the person's current wage base."""
    latest = ContributionRecord.objects.filter(person=person, employer=employer).order_by("-month").first()
    base = latest.wage_base if latest is not None else Decimal("5000.00")
    for i in range(1, 13):
        ContributionRecord.objects.get_or_create(person=person, employer=employer, insurance_type="injury",
                                                 month=add_months(before, -i), defaults={"wage_base": base})


def _account(person) -> User:
    """The person's individual account (SMS login with the registered mobile), bound to them."""
    from gongshang.accounts.services.individuals import individual_account_for_mobile, person_bind

    user = individual_account_for_mobile(person.mobile)
    if user.person_id is None:
        person_bind(None, actor=user, id_number=person.id_number, name=person.name)
    return user


def _has_benefits(person) -> bool:
    return CaseConclusion.objects.filter(case__person=person, case__accident__address=ADDRESS).exists()


@transaction.atomic
def seed(stdout=None) -> None:
    maker = User.objects.filter(username="benefits", kind="staff").first()
    checker = User.objects.filter(username="benefits2", kind="staff").first()
    employer = Employer.objects.filter(uscc=EMPLOYER).first()
    people = {i: InsuredPerson.objects.filter(id_number_index=blind_index(i)).first() for i in (LAPSED, DUE, SUBMITTED)}
    if maker is None or checker is None or employer is None or None in people.values():
        if stdout:
            stdout.write("  资格认证：缺少演示待遇审核员或参保人员，跳过")
        return
    today = timezone.localdate()
    past, upcoming = _anniversaries(today)
    for id_number, anniversary in ((LAPSED, past), (DUE, upcoming), (SUBMITTED, upcoming)):
        if not _has_benefits(people[id_number]):
            _benefits(people[id_number], employer, first_month=add_months(anniversary, -12), maker=maker,
                      checker=checker)
    lapsed_key = blind_index(LAPSED)
    if not Certification.objects.filter(beneficiary_id_index=lapsed_key).exists():
        # The cycle as it ran 35 days before the due date (opened), at the two reminders, then today (lapsed).
        for days_before in (35, 30, 7):
            cycle.run_cycle(region=REGION, today=past - timedelta(days=days_before), only={lapsed_key})
    result = cycle.run_cycle(region=REGION, today=today)
    submitted = Certification.objects.filter(beneficiary_id_index=blind_index(SUBMITTED), year=upcoming.year).first()
    if submitted is not None and submitted.status == CertificationStatus.DUE:
        photo = SimpleUploadedFile("自拍.jpg", live_photo(shade=3), content_type="image/jpeg")
        services.certification_certify(actor=_account(people[SUBMITTED]), photo=photo)
    _account(people[DUE])
    if stdout:
        stdout.write(f"  资格认证：杨帆逾期暂停、刘洋待认证、陈静已提交照片待审核；今日比对：{result.summary()}")
