"""Demo 异地就医备案 and 辅助器具 for 青岛市 (370200), after the accounts, registry, recognition and
appraisal demos:

- 刘洋 (370203199001012316, recognised in the appraisal demo) registered by 陈稽核 to be treated in
  济南市 (转诊转院) from today; 张伟 is left without one, so the demo journey registers on the phone;
- the province's device catalogue row 小腿假肢 (cap, minimum service life) when missing, the demo
  assistive-device supplier (协议有效), and 杨帆's 配置辅助器具 (the appraisal demo's agreed
  conclusion "左小腿假肢一具") chosen at that supplier.

Idempotent: each step is skipped when its row exists."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.models import User
from gongshang.cases.models import InjuryCase
from gongshang.core.pii.crypto import blind_index

from ..models import AgreementInstitution, CatalogueItem, Referral, RemoteRegistration
from ..services import referrals as referral_services
from ..services import remote as remote_services

REGION = "370200"
REMOTE_WORKER_ID = "370203199001012316"   # 刘洋
DEVICE_WORKER_ID = "372925199811204414"   # 杨帆
SUPPLIER_CODE = "P370202DEMO01"
DEVICE_CODE = "FJ-XT-0101"


def _case_of(id_number: str):
    return (InjuryCase.objects.filter(region=REGION, person__id_number_index=blind_index(id_number))
            .order_by("pk").first())


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(f"  异地就医与辅助器具：{text}")


def seed_registration(stdout=None):
    inspector = User.objects.filter(username="auditor").first()
    case = _case_of(REMOTE_WORKER_ID)
    if inspector is None or case is None or not remote_services.is_recognised(case):
        _say(stdout, "缺少稽核员账户或刘洋已认定的案件，跳过备案")
        return None
    existing = RemoteRegistration.objects.filter(case=case).first()
    if existing is not None:
        return existing
    row = remote_services.remote_registration_create(
        actor=inspector, case=case, data={"reason": "referral", "region": "370100",
                                          "start_date": timezone.localdate()})
    _say(stdout, f"刘洋 {case.number} 备案至济南市，有效期至 {row.valid_until}")
    return row


def _catalogue_item() -> CatalogueItem:
    item = CatalogueItem.objects.filter(kind="device", code=DEVICE_CODE).first()
    return item or CatalogueItem.objects.create(
        region="", kind="device", code=DEVICE_CODE, name="小腿假肢", specification="骨骼式，含接受腔", unit="具",
        price_cap=Decimal("12000.00"), service_life_months=36, valid_from=date(2025, 1, 1))


def _supplier() -> AgreementInstitution:
    found = AgreementInstitution.objects.filter(code=SUPPLIER_CODE).first()
    return found or AgreementInstitution.objects.create(
        region=REGION, county="370202", code=SUPPLIER_CODE, name="青岛市康复辅具配置中心（演示）", kind="device",
        level="", agreement_no="GSXY-FJ-DEMO-01", agreement_from=date(2025, 1, 1), agreement_to=date(2028, 12, 31),
        address="青岛市市南区宁夏路 10 号", contact_name="辅具中心服务台")


def seed_referral(stdout=None):
    item, supplier = _catalogue_item(), _supplier()
    case = _case_of(DEVICE_WORKER_ID)
    inspector = User.objects.filter(username="auditor").first()
    if case is None or inspector is None:
        _say(stdout, "缺少杨帆的案件（劳动能力鉴定演示），跳过辅助器具")
        return None
    referral = Referral.objects.filter(case=case, kind="device").order_by("pk").first()
    if referral is None:
        from gongshang.appraisal.models import AppraisalConclusion

        conclusion = (AppraisalConclusion.objects.filter(case=case, application__kind="device", confirmed=True)
                      .select_related("application", "case").first())
        if conclusion is None:
            _say(stdout, "杨帆没有同意配置辅助器具的鉴定结论，跳过")
            return None
        referral = referral_services.referral_from_conclusion(conclusion)
    if not referral.item_code:
        # the appraisal demo may have concluded before this catalogue row existed: name it now
        Referral.objects.filter(pk=referral.pk).update(item_code=item.code, item_name=item.name)
        referral.refresh_from_db()
    if referral.status == "confirmed":
        referral = referral_services.referral_choose(actor=inspector, referral=referral,
                                                     institution_code=supplier.code)
        _say(stdout, f"杨帆 {case.number} 小腿假肢，选定 {supplier.name}")
    return referral


@transaction.atomic
def seed(stdout=None) -> None:
    seed_registration(stdout)
    seed_referral(stdout)
