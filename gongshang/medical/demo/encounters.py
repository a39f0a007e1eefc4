"""Demo 就诊与费用 for 青岛市 (370200): 张伟 (370202198803151237), whose accident the recognition demo
decided as 工伤, was treated at 青岛大学附属医院（演示） (`inst-demo-qdfy`):

- one stay admitted the day after the accident (before the decision: the hospital registered it and
  settled at discharge, 四方联动), discharged a week later and settled with flagged lines (an implant
  billed above its price cap, one item outside the catalogue, meals) for the 稽核员 to review;
- one open inpatient stay admitted yesterday (its lines can be added and settled through the API).

Relies on the accounts, recognition and 协议机构/目录 demos having run (the institution and its
catalogues); says so and does nothing without them. Idempotent: nothing is added once the case has
an encounter at the demo institution.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongshang.accounts.models import User
from gongshang.core.pii.crypto import blind_index
from gongshang.recognition.models import RecognitionApplication

from ..models import AgreementInstitution, CatalogueItem, Encounter
from ..services import encounters as services

CLIENT = "inst-demo-qdfy"
ZHANG_WEI_ID = "370202198803151237"
BED, DRUG, IMPLANT, GAUZE = "001201000010000", "XJ01DDT0101010100001", "C0301010100100000001", "C0201010100100000004"
NOT_LISTED = "ZZ0000000000000001"
MEAL = "GSBZ-MEAL-01"


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _line(no, code, name, category, quantity, price, occurred_at, **extra) -> dict:
    quantity, price = Decimal(quantity), Decimal(price)
    return {"line_no": no, "catalogue_code": code, "name": name, "category": category, "quantity": str(quantity),
            "unit_price": str(price), "amount": str((quantity * price).quantize(Decimal("0.01"))),
            "occurred_at": occurred_at, **extra}


def _settled_lines(admitted_on) -> list[dict]:
    lines = [_line(i + 1, BED, "普通病房床位费（三人间）", "bed", "1", "40.00", _at(admitted_on + timedelta(days=i), 12))
             for i in range(7)]
    lines += [_line(8 + i, MEAL, "住院伙食", "meal", "1", "30.00", _at(admitted_on + timedelta(days=i), 12))
              for i in range(7)]
    lines += [
        _line(15, DRUG, "头孢曲松钠注射液 1g", "drug", "2", "18.50", _at(admitted_on, 11), order_no="YZ0001",
              ordered_code=DRUG),
        _line(16, IMPLANT, "接骨板（锁定型）钛合金 6孔", "material", "1", "3800.00", _at(admitted_on + timedelta(days=1), 9),
              order_no="YZ0002", ordered_code=IMPLANT),
        _line(17, GAUZE, "一次性使用输液器", "material", "4", "2.50", _at(admitted_on, 11)),
        _line(18, NOT_LISTED, "进口功能性敷料（目录外）", "material", "3", "126.00", _at(admitted_on + timedelta(days=2), 10)),
    ]
    return lines


def _prerequisites():
    client = User.objects.filter(username=CLIENT).first()
    institution = AgreementInstitution.objects.filter(api_clients=client).first() if client else None
    index = blind_index(ZHANG_WEI_ID)
    decided = (RecognitionApplication.objects
               .filter(Q(case__injured_id_number_index=index) | Q(case__person__id_number_index=index),
                       region="370200", decision_result="recognized")
               .select_related("case").order_by("-decided_on", "-pk").first())
    return client, institution, decided


@transaction.atomic
def seed(stdout=None) -> None:
    client, institution, decided = _prerequisites()
    if client is None or institution is None or decided is None:
        if stdout:
            stdout.write("  就诊与费用：缺少演示定点机构、协议机构或张伟的已认定工伤，跳过（请先写入账户、工伤认定、协议机构演示数据）")
        return
    case = decided.case
    if Encounter.objects.filter(case=case, institution=institution).exists():
        if stdout:
            stdout.write("  就诊与费用：演示就诊已存在，跳过")
        return
    if not CatalogueItem.objects.filter(code=BED).exists():
        if stdout:
            stdout.write("  就诊与费用：工伤医疗目录尚未导入，跳过（请先写入协议机构与目录演示数据）")
        return
    today = timezone.localdate()
    accident_on = timezone.localdate(case.accident.occurred_at) if getattr(case, "accident", None) else (
        today - timedelta(days=20))
    admitted_on = min(accident_on + timedelta(days=1), today - timedelta(days=9))
    diagnoses = [{"code": "S92.300", "name": "左足第二跖骨骨折"}]
    common = {"institution": institution, "case": case, "region": case.region, "treatment_region": institution.region,
              "diagnoses": diagnoses, "main_diagnosis_code": "S92.300", "department": "足踝外科"}
    # Registered before the decision (the worker was admitted the day after the accident): written
    # directly, as the hospital's system did then; the lines and the settlement go through the services.
    settled = Encounter.objects.create(kind="inpatient", admitted_at=_at(admitted_on, 10), **common)
    services.encounter_lines_replace(actor=client, encounter=settled, lines=_settled_lines(admitted_on))
    services.encounter_settle(actor=client, encounter=settled, discharged_at=_at(admitted_on + timedelta(days=7), 10))
    yesterday = today - timedelta(days=1)
    open_stay = Encounter.objects.create(kind="inpatient", admitted_at=_at(yesterday, 9),
                                         **{**common, "diagnoses": [{"code": "T93.2", "name": "下肢其他骨折后遗症"}],
                                            "main_diagnosis_code": "T93.2"})
    services.encounter_lines_replace(actor=client, encounter=open_stay, lines=[
        _line(1, BED, "普通病房床位费（三人间）", "bed", "1", "40.00", _at(yesterday, 12)),
        _line(2, DRUG, "头孢曲松钠注射液 1g", "drug", "1", "18.50", _at(yesterday, 15), order_no="YZ1001",
              ordered_code=DRUG)])
    settled.refresh_from_db()
    if stdout:
        stdout.write(f"  就诊与费用：{case.number} 在{institution.name}已出院结算 1 次（合计 {settled.total} 元，"
                     f"基金支付 {settled.fund_amount} 元，有审核提示），在院 1 次（就诊号 {open_stay.pk}）")
