"""Demo registry data for 青岛市 (370200): two employers and their insured people with 14 months
of contribution history. Plausible values, named as demo values; idempotent."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import birth_date_from_id, gender_from_id
from gongshang.registry.choices import EnrolmentStatus, InsuranceType
from gongshang.registry.models import ContributionRecord, Employer, Enrolment, InsuredPerson

EMPLOYERS = [
    {"uscc": "91370200MA3C5UWK4C", "name": "青岛海川机械制造有限公司", "region": "370200",
     "address": "山东省青岛市市南区香港中路 100 号", "legal_rep_name": "王海川",
     "legal_rep_id_number": "370202197505063218", "reserved_mobile": "13800000001",
     "employer_type": "enterprise", "industry": "C", "rate_class": 4, "contact_name": "周敏",
     "contact_mobile": "13800000011"},
    {"uscc": "91370211MA3D8QXL2Y", "name": "青岛黄岛港湾物流有限公司", "region": "370200",
     "address": "山东省青岛市黄岛区长江中路 8 号", "legal_rep_name": "赵港湾",
     "legal_rep_id_number": "370211198008124527", "reserved_mobile": "13800000002",
     "employer_type": "enterprise", "industry": "G", "rate_class": 3, "contact_name": "孙悦",
     "contact_mobile": "13800000012"},
]

# (ID number, name, mobile, employer USCC, enrolled since, monthly wage base)
PERSONS = [
    ("370202198803151237", "张伟", "13900000001", "91370200MA3C5UWK4C", date(2019, 3, 1), Decimal("6800.00")),
    ("370211199207084569", "李娜", "13900000002", "91370211MA3D8QXL2Y", date(2020, 7, 1), Decimal("5200.00")),
    # More of 海川机械's roster (demo values; check digits valid).
    ("370203199001012316", "刘洋", "13900000003", "91370200MA3C5UWK4C", date(2021, 5, 1), Decimal("5600.00")),
    ("370212199503153529", "陈静", "13900000004", "91370200MA3C5UWK4C", date(2022, 9, 1), Decimal("4900.00")),
    ("372925199811204414", "杨帆", "13900000005", "91370200MA3C5UWK4C", date(2024, 3, 1), Decimal("4300.00")),
]
# 杨帆 came from the countryside: a 农民工 on the injury roster (参保身份).
IDENTITIES = {"372925199811204414": "migrant_worker"}
# One owed month on 陈静 so the roster's 缴费状态 filter has something to show.
OWED = {"370212199503153529"}

HISTORY_MONTHS = 14


def _months_back(today: date, count: int) -> list[date]:
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(date(year, month, 1))
    return sorted(months)


@transaction.atomic
def seed(stdout=None) -> None:
    employers = {}
    for data in EMPLOYERS:
        employer = Employer.objects.filter(uscc=data["uscc"]).first()
        if employer is None:
            employer = Employer.objects.create(**data)
        elif not employer.industry:  # databases seeded before these fields existed
            for field in ("employer_type", "industry", "rate_class", "contact_name", "contact_mobile"):
                setattr(employer, field, data[field])
            employer.save()
        employers[data["uscc"]] = employer
    today = timezone.localdate()
    for id_number, name, mobile, uscc, since, base in PERSONS:
        person = InsuredPerson.objects.filter(id_number_index=blind_index(id_number)).first()
        if person is None:
            person = InsuredPerson.objects.create(
                id_number=id_number, name=name, mobile=mobile, gender=gender_from_id(id_number),
                birth_date=birth_date_from_id(id_number), region="370200")
        employer = employers[uscc]
        for insurance_type in InsuranceType.values:
            Enrolment.objects.get_or_create(
                person=person, employer=employer, insurance_type=insurance_type,
                defaults={"start_month": since, "status": EnrolmentStatus.ACTIVE,
                          "identity": IDENTITIES.get(id_number, "employee"), "declared_wage": base})
        for index, month in enumerate(_months_back(today, HISTORY_MONTHS)):
            # A raise in January: the 12-month average is not just one number (demo values).
            wage = base + (Decimal("300.00") if month.month <= today.month and month.year == today.year else 0)
            ContributionRecord.objects.get_or_create(
                person=person, employer=employer, insurance_type=InsuranceType.INJURY, month=month,
                defaults={"wage_base": wage, "paid": not (id_number in OWED and index == HISTORY_MONTHS - 1)})
    if stdout:
        stdout.write(f"  参保登记：{len(EMPLOYERS)} 家单位，{len(PERSONS)} 名参保人员，各 {HISTORY_MONTHS} 个月缴费记录")
