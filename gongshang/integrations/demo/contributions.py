"""Demo: last month's contribution file from the fake 税务局 (fakes/tax.py) for the demo employers,
applied through the real adapter, so 缴费比对差异 has one of each kind and 杨帆's wage base changes.

What the file says (demo values): 张伟 and 李娜 as stored (duplicates), 杨帆 with a raise (updated),
陈静 declared but unpaid (her owed month: 已参保但未缴费), 刘洋 missing (已参保但未缴费), 王磊 whom the
registry does not know (已缴费但未参保登记), an employer code not registered here (缴费单位未在本统筹区登记),
and 张伟's 养老保险 row (skipped: not this platform's). The 缴费单位未在本统筹区登记 one is checked by the
demo 数据交换管理员 with a note. Idempotent: the same file (same checksum) is not applied twice.
"""

import hashlib
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.files.storage import open_stored
from gongshang.core.models import StoredFile
from gongshang.core.pii.crypto import blind_index
from gongshang.registry.models import ContributionRecord, Employer, InsuredPerson

from ..adapters import adapter_for
from ..choices import BatchKind, BatchStatus, ExchangeEventType, MismatchKind, MismatchStatus, Partner
from ..fakes.tax import Payment, monthly_file, uscc_for
from ..models import ContributionMismatch, ExchangeBatch
from ..services.contributions import mismatch_resolve

REGION = "370200"
HAICHUAN, GANGWAN = "91370200MA3C5UWK4C", "91370211MA3D8QXL2Y"
AS_STORED = (("370202198803151237", HAICHUAN), ("370211199207084569", GANGWAN))
RAISED = ("372925199811204414", HAICHUAN, Decimal("4800.00"))  # 杨帆
UNPAID = ("370212199503153529", HAICHUAN)  # 陈静: her owed month in the registry demo
UNKNOWN_PERSON = ("370202199506071235", "王磊", Decimal("4600.00"))
UNKNOWN_EMPLOYER = uscc_for(770001, region=REGION)
ACTOR_LABEL = "系统（演示数据：税务局缴费明细）"


def _previous_month(today: date) -> date:
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def _stored(id_number: str, code: str, month: date):
    """(name, wage base) of the registry demo's record, or None when the registry demo is not there."""
    record = (ContributionRecord.objects.filter(person__id_number_index=blind_index(id_number), employer__uscc=code,
                                                insurance_type="injury", month=month)
              .select_related("person").first())
    return (record.person.name, record.wage_base) if record else None


def _payments(month: date) -> list[Payment] | None:
    rows = []
    for id_number, code in AS_STORED:
        found = _stored(id_number, code, month)
        if found is None:
            return None
        rows.append(Payment(code, id_number, found[0], month, found[1]))
    person = InsuredPerson.objects.filter(id_number_index=blind_index(RAISED[0])).first()
    unpaid = _stored(*UNPAID, month)
    if person is None or unpaid is None:
        return None
    rows.append(Payment(RAISED[1], RAISED[0], person.name, month, RAISED[2]))
    rows.append(Payment(UNPAID[1], UNPAID[0], unpaid[0], month, unpaid[1], paid=False))
    rows.append(Payment(HAICHUAN, UNKNOWN_PERSON[0], UNKNOWN_PERSON[1], month, UNKNOWN_PERSON[2]))
    rows.append(Payment(UNKNOWN_EMPLOYER, UNKNOWN_PERSON[0], UNKNOWN_PERSON[1], month, UNKNOWN_PERSON[2]))
    rows.append(Payment(HAICHUAN, AS_STORED[0][0], rows[0].name, month, rows[0].wage_base, insurance_type="pension"))
    return rows


def _apply(content: bytes, checksum: str, name: str) -> ExchangeBatch:
    """The batch as the batch service would leave it: stored, processed by the tax adapter, done."""
    path = default_storage.save(f"exchange/demo/{checksum[:12]}-{name}", ContentFile(content))
    file = StoredFile.objects.create(storage_path=path, original_name=name, content_type="text/csv", extension="csv",
                                     size=len(content), sha256=checksum)
    batch = ExchangeBatch.objects.create(region=REGION, partner=Partner.TAX, kind=BatchKind.CONTRIBUTIONS,
                                         format_version="1.0", checksum=checksum, file=file, original_name=name,
                                         status=BatchStatus.PROCESSING, started_at=timezone.now())
    with open_stored(file) as stream:
        outcome = adapter_for(Partner.TAX, BatchKind.CONTRIBUTIONS).process(batch, stream)
    batch.status, batch.finished_at = BatchStatus.DONE, timezone.now()
    batch.total, batch.accepted, batch.duplicate = outcome.total, outcome.accepted, outcome.duplicate
    batch.rejected, batch.summary = outcome.rejected, outcome.summary
    batch.errors = [{"row": e.row, "message": e.message} for e in outcome.errors]
    batch.save()
    record_event(actor=None, actor_label=ACTOR_LABEL, event_type=ExchangeEventType.BATCH_PROCESSED, target=batch,
                 region=REGION, details={"total": batch.total, "accepted": batch.accepted,
                                         "duplicate": batch.duplicate, "rejected": batch.rejected})
    return batch


def _check_unknown_employer(month: date) -> None:
    """The demo 数据交换管理员 has checked the unknown employer code with the tax bureau."""
    exchange = get_user_model().objects.filter(username="exchange").first()
    found = ContributionMismatch.objects.filter(region=REGION, kind=MismatchKind.EMPLOYER_UNKNOWN, month=month,
                                                employer_code=UNKNOWN_EMPLOYER, status=MismatchStatus.OPEN).first()
    if exchange is not None and found is not None:
        mismatch_resolve(actor=exchange, mismatch=found, note="经与税务局核对，该单位参保登记在其他统筹区（演示），已告知税务局更正征收地。")


@transaction.atomic
def seed(stdout=None) -> None:
    if not Employer.objects.filter(uscc=HAICHUAN, region=REGION).exists():
        return
    month = _previous_month(timezone.localdate())
    payments = _payments(month)
    if payments is None:
        return
    content = monthly_file(payments, month=month)
    checksum = hashlib.sha256(content).hexdigest()
    batch = ExchangeBatch.objects.filter(region=REGION, partner=Partner.TAX, kind=BatchKind.CONTRIBUTIONS,
                                         checksum=checksum).first()
    if batch is None:
        batch = _apply(content, checksum, f"税务局缴费明细-{month:%Y%m}.csv")
    _check_unknown_employer(month)
    if stdout:
        stdout.write(f"  数据交换：税务局 {month:%Y-%m} 缴费明细（批次 #{batch.pk}），缴费比对差异 "
                     f"{batch.summary.get('mismatches', 0)} 条")
