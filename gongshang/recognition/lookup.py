"""员工信息检测 (seed 002): an ID number and a name fill the injured person, the employer, the
enrolment and the wage from the registry. Scoped: an employer finds only its own insured people;
anyone else "没有该人员" with exactly what to do next."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from gongshang.accounts.choices import Audience
from gongshang.core.money import to_fen
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import validate_id_number
from gongshang.registry import selectors as registry_selectors
from gongshang.registry.choices import EnrolmentStatus, InsuranceType
from gongshang.registry.models import Enrolment, InsuredPerson

NOT_FOUND_MESSAGE = (
    "没有该人员：参保库中没有身份证号为 {id} 的本单位工伤保险参保人员。请先在“增减员申报”中为其办理工伤保险增员，"
    "经办机构确认后再点“员工信息检测”；如该职工已参保，请联系参保地工伤经办人员（12333）核实人员信息。"
    "也可以手动填写工伤人员信息后保存草稿。")
NAME_MISMATCH = "姓名与参保登记不一致：身份证号 {id} 登记的姓名为“{name}”，请核对后重新检测。"


@dataclass
class LookupResult:
    found: bool
    message: str = ""
    fields: dict = field(default_factory=dict)
    person: InsuredPerson | None = None
    employer: object = None


def _id_error(id_number: str) -> str:
    from django.core.exceptions import ValidationError

    try:
        validate_id_number(id_number)
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def average_wage(person, employer, before: date | None) -> Decimal | None:
    """本人工资 (条例 第六十四条): the average contribution wage of the 12 months before the injury."""
    month = (before or timezone.localdate()).replace(day=1)
    wages = registry_selectors.contribution_wages(person_id=person.pk, employer_id=employer.pk if employer else None,
                                                  before_month=month)
    return to_fen(sum(wages) / len(wages)) if wages else None


def _enrolment(person, actor, on: date | None = None):
    """The injury enrolment in force on `on` (the accident date): started by that month and not
    stopped before it; without a date (or none in force) the latest one."""
    qs = Enrolment.objects.select_related("employer").filter(person=person, insurance_type=InsuranceType.INJURY)
    if actor.kind == Audience.EMPLOYER:
        qs = qs.filter(employer_id=actor.employer_id)
    if on is not None:
        month = on.replace(day=1)
        in_force = qs.filter(start_month__lte=month).filter(Q(stop_month__isnull=True) | Q(stop_month__gt=month))
        found = in_force.order_by("-start_month", "-pk").first()
        if found is not None:
            return found
    return qs.order_by("-start_month", "-pk").first()


def employee_check(*, actor, id_number: str, name: str, accident_on: date | None = None) -> LookupResult:
    id_number = (id_number or "").strip().upper()
    error = _id_error(id_number)
    if error:
        return LookupResult(found=False, message=error, fields={"field": "injured_id_number"})
    person = InsuredPerson.objects.filter(id_number_index=blind_index(id_number)).first()
    enrolment = _enrolment(person, actor, accident_on) if person is not None else None
    if person is None or enrolment is None or (actor.kind == Audience.INDIVIDUAL and actor.person_id != person.pk):
        return LookupResult(found=False, message=NOT_FOUND_MESSAGE.format(id=id_number))
    if name and name.strip() != person.name:
        return LookupResult(found=False, message=NAME_MISMATCH.format(id=id_number, name=person.name))
    employer = enrolment.employer
    wage = average_wage(person, employer, accident_on) or enrolment.declared_wage
    status = enrolment.get_status_display()
    if enrolment.status != EnrolmentStatus.ACTIVE:
        status = f"{status}（{enrolment.stop_month:%Y年%m月}停保）" if enrolment.stop_month else status
    fields = {"injured_name": person.name, "injured_id_number": id_number, "injured_mobile": person.mobile or "",
              "employer_name": employer.name, "employer_uscc": employer.uscc, "employer_address": employer.address,
              "employer_contact": employer.contact_name, "employer_phone": employer.contact_mobile or "",
              "monthly_wage": str(wage) if wage is not None else "",
              "enrolment_note": f"工伤保险{status}，{enrolment.start_month:%Y年%m月}起"}
    return LookupResult(found=True, message="已从参保库带出人员、单位、参保和缴费工资信息，请核对。", fields=fields,
                        person=person, employer=employer)
