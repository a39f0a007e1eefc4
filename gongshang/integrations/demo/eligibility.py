"""Demo 待遇领取资格认证 for 青岛市 (370200), after the registry, accounts, benefits and medical demos.

Three workers of 青岛海川机械 draw a 四级 伤残津贴 approved a year ago (存量待遇: benefits recorded,
computed by 冯待遇 and approved by 陈复核 through the benefits services; the approval is dated a year
back, as it was in the story):
- 杨帆: his certification was due on the 1st of this month (or last month, on the 1st); reminded 30
  and 7 days before, not certified, so it lapsed and his 伤残津贴 is suspended (逾期已暂停);
- 刘洋: due early next month (the anniversary, or 30 days after the certification opened when it
  opened late), reminded by SMS. To certify on the phone: sign in by SMS with 13900000003, bind
  his name and ID number (实名绑定), open 资格认证 and take the photo; then 冯待遇 reviews it;
- 陈静: due the same day, confirmed in person at the demo institution (青岛大学附属医院, account
  inst-demo-qdfy) through the institution's page.
The daily cycle then runs for the whole 统筹区, as the command would this morning. The demo binds no
individual account itself (the accounts demo keeps 张伟 the one bound account).

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
from gongshang.core.errors import FieldErrors
from gongshang.core.files.pdf import blank_pdf
from gongshang.core.pii.crypto import blind_index
from gongshang.registry.models import ContributionRecord, Employer, InsuredPerson

from ..choices import CertificationStatus
from ..models import Certification
from ..services import eligibility as services
from ..services import eligibility_cycle as cycle

REGION = "370200"
EMPLOYER = "91370200MA3C5UWK4C"
ADDRESS = "演示：海川机械冲压车间（资格认证演示）"
LAPSED, DUE, IN_PERSON = "372925199811204414", "370203199001012316", "370212199503153529"   # 杨帆, 刘洋, 陈静
INSTITUTION = "inst-demo-qdfy"


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
    injured = concluded - timedelta(days=30)
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


def _confirm_at_the_institution(person) -> None:
    """The demo institution confirms the beneficiary present in person (if the medical demo linked it)."""
    from gongshang.core.errors import DomainError

    client = User.objects.filter(username=INSTITUTION, kind="institution").first()
    if client is None:
        return
    try:
        services.certification_confirm_in_person(actor=client, id_number=person.id_number, name=person.name,
                                                 note="本人持身份证到院，已核对（演示）")
    except DomainError:  # no institution linked to the account, or its agreement not in force: leave it due
        return


def _has_benefits(person) -> bool:
    return CaseConclusion.objects.filter(case__person=person, case__accident__address=ADDRESS).exists()


@transaction.atomic
def seed(stdout=None) -> None:
    maker = User.objects.filter(username="benefits", kind="staff").first()
    checker = User.objects.filter(username="benefits2", kind="staff").first()
    employer = Employer.objects.filter(uscc=EMPLOYER).first()
    people = {i: InsuredPerson.objects.filter(id_number_index=blind_index(i)).first() for i in (LAPSED, DUE, IN_PERSON)}
    if maker is None or checker is None or employer is None or None in people.values():
        if stdout:
            stdout.write("  资格认证：缺少演示待遇审核员或参保人员，跳过")
        return
    today = timezone.localdate()
    past, upcoming = _anniversaries(today)
    missing = []
    for id_number, anniversary in ((LAPSED, past), (DUE, upcoming), (IN_PERSON, upcoming)):
        if _has_benefits(people[id_number]):
            continue
        try:
            with transaction.atomic():
                _benefits(people[id_number], employer, first_month=add_months(anniversary, -12), maker=maker,
                          checker=checker)
        except FieldErrors:  # no demo 待遇参数 for a year that long ago (a clock set early): leave them out
            missing.append(people[id_number].name)
    if missing and stdout:
        stdout.write(f"  资格认证：演示待遇参数不含所需年度，未给{'、'.join(missing)}核定待遇")
    lapsed_key = blind_index(LAPSED)
    if not Certification.objects.filter(beneficiary_id_index=lapsed_key).exists():
        # The cycle as it ran 35 days before the due date (opened), at the two reminders, then today (lapsed).
        for days_before in (35, 30, 7):
            cycle.run_cycle(region=REGION, today=past - timedelta(days=days_before), only={lapsed_key})
    result = cycle.run_cycle(region=REGION, today=today)
    in_person = Certification.objects.filter(beneficiary_id_index=blind_index(IN_PERSON), year=upcoming.year).first()
    if in_person is not None and in_person.status == CertificationStatus.DUE:
        _confirm_at_the_institution(people[IN_PERSON])
    if stdout:
        states = [f"{c.beneficiary_name}（{c.get_status_display()}）" for c in Certification.objects.filter(
            beneficiary_id_index__in=[blind_index(i) for i in (LAPSED, DUE, IN_PERSON)]).order_by("due_on", "pk")]
        stdout.write(f"  资格认证：{'、'.join(states) or '无'}；今日比对：{result.summary()}")
