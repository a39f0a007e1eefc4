"""就诊与费用明细 through the institution API: register a stay or visit, upload its bill lines
(replaced by line number while open), settle at discharge, answer a staff query.

- Register (条例 第三十条): the case must be eligible today for this institution (the rules of
  services/eligibility.py) with the admission on or after the accident day, or its recognition still
  under way (四方联动: the stay is
  registered at admission, the decision is pushed to the hospital, the discharge settles once the
  case is recognised), and the institution's agreement in force. The fund that pays is
  the case's 统筹区; the place of treatment the institution's; 异地就医 by the registration active
  then. The same institution posting the same case, kind and admission time again gets the same
  encounter back (an external key: a hospital system that retries does not create a second stay).
- Lines: all or nothing; each row's errors are returned together, naming the line and the field.
  amount = quantity × unit price, rounded half-up to the fen (core/money). Bulk writes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from gongshang.accounts.access import check, require
from gongshang.cases.models import InjuryCase
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.money import to_fen
from gongshang.core.workflow import transition

from ..choices import EncounterKind, EncounterStatus, EventType, InstitutionKind, LineCategory
from ..errors import MedicalErrorCode
from ..models import BillLine, Encounter, LineFlag
from ..rules.workflow import ENCOUNTER_WORKFLOW
from . import eligibility, settlement

MAX_LINES = 5000
QUANTITY_PLACES, PRICE_PLACES, AMOUNT_PLACES = 3, 4, 2
MAX_MONEY = Decimal("999999999999.99")               # 金额, 费用总额: DecimalField(14, 2)
MAX_QUANTITY = Decimal("999999999.999")             # BillLine.quantity: DecimalField(12, 3)
MAX_PRICE = Decimal("9999999999.9999")              # BillLine.unit_price: DecimalField(14, 4)
CLOCK_SLACK = timedelta(hours=1)  # a hospital clock a little ahead is not refused
BULK_BATCH = 2500  # rows per INSERT (13 parameters each: well under PostgreSQL's 65,535)


def aware(value: datetime | None) -> datetime | None:
    """A naive time from a hospital system is Beijing time (settings TIME_ZONE)."""
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def _case(number: str) -> InjuryCase | None:
    return InjuryCase.objects.filter(number=(number or "").strip().upper()).first()


def _check_kind(kind: str) -> None:
    if kind not in EncounterKind.values:
        raise FieldErrors({"kind": "就诊类别应为 inpatient（住院）、outpatient（门诊）或 rehabilitation（康复）"})


@transaction.atomic
def encounter_create(*, actor, data: dict) -> tuple[Encounter, bool]:
    """(encounter, created): registers the stay, or returns the one this institution already registered
    for the same case, kind and admission time."""
    require(actor, "medical_encounter", "create")
    _check_kind(data["kind"])
    admitted_at, discharged_at = aware(data["admitted_at"]), aware(data.get("discharged_at"))
    if discharged_at is not None and discharged_at < admitted_at:
        raise FieldErrors({"discharged_at": "出院时间不能早于入院时间，请核对"})
    if admitted_at > timezone.now() + CLOCK_SLACK:
        raise FieldErrors({"admitted_at": "入院时间不能晚于当前时间，请核对"})
    if discharged_at is not None and discharged_at > timezone.now() + CLOCK_SLACK:
        raise FieldErrors({"discharged_at": "出院时间不能晚于当前时间；尚未出院的请不填，结算时再给出"})
    admitted_on = timezone.localdate(admitted_at)
    institution = eligibility.require_agreement(actor, admitted_on)
    if institution is not None and institution.kind == InstitutionKind.DEVICE:
        raise FieldErrors({"kind": "辅助器具配置机构不登记就诊；辅助器具费用请按辅助器具配置结算办理"})
    case = _case(data["case_number"])
    # Judged on the day of registration, not of admission: a worker admitted right after the accident
    # is registered once the case is recognised, or while the recognition is under way (四方联动).
    today = timezone.localdate()
    basis, registration, _count = (None, None, 0) if case is None else eligibility.case_eligibility(
        [case], today, institution=institution, actor=actor)
    if basis is None and case is not None and eligibility.pending_case([case], today, institution=institution,
                                                                        actor=actor) is not None:
        registration = None     # recognition under way: the stay is registered now, settled once recognised
    elif basis is None:
        raise DomainError(MedicalErrorCode.NOT_ELIGIBLE, status=422, details=[{
            "field": "case_number",
            "message": "该案件不能在本机构按工伤医疗登记（须已认定工伤或工伤认定正在办理中，且为本统筹区或已备案到本统筹区"
                       "就医），请先查询就医资格并核对案件编号"}])
    accident_on = timezone.localdate(case.accident.occurred_at) if case.accident_id else None
    if accident_on is not None and admitted_on < accident_on:
        raise FieldErrors({"admitted_at": f"入院时间早于事故发生日（{accident_on:%Y年%-m月%-d日}），不属于本次工伤的治疗，"
                                          "请核对入院时间或案件编号"})
    if case.region != getattr(institution, "region", case.region):
        # 异地就医: the registration in force at admission (or, failing that, today's).
        registration = eligibility.active_registration(case, admitted_on, institution.region) or registration
    # Serialise registrations of one case (a hospital system retrying at once): the second waits for
    # the first to commit, then finds its encounter by the external key.
    list(InjuryCase.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
    existing = Encounter.objects.filter(institution=institution, case=case, kind=data["kind"],
                                        admitted_at=admitted_at).first()
    if existing is not None:
        return existing, False
    diagnoses = [{"code": d["code"].strip().upper(), "name": d["name"].strip()} for d in data.get("diagnoses") or []]
    encounter = Encounter.objects.create(
        institution=institution, case=case, region=case.region, treatment_region=institution.region,
        remote_registration=registration if case.region != institution.region else None,
        kind=data["kind"], admitted_at=admitted_at, discharged_at=discharged_at, diagnoses=diagnoses,
        main_diagnosis_code=diagnoses[0]["code"] if diagnoses else "", department=data.get("department", "").strip())
    record_event(actor=actor, event_type=EventType.ENCOUNTER_CREATED, target=encounter, region=encounter.region,
                 details={"case_number": case.number, "kind": encounter.kind, "institution": institution.code,
                          "remote_registration": registration.pk if encounter.remote_registration_id else None})
    return encounter, True


# --- bill lines ----------------------------------------------------------------------------------------

@dataclass
class _Row:
    errors: list

    def add(self, line_no, field: str, message: str) -> None:
        self.errors.append({"line_no": line_no, "field": field, "message": message})


def _decimal(value, places: int, label: str, *, positive: bool = False, maximum: Decimal = MAX_MONEY):
    """(Decimal, None) or (None, message): a decimal string with at most `places` decimals."""
    if isinstance(value, bool) or isinstance(value, float):
        return None, f"{label}请用字符串表示（如 \"12.50\"），不要用浮点数"
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None, f"{label}“{value}”不是数字"
    if not number.is_finite():
        return None, f"{label}“{value}”不是数字"
    if -number.as_tuple().exponent > places:
        return None, f"{label}最多 {places} 位小数，收到“{value}”"
    if number < 0 or (positive and number == 0):
        return None, f"{label}应大于 0" if positive else f"{label}不能为负数"
    if number > maximum:
        return None, f"{label}过大（最大 {maximum}），请核对"
    return number, None


def _check_line(line: dict, encounter: Encounter, end: datetime, row: _Row, seen: set) -> dict | None:
    no = line["line_no"]
    before = len(row.errors)
    if no < 1 or no > 2_000_000_000:
        row.add(no, "line_no", "明细序号应为正整数")
    elif no in seen:
        row.add(no, "line_no", f"明细序号 {no} 在本次上传中重复，每个序号只能出现一次")
    seen.add(no)
    for name, label in (("catalogue_code", "医保编码"), ("name", "项目名称")):
        if not str(line[name]).strip():
            row.add(no, name, f"请填写{label}")
    if line["category"] not in LineCategory.values:
        row.add(no, "category", "费用类别应为 drug、service、material、bed 或 meal")
    quantity, message = _decimal(line["quantity"], QUANTITY_PLACES, "数量", positive=True,
                                 maximum=MAX_QUANTITY)
    if message:
        row.add(no, "quantity", message)
    price, message = _decimal(line["unit_price"], PRICE_PLACES, "单价", maximum=MAX_PRICE)
    if message:
        row.add(no, "unit_price", message)
    amount, message = _decimal(line["amount"], AMOUNT_PLACES, "金额")
    if message:
        row.add(no, "amount", message)
    if quantity is not None and price is not None and amount is not None and to_fen(quantity * price) != amount:
        row.add(no, "amount", f"金额应等于数量×单价（四舍五入到分）：{quantity}×{price}={to_fen(quantity * price)}，"
                              f"收到 {amount}")
    occurred_at = aware(line["occurred_at"])
    if occurred_at < encounter.admitted_at or occurred_at > end:
        row.add(no, "occurred_at", "发生时间应在入院时间与出院时间之间（未出院的不晚于当前时间），请核对")
    if len(row.errors) > before:
        return None
    return {"line_no": no, "catalogue_code": line["catalogue_code"].strip(), "name": line["name"].strip(),
            "category": line["category"], "quantity": quantity, "unit_price": price, "amount": amount,
            "occurred_at": occurred_at, "order_no": (line.get("order_no") or "").strip(),
            "ordered_code": (line.get("ordered_code") or "").strip()}


def _locked_open(encounter: Encounter, action: str) -> Encounter:
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if not ENCOUNTER_WORKFLOW.can(action, locked.status):
        raise DomainError(MedicalErrorCode.ENCOUNTER_SETTLED, status=409, details={"status": locked.status})
    return locked


@transaction.atomic
def encounter_lines_replace(*, actor, encounter: Encounter, lines: list[dict]) -> dict:
    """Upsert `lines` by line_no (lines not in the body stay); only while the encounter is open."""
    check(actor, encounter, "edit_lines")
    if not lines:
        raise FieldErrors({"body": "请上传至少一行费用明细（JSON 数组）"})
    if len(lines) > MAX_LINES:
        raise FieldErrors({"body": f"每次最多上传 {MAX_LINES} 行明细，本次 {len(lines)} 行，请分批上传"})
    locked = _locked_open(encounter, "edit_lines")
    end = locked.discharged_at or timezone.now()
    row, seen, clean = _Row(errors=[]), set(), []
    for line in lines:
        checked = _check_line(line, locked, end, row, seen)
        if checked is not None:
            clean.append(checked)
    if row.errors:
        raise DomainError(MedicalErrorCode.LINES_INVALID, status=422,
                          message=f"{len({e['line_no'] for e in row.errors})} 行费用明细有误，整批未保存；"
                                  "请按 details.lines 的提示修改后重新上传。",
                          details={"lines": row.errors})
    numbers = [c["line_no"] for c in clean]
    # Replace = delete the rows of these numbers and insert the new ones: two set-based statements and
    # one multi-row INSERT (an UPDATE of 2,000 rows one CASE per field is far slower). Their flags
    # described the old content and go with them; settling again writes new ones.
    updated = locked.lines.filter(line_no__in=numbers).count()
    if updated:
        LineFlag.objects.filter(line__encounter=locked, line__line_no__in=numbers).delete()
        # The flags are gone: one DELETE, without the collector loading 2,000 rows to look for them.
        BillLine.objects.filter(encounter=locked, line_no__in=numbers)._raw_delete(BillLine.objects.db)
    BillLine.objects.bulk_create([BillLine(encounter=locked, **values) for values in clean], batch_size=BULK_BATCH)
    created = len(clean) - updated
    record_event(actor=actor, event_type=EventType.LINES_REPLACED, target=locked, region=locked.region,
                 details={"received": len(clean), "created": created, "updated": updated})
    totals = locked.lines.aggregate(count=Count("pk"), total=Sum("amount"))
    if (totals["total"] or 0) > MAX_MONEY:
        # 费用总额 would not fit its column (nor settle): refuse the batch, nothing saved.
        raise FieldErrors({"body": f"本次就诊费用总额将达 {to_fen(totals['total'])} 元，超过上限 {MAX_MONEY} 元，"
                                   "整批未保存；请核对金额"})
    return {"id": locked.pk, "received": len(clean), "created": created, "updated": updated,
            "line_count": totals["count"], "total": to_fen(totals["total"] or 0)}


# --- settle and answer ---------------------------------------------------------------------------------

def encounter_settle(*, actor, encounter: Encounter, discharged_at: datetime | None = None):
    """出院直接结算: records the discharge time when given (or missing), then the settlement service
    decides each line's fund share. An encounter already settled answers its stored result."""
    check(actor, encounter, "settle")
    discharged_at = aware(discharged_at)
    with transaction.atomic():
        if encounter.status == EncounterStatus.OPEN:
            _require_recognised(actor, encounter)
            locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
            if locked.status == EncounterStatus.OPEN:
                _set_discharge(locked, discharged_at)
            encounter.refresh_from_db()
        elif encounter.status != EncounterStatus.SETTLED:
            # Reviewed or queried: the table's refusal (409), not a stored result.
            raise DomainError(MedicalErrorCode.ENCOUNTER_SETTLED, status=409, details={"status": encounter.status})
        result = settlement.encounter_settle(actor=actor, encounter=encounter)
    encounter.refresh_from_db()
    return result


def _require_recognised(actor, encounter: Encounter) -> None:
    """A stay registered while the recognition was under way settles only once the case is recognised
    (条例 第三十条: the fund pays for the treatment of a 工伤); until then, or when it was not
    recognised, the institution is told why."""
    today = timezone.localdate()
    institution = encounter.institution
    basis, _registration, _count = eligibility.case_eligibility([encounter.case], today, institution=institution,
                                                                actor=actor)
    if basis is not None:
        return
    if eligibility.pending_case([encounter.case], today, institution=institution, actor=actor) is not None:
        message = "该职工的工伤认定尚未作出，暂不能按工伤医疗结算；认定为工伤后平台将通知本机构，届时再结算。"
    else:
        message = "该案件未认定为工伤（或已不在本机构的结算范围），不能按工伤医疗结算，请按基本医疗保险等渠道结算。"
    raise DomainError(MedicalErrorCode.NOT_ELIGIBLE, message, status=422,
                      details=[{"field": "case_number", "message": message}])


def _set_discharge(locked: Encounter, discharged_at: datetime | None) -> None:
    if discharged_at is not None:
        if discharged_at < locked.admitted_at:
            raise FieldErrors({"discharged_at": "出院时间不能早于入院时间，请核对"})
        if discharged_at > timezone.now() + CLOCK_SLACK:
            raise FieldErrors({"discharged_at": "出院时间不能晚于当前时间，请出院后再结算"})
        last = locked.lines.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
        if last is not None and discharged_at < last:
            raise FieldErrors({"discharged_at": f"出院时间早于最后一笔费用的发生时间"
                                                f"（{timezone.localtime(last):%Y-%m-%d %H:%M}），请核对"})
        locked.discharged_at = discharged_at
        locked.save(update_fields=["discharged_at"])
    elif locked.discharged_at is None and locked.kind == EncounterKind.INPATIENT:
        raise FieldErrors({"discharged_at": "住院结算须给出出院时间（discharged_at）"})
    if not locked.lines.exists():
        raise FieldErrors({"lines": "该次就诊还没有费用明细，请先上传明细再结算"})


@transaction.atomic
def encounter_answer(*, actor, encounter: Encounter, text: str) -> Encounter:
    """The institution answers the agency's query: QUERIED → OPEN, it may correct lines and settle again."""
    text = (text or "").strip()
    if not text:
        raise FieldErrors({"text": "请填写对经办机构询问的答复"})
    return transition(actor, encounter, "answer", details={"text": text[:2000]}, code=MedicalErrorCode.INVALID_TRANSITION,
                      message="只有经办机构已询问的就诊才能答复，请刷新后查看最新状态。")
