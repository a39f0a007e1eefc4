"""Demo data of the review desk and the monthly statements (青岛 370200): three agreement hospitals
of the same level, reviewed inpatient stays of the last two months (one hospital's cost per stay for
腕和手骨折 S62 twice its peers': the dashboard's outlier), two flagged bills waiting in the queue,
and last month's statement of one hospital computed by `auditor`, awaiting approval by `auditor2`.
Stays are written directly (as the settle service would have left them); idempotent."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.models import User
from gongshang.cases.models import InjuryCase

from ..models import AgreementInstitution, BillLine, Encounter, InstitutionStatement, LineFlag
from ..services.statements import statement_compute

REGION = "370200"
MARK = "骨科（演示）"  # the department of every demo stay: what makes the seed idempotent
HOSPITALS = [
    # code, name, county, cost per stay (yuan), days per stay
    ("H37020200001", "青岛大学附属医院（演示）", "370202", Decimal("12360.00"), 12),
    ("H37020300002", "青岛市市立医院（演示）", "370203", Decimal("6120.00"), 7),
    ("H37021200003", "青岛市中心医院（演示）", "370212", Decimal("5880.00"), 6),
]
STAYS_PER_HOSPITAL = 6


def _hospital(code, name, county) -> AgreementInstitution:
    found = AgreementInstitution.objects.filter(region=REGION, name=name).first()
    if found is not None:
        return found
    inst, _ = AgreementInstitution.objects.get_or_create(code=code, defaults={
        "region": REGION, "county": county, "name": name, "kind": "medical", "level": "三级甲等",
        "agreement_no": f"GSXY-2026-{code[-4:]}", "agreement_from": date(2026, 1, 1), "agreement_to": date(2028, 12, 31),
        "contact_name": "医保办", "bank_name": "青岛银行（演示）", "bank_account": f"62220202{code[-8:]}0001"})
    return inst


def _month_start(day: date, back: int) -> date:
    month = day.year * 12 + day.month - 1 - back
    return date(month // 12, month % 12 + 1, 1)


def _stay(inst, case, *, cost, days, discharged, status, flagged=False) -> Encounter:
    out = timezone.make_aware(datetime(discharged.year, discharged.month, discharged.day, 10))
    admitted = out - timedelta(days=days)
    encounter = Encounter.objects.create(
        institution=inst, case=case, region=REGION, treatment_region=REGION, kind="inpatient", admitted_at=admitted,
        discharged_at=out, diagnoses=[{"code": "S62.001", "name": "腕舟骨骨折"}], main_diagnosis_code="S62.001",
        department=MARK, status=status, total=cost, fund_amount=cost - (Decimal("120.00") if flagged else 0),
        self_amount=Decimal("120.00") if flagged else Decimal(0), flagged=flagged, settled_at=out)
    lines = [("250101001", "血常规", "service", Decimal("30.00")), ("210300001", "X线摄影", "service", Decimal("90.00")),
             ("110900001", "床位费", "bed", Decimal("60.00") * days)]
    for no, (code, name, category, amount) in enumerate(lines, start=1):
        BillLine.objects.create(encounter=encounter, line_no=no, catalogue_code=code, name=name, category=category,
                                quantity=1, unit_price=amount, amount=amount, occurred_at=admitted + timedelta(hours=2),
                                fund_amount=amount, self_amount=0)
    rest = cost - sum(a for *_x, a in lines)
    line = BillLine.objects.create(encounter=encounter, line_no=len(lines) + 1, catalogue_code="330200001",
                                   name="骨折切开复位内固定术", category="service", quantity=1, unit_price=rest,
                                   amount=rest, occurred_at=admitted + timedelta(days=1),
                                   fund_amount=rest - (Decimal("120.00") if flagged else 0),
                                   self_amount=Decimal("120.00") if flagged else 0)
    if flagged:
        LineFlag.objects.create(encounter=encounter, line=line, rule="price_cap", amount=Decimal("120.00"),
                                reason="单价超过本统筹区最高限价，超出部分 120.00 元不予支付（工伤保险条例第三十条）")
    return encounter


@transaction.atomic
def seed(stdout=None) -> None:
    cases = list(InjuryCase.objects.filter(region=REGION).order_by("pk")[:3])
    auditor = User.objects.filter(username="auditor").first()
    if not cases or auditor is None:
        if stdout:
            stdout.write("  工伤医疗审核：缺少演示案件或稽核员账户，未写入")
        return
    hospitals = [(_hospital(code, name, county), cost, days) for code, name, county, cost, days in HOSPITALS]
    today = timezone.localdate()
    last_month, two_back = _month_start(today, 1), _month_start(today, 2)
    if not Encounter.objects.filter(region=REGION, department=MARK).exists():
        for h, (inst, cost, days) in enumerate(hospitals):
            for i in range(STAYS_PER_HOSPITAL):
                month = last_month if i % 2 else two_back
                _stay(inst, cases[(h + i) % len(cases)], cost=cost + i * 10, days=days,
                      discharged=month + timedelta(days=3 + i * 3), status="approved")
        first = hospitals[0][0]
        for i in range(2):
            _stay(first, cases[i % len(cases)], cost=Decimal("8800.00"), days=9,
                  discharged=today - timedelta(days=3 + i), status="settled", flagged=True)
    peer = hospitals[1][0]
    statement = InstitutionStatement.objects.filter(institution=peer, period=last_month).first()
    if statement is None:
        statement = statement_compute(actor=auditor, institution=peer, period=last_month)
    if stdout:
        stdout.write(f"  工伤医疗审核：{len(hospitals)} 家协议医院，审核队列 2 笔有提示的费用；"
                     f"{peer.name} {last_month:%Y-%m} 结算单（实际拨付 {statement.payable} 元）待 auditor2 复核")
