"""The province's answers, one entry at a time (the adapters read the files: adapters/province.py),
and the take-over of a worker transferred in.

- 省级再次鉴定结论: recorded on the appraisal through the appraisal app's provincial import
  (`provincial_conclusion_receive`: final, supersedes, recomputes benefits); the package → answered.
- 转入 (a worker moving INTO this 统筹区): a TransferIn row, received, for a 待遇审核员 to take over.
- 转出确认 (the target took over a package sent OUT): the worker's ACTIVE monthly items listed in the
  package stop here the month before the target's first month; the package → answered.

Each entry is idempotent by its reference: the same entry again is a duplicate and changes nothing.
An entry that cannot be applied raises EntryError (a Chinese message naming the field); the adapter
rolls that entry back and reports it as a row error."""

import base64
import binascii
import json
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import get_for
from gongshang.appraisal.models import AppraisalApplication, AppraisalConclusion
from gongshang.appraisal.services import province as appraisal_province
from gongshang.benefits.choices import Payer, PaymentStatus
from gongshang.benefits.models import Payment
from gongshang.benefits.rules.leave import add_months
from gongshang.benefits.services.transfers import (
    MONTHLY_TYPES,
    ContinuedItem,
    entitlements_continue,
    entitlements_transfer_out,
)
from gongshang.cases.choices import CaseEventType, CaseSource
from gongshang.cases.models import InjuryCase
from gongshang.cases.services import accident_create, case_create, case_event_append, case_open
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.crypto import blind_index
from gongshang.core.pii.masking import mask_id_number
from gongshang.core.regions import full_name, pooling_regions
from gongshang.core.validators import ascii_digits, is_valid_id_number
from gongshang.core.workflow import transition
from gongshang.registry.models import InsuredPerson

from ..choices import BatchKind, ExchangeEventType, PackagePurpose, PackageStatus, Partner
from ..errors import ExchangeErrorCode
from ..models import CasePackage, TransferIn
from .batches import batch_record_outbound

ACCEPTED, DUPLICATE = "accepted", "duplicate"
MAX_DOCUMENT_BYTES = appraisal_province.MAX_DOCUMENT_BYTES
MAX_MONTHLY = Decimal("100000000")  # the amount column holds 12 digits with 2 decimals
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
PLATFORM = "系统（省级交换）"
PACKAGE_ANSWERED = "integrations.package_answered"
RECEIPT_FORMAT = "province-transfer-receipt"
# The appraisal import's field names → the names of the province's file (what its staff see).
CONCLUSION_FIELDS = {"grade": "grade（伤残等级）", "self_care": "nursing_level（生活自理障碍程度）",
                     "number": "number（结论书文号）", "concluded_on": "concluded_on（结论日期）",
                     "file": "document（结论书）"}


class EntryError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def text(entry: dict, key: str, limit: int = 100) -> str:
    value = entry.get(key)
    return str(value).strip()[:limit] if isinstance(value, str | int) and not isinstance(value, bool) else ""


def month_of(value, field: str) -> date:
    if not isinstance(value, str) or not MONTH.match(value.strip()):
        raise EntryError(f"{field} 应为年月，如 2026-12")
    year, month = value.strip().split("-")
    return date(int(year), int(month), 1)


def _answer(package: CasePackage, answer: dict) -> None:
    transition(None, package, "answer", event_type=PACKAGE_ANSWERED, actor_label=PLATFORM, region=package.region,
               changes={"answer": answer, "answered_at": timezone.now()},
               details={"reference": package.reference, "answer": answer.get("type", "")})


def _package(batch, entry: dict, purpose: str) -> CasePackage:
    reference = text(entry, "package_reference", 40)
    found = (CasePackage.objects.select_for_update().select_related("case")
             .filter(reference=reference, region=batch.region, purpose=purpose).first()) if reference else None
    if found is None:
        label = PackagePurpose(purpose).label
        raise EntryError(f"package_reference（报送编号）“{reference}”不是本统筹区报送的{label}案卷包，请与省级系统核对编号")
    return found


def _answered_before(package: CasePackage, key: str, value: str) -> bool:
    """True when the package was answered by this same entry (a duplicate); EntryError when by another."""
    if package.status == PackageStatus.ANSWERED:
        if (package.answer or {}).get(key) == value:
            return True
        raise EntryError(f"案卷包 {package.reference} 已收到省级反馈（{(package.answer or {}).get(key)}），"
                         f"与本条（{value}）不同，请与省级系统核对")
    if package.status != PackageStatus.SENT:
        raise EntryError(f"案卷包 {package.reference} 尚未报送省级系统，不能登记其反馈")
    return False


# --- 省级再次鉴定结论 ------------------------------------------------------------------------------------

def _document(entry: dict) -> SimpleUploadedFile:
    document = entry.get("document")
    if not isinstance(document, dict) or not document.get("content_base64"):
        raise EntryError("document（结论书）未提供：请附上省级结论书 PDF 的 base64 内容（document.content_base64）")
    try:
        content = base64.b64decode(str(document["content_base64"]), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EntryError("document.content_base64 不是有效的 base64 内容，请重新导出结论书") from exc
    if len(content) > MAX_DOCUMENT_BYTES:
        raise EntryError("document（结论书）超过 20 MB，请压缩后重新报送")
    name = text(document, "name", 120) or "省级劳动能力鉴定结论书.pdf"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _conclusion_answer(conclusion, batch) -> dict:
    return {"type": "conclusion", "number": conclusion.number, "grade": conclusion.grade,
            "nursing_level": conclusion.self_care, "concluded_on": conclusion.concluded_on.isoformat(),
            "conclusion": conclusion.pk, "batch": batch.pk}


def _imported_by_staff(package, application, number: str, batch) -> str | None:
    """The 鉴定管理员 imported the provincial conclusion by hand before the file came: the same one
    answers the package (DUPLICATE: nothing recorded twice); another one is refused naming both."""
    existing = (AppraisalConclusion.objects.filter(application=application, provincial=True)
                .order_by("-pk").first())
    if existing is None:
        return None
    if existing.number != number:
        raise EntryError(f"该再次鉴定申请已登记省级结论（文号 {existing.number}），与本条 number（结论书文号）"
                         f"{number or '未填写'} 不同，请与省级系统核对")
    _answer(package, _conclusion_answer(existing, batch))
    return DUPLICATE


def conclusion_apply(batch, entry: dict) -> str:
    """One provincial conclusion of a 再次鉴定 package sent from this 统筹区."""
    package = _package(batch, entry, PackagePurpose.REAPPRAISAL)
    case_number = text(entry, "case_number", 32)
    if case_number and case_number != package.case.number:
        raise EntryError(f"case_number（案件编号）{case_number} 与案卷包 {package.reference} 的案件 "
                         f"{package.case.number} 不一致，请核对")
    number = text(entry, "number", 40)
    if _answered_before(package, "number", number):
        return DUPLICATE
    application_id = ((package.manifest or {}).get("application") or {}).get("id")
    application = AppraisalApplication.objects.filter(pk=application_id, case=package.case).first()
    if application is None:
        raise EntryError(f"案卷包 {package.reference} 对应的再次鉴定申请已不存在，请联系鉴定管理员核对")
    imported = _imported_by_staff(package, application, number, batch)
    if imported is not None:
        return imported
    data = {"grade": entry.get("grade"), "self_care": text(entry, "nursing_level", 16), "number": number,
            "concluded_on": entry.get("concluded_on"), "standard_items": entry.get("standard_items") or []}
    receiver = batch.created_by or package.created_by
    try:
        conclusion = appraisal_province.provincial_conclusion_receive(actor=receiver, application=application,
                                                                      data=data, upload=_document(entry))
    except FieldErrors as exc:
        raise EntryError("；".join(f"{CONCLUSION_FIELDS.get(k, k)}：{v}" for k, v in exc.errors.items())) from exc
    except DomainError as exc:
        raise EntryError(exc.message) from exc
    _answer(package, _conclusion_answer(conclusion, batch))
    return ACCEPTED


# --- 转入 -------------------------------------------------------------------------------------------------

def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip()) if isinstance(value, str | int) and not isinstance(value, bool) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or not 0 < amount < MAX_MONTHLY or amount.as_tuple().exponent < -2:
        raise EntryError(f"{field} 应为大于 0、小于 1 亿的金额（元，最多两位小数，用字符串如 \"3600.00\"）")
    return amount


def _items(entry: dict) -> list[dict]:
    rows = entry.get("entitlements")
    if not isinstance(rows, list) or not rows:
        raise EntryError("entitlements（转移的待遇）为空：转入须至少有一项按月待遇")
    items = []
    for i, row in enumerate(rows, start=1):
        where = f"entitlements 第 {i} 项"
        row = row if isinstance(row, dict) else {}
        kind = text(row, "benefit_type", 40)
        if kind not in MONTHLY_TYPES:
            raise EntryError(f"{where} 的 benefit_type 应为按月待遇：{'、'.join(sorted(MONTHLY_TYPES))}")
        payer = text(row, "payer", 8) or Payer.FUND
        if payer not in Payer.values:
            raise EntryError(f"{where} 的 payer 应为 fund（工伤保险基金）或 employer（用人单位）")
        if text(row, "beneficiary_relation", 30) not in ("", "本人"):
            raise EntryError(f"{where} 由他人领取（{text(row, 'beneficiary_relation', 30)}）：供养亲属的待遇暂不支持文件转入，"
                             "请与转出统筹区线下办理")
        items.append({"benefit_type": kind, "amount": f"{_amount(row.get('amount'), where + ' 的 amount'):.2f}",
                      "payer": payer, "basis": text(row, "basis", 300),
                      "start_month": text(row, "start_month", 7)})
    return items


def _local_case(region: str, id_number: str, person) -> InjuryCase | None:
    """The one case of this 统筹区 for this worker, when there is exactly one."""
    rows = InjuryCase.objects.filter(region=region, injured_id_number_index=blind_index(id_number))
    if person is not None:
        rows = InjuryCase.objects.filter(region=region, person=person) | rows
    found = list(rows.distinct()[:2])
    return found[0] if len(found) == 1 else None


def transfer_in_record(batch, entry: dict) -> str:
    """One worker moving INTO this 统筹区: a TransferIn row to take over."""
    reference = text(entry, "reference", 40)
    if not reference:
        raise EntryError("reference（转移编号）未填写")
    existing = TransferIn.objects.filter(reference=reference).first()
    if existing is not None:
        if existing.region == batch.region:
            return DUPLICATE
        raise EntryError(f"转移编号 {reference} 已属于其他统筹区，请与省级系统核对")
    from_region = text(entry, "from_region", 6)
    if from_region == batch.region or from_region not in pooling_regions():
        raise EntryError(f"from_region（转出统筹区）“{from_region}”不是其他统筹区的 6 位代码")
    person_entry = entry.get("person") if isinstance(entry.get("person"), dict) else {}
    name, id_number = text(person_entry, "name", 50), text(person_entry, "id_number", 18).upper()
    if not name:
        raise EntryError("person.name（姓名）未填写")
    if not is_valid_id_number(id_number):
        raise EntryError(f"person.id_number（身份证号）{mask_id_number(id_number)} 不是有效的 18 位身份证号")
    start = month_of(entry.get("start_month"), "start_month（本地接续月份）")
    items = _items(entry)
    person = InsuredPerson.objects.filter(id_number_index=blind_index(id_number)).first()
    case = entry.get("case") if isinstance(entry.get("case"), dict) else {}
    payload = {"package_reference": text(entry, "package_reference", 40), "case": {
        k: text(case, k, 200) for k in ("number", "accident_on", "employer", "body_part", "injury_type")},
        "recognition": entry.get("recognition") if isinstance(entry.get("recognition"), dict) else None,
        "conclusion": entry.get("conclusion") if isinstance(entry.get("conclusion"), dict) else None,
        "entitlements": items, "batch": batch.pk}
    TransferIn.objects.create(region=batch.region, batch=batch, reference=reference, from_region=from_region,
                              id_number=id_number, name=name, person=person,
                              case=_local_case(batch.region, id_number, person),
                              payload=json.loads(json.dumps(payload, default=str)), start_month=start)
    return ACCEPTED


# --- 转出确认 ---------------------------------------------------------------------------------------------

def transfer_confirm(batch, entry: dict) -> str:
    """The province confirms the target took over a package sent OUT: the items stop here."""
    package = _package(batch, entry, PackagePurpose.TRANSFER)
    reference = text(entry, "reference", 40)
    if not reference:
        raise EntryError("reference（转移编号）未填写")
    if _answered_before(package, "reference", reference):
        return DUPLICATE
    target = text(entry, "target_region", 6)
    if target != package.target_region:
        raise EntryError(f"target_region（转入统筹区）{target} 与案卷包 {package.reference} 的转入统筹区 "
                         f"{package.target_region} 不一致，请与省级系统核对")
    start = month_of(entry.get("start_month"), "start_month（转入地接续月份）")
    ids = [row.get("id") for row in (package.manifest or {}).get("entitlements") or [] if isinstance(row, dict)]
    _refuse_paid_here(ids, start)
    stopped = entitlements_transfer_out(entitlement_ids=ids, target_start=start,
                                        target_name=full_name(target) or target, actor_label=PLATFORM)
    _answer(package, {"type": "confirmation", "reference": reference, "target_region": target,
                      "start_month": f"{start:%Y-%m}", "confirmed_on": text(entry, "confirmed_on", 10),
                      "stopped": [row.pk for row in stopped], "batch": batch.pk})
    return ACCEPTED


def _refuse_paid_here(entitlement_ids: list, start: date) -> None:
    """A month this 统筹区 paid (or listed in a payroll run: only a failed payment was not) cannot be
    the target's: the worker would be paid twice for it."""
    last = (Payment.objects.filter(entitlement_id__in=entitlement_ids, period__gte=start)
            .exclude(status=PaymentStatus.FAILED).order_by("-period").values_list("period", flat=True).first())
    if last is not None:
        raise EntryError(f"start_month（转入地接续月份）{start:%Y-%m}：本统筹区已发放（或已列入发放）至 {last:%Y-%m}，"
                         f"转入地应从 {add_months(last, 1):%Y-%m} 起接续，请与省级系统核对，避免重复支付")


# --- 接续转入待遇 -------------------------------------------------------------------------------------------

def _check_bank(bank_name: str, bank_account: str) -> None:
    account = bank_account.replace(" ", "")
    if account and not (ascii_digits(account) and 10 <= len(account) <= 30):
        raise FieldErrors({"bank_account": "银行账号应为 10 至 30 位数字，或暂不填写（复核前补录）"})
    if account and not bank_name.strip():
        raise FieldErrors({"bank_name": "填写了银行账号时请同时填写开户银行"})


def _new_local_case(actor, transfer: TransferIn, person) -> InjuryCase:
    """The worker's case here (the one of the former 统筹区 stays there): opened at once, since the
    recognition was decided where the accident happened."""
    original = transfer.payload.get("case") or {}
    try:
        day = date.fromisoformat(original.get("accident_on") or "")
    except ValueError:
        day = transfer.start_month
    accident = accident_create(region=transfer.region, occurred_at=timezone.make_aware(datetime.combine(day, time(0))),
                               address=f"{full_name(transfer.from_region)}（转出统筹区）",
                               description=f"跨统筹区转入，原案件编号 {original.get('number') or '未提供'}")
    case = case_create(actor=actor, accident=accident, source=CaseSource.APPLICATION, injured={
        "name": transfer.name, "id_number": transfer.id_number, "person": person,
        "body_part": (original.get("body_part") or "")[:50], "injury_type": (original.get("injury_type") or "")[:50]})
    case = case_open(actor=actor, case=case, reason="跨统筹区转入", check_access=False)
    case_event_append(case=case, event_type=CaseEventType.NOTE, actor=actor, details={
        "transfer": transfer.reference, "from_region": transfer.from_region,
        "original_case": original.get("number") or ""})
    return case


@transaction.atomic
def transfer_take_over(*, actor, transfer_id: int, bank_name: str = "", bank_account: str = "") -> TransferIn:
    """接续转入待遇: the transferred monthly items are created here from the transfer's start month,
    pending: a second 待遇审核员 approves them on the case's benefits page. The province is told."""
    transfer = get_for(actor, TransferIn, transfer_id, "take_over")
    _check_bank(bank_name, bank_account)
    transfer = transition(actor, transfer, "take_over", event_type=ExchangeEventType.TRANSFER_ACCEPTED,
                          code=ExchangeErrorCode.TRANSFER_TAKEN, region=transfer.region,
                          changes={"handled_by": actor, "handled_at": timezone.now()},
                          details={"reference": transfer.reference, "from_region": transfer.from_region})
    person = transfer.person or InsuredPerson.objects.filter(id_number_index=blind_index(transfer.id_number)).first()
    case = transfer.case or _new_local_case(actor, transfer, person)
    items = [ContinuedItem(benefit_type=row["benefit_type"], amount=Decimal(row["amount"]), payer=row["payer"],
                           basis=row.get("basis") or "") for row in transfer.payload.get("entitlements") or []]
    entitlements_continue(actor=actor, case=case, person=person, items=items, start_month=transfer.start_month,
                          from_region=transfer.from_region, reference=transfer.reference, bank_name=bank_name.strip(),
                          bank_account=bank_account.replace(" ", ""))
    TransferIn.objects.filter(pk=transfer.pk).update(case=case, person=person)
    transfer.case, transfer.person = case, person
    receipt = {"format": RECEIPT_FORMAT, "version": "1.0", "region": transfer.region, "reference": transfer.reference,
               "from_region": transfer.from_region, "start_month": f"{transfer.start_month:%Y-%m}",
               "taken_over_on": timezone.localdate().isoformat(), "case_number": case.number, "items": len(items)}
    batch_record_outbound(actor=actor, partner=Partner.PROVINCE, kind=BatchKind.PROVINCE_TRANSFERS,
                    content=json.dumps(receipt, ensure_ascii=False, indent=2).encode("utf-8"),
                    name=f"{transfer.reference}-receipt.json", format_version="1.0", region=transfer.region)
    return transfer
