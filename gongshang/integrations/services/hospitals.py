"""入出院通知 writes: applying a chunk of a 卫健 file (set-based), and the staff's 关联 / 排除.

A notice linked to a case (automatically or by staff) leaves an audit event HOSPITAL_LINKED and a
NOTE on the case timeline ("卫健：<医院> 入院 <日期>"), so the case's staff see the stay where they
work. Nothing goes out to the partner.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from gongshang.accounts.access import check
from gongshang.cases.choices import CaseEventType
from gongshang.cases.models import InjuryCase
from gongshang.cases.services import case_event_append
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.crypto import blind_index
from gongshang.core.workflow import transition
from gongshang.medical.models import AgreementInstitution
from gongshang.registry.imports.bulkinsert import insert_rows
from gongshang.registry.models import InsuredPerson

from ..choices import ExchangeEventType, HospitalNoticeStatus
from ..errors import ExchangeErrorCode
from ..models import HospitalNotice
from ..rules.hospitals import ADMISSION, DISCHARGE, choose_case, timeline_text
from ..selectors.hospitals import admission_cases, case_of_person, open_cases_by_person

SYSTEM_LABEL = "系统（卫健入出院通知）"
NOTE_MAX = 300
CHUNK_INSERT = 500
LINKED, UNLINKED = "关联在办工伤案件", "无在办工伤案件（留待核查）"


def empty_summary() -> dict:
    """The batch page's figures of a hospital-notice file (Chinese keys: they are shown as they are)."""
    return {LINKED: 0, UNLINKED: 0}


@dataclass
class ApplyResult:
    accepted: int = 0
    duplicate: int = 0
    summary: dict = field(default_factory=empty_summary)


# --- a chunk of a file -------------------------------------------------------------------------------

@transaction.atomic
def notices_apply(*, batch, rows, seen: set) -> ApplyResult:
    """Insert the new notices among `rows` (adapters.hospitals.NoticeRow) for `batch`, linked where an
    open case fits. `seen`: the (hospital code, notice number) keys met earlier in the same file; the
    keys of this chunk are added. Admissions go first, so a discharge finds its admission of the same
    chunk."""
    result = ApplyResult()
    existing = set(HospitalNotice.objects.filter(hospital_code__in={r.hospital_code for r in rows},
                                                 notice_number__in={r.notice_number for r in rows})
                   .values_list("hospital_code", "notice_number"))
    fresh = []
    for row in rows:
        if row.key in seen or row.key in existing:
            result.duplicate += 1
            continue
        seen.add(row.key)
        fresh.append(row)
    for kind in (ADMISSION, DISCHARGE):
        group = [r for r in fresh if r.kind == kind]
        if group:
            linked = _insert(batch, group)
            result.accepted += len(group)
            result.summary[LINKED] += linked
            result.summary[UNLINKED] += len(group) - linked
    return result


def _admission_of(admissions, discharged_on: date) -> tuple[int | None, bool]:
    """(the case of the stay's admission, whether staff dismissed it): the stay is the latest
    admission on or before the discharge day; an unlinked one gives (None, False)."""
    earlier = [a for a in admissions or () if a[0] <= discharged_on]
    if not earlier:
        return None, False
    _day, _pk, case_id, status = max(earlier, key=lambda a: (a[0], a[1]))
    return case_id, status == HospitalNoticeStatus.DISMISSED


# The columns of an unlinked notice written by the lean INSERT (registry.imports.bulkinsert: most notices
# find no case, and bulk_create's per-row preparation would cost most of a daily file's time).
UNLINKED_COLUMNS = ("hospital_code", "hospital_name", "institution_id", "notice_number", "kind", "id_number",
                    "name", "event_date", "diagnosis", "diagnosis_code", "person_id", "note")


def _insert(batch, rows) -> int:
    """Insert one kind's rows of a chunk (a few bulk queries); returns how many were linked."""
    index_of = {r.id_number: blind_index(r.id_number) for r in rows}
    indexes = set(index_of.values())
    persons = dict(InsuredPerson.objects.filter(id_number_index__in=indexes).values_list("id_number_index", "pk"))
    institutions = dict(AgreementInstitution.objects.filter(code__in={r.hospital_code for r in rows})
                        .values_list("code", "pk"))
    cases = open_cases_by_person(region=batch.region, id_indexes=indexes)
    admissions = {} if rows[0].kind == ADMISSION else admission_cases(
        region=batch.region, keys={(r.hospital_code, index_of[r.id_number]) for r in rows})
    linked, unlinked = [], []
    for r in rows:
        index = index_of[r.id_number]
        admitted, dismissed = _admission_of(admissions.get((r.hospital_code, index)), r.event_date)
        choice = choose_case(cases.get(index, []), r.event_date, kind=r.kind, admission_case_id=admitted,
                             admission_dismissed=dismissed)
        values = {"hospital_code": r.hospital_code, "hospital_name": r.hospital_name,
                  "institution_id": institutions.get(r.hospital_code), "notice_number": r.notice_number,
                  "kind": r.kind, "id_number": r.id_number, "name": r.name, "event_date": r.event_date,
                  "diagnosis": r.diagnosis, "diagnosis_code": r.diagnosis_code, "person_id": persons.get(index),
                  "note": choice.note[:NOTE_MAX]}
        if choice.case_id is None:
            unlinked.append(tuple(values[c] for c in UNLINKED_COLUMNS))
        else:
            linked.append(HospitalNotice(region=batch.region, batch=batch, case_id=choice.case_id,
                                         status=HospitalNoticeStatus.LINKED, **values))
    if unlinked:
        insert_rows(HospitalNotice, unlinked, variables=UNLINKED_COLUMNS, batch_size=CHUNK_INSERT,
                    constants={"region": batch.region, "batch_id": batch.pk, "status": HospitalNoticeStatus.UNLINKED})
    if linked:
        _announce(HospitalNotice.objects.bulk_create(linked), batch=batch)
    return len(linked)


def _announce(notices, *, batch) -> None:
    """The audit event and the case timeline line of each automatic link (few: most people admitted
    to hospital have no open injury case)."""
    cases = InjuryCase.objects.in_bulk({n.case_id for n in notices})
    for notice in notices:
        case = cases[notice.case_id]
        record_event(actor=None, actor_label=SYSTEM_LABEL, event_type=ExchangeEventType.HOSPITAL_LINKED,
                     target=notice, region=notice.region,
                     details={"case": case.number, "kind": notice.kind, "event_date": notice.event_date.isoformat(),
                              "batch": batch.pk, "automatic": True})
        case_event_append(case=case, event_type=CaseEventType.NOTE, actor=None, actor_label=SYSTEM_LABEL,
                          details={"text": timeline_text(notice.hospital_name, notice.kind, notice.event_date),
                                   "hospital_notice": notice.pk})


# --- staff -----------------------------------------------------------------------------------------------

def _case_error(code, message: str) -> DomainError:
    return DomainError(code, message, details=[{"field": "case_number", "message": message}], status=422)


def hospital_notice_link(*, actor, notice: HospitalNotice, case_number: str) -> HospitalNotice:
    """关联: staff link an unlinked (or dismissed) notice to a case of the same person, by its number."""
    check(actor, notice, "link")
    number = str(case_number or "").strip()
    if not number:
        raise FieldErrors({"case_number": "请填写要关联的工伤案件编号（如 GS370200-2026-000123）。"})
    if notice.status == HospitalNoticeStatus.LINKED:
        raise DomainError(ExchangeErrorCode.HOSPITAL_ALREADY_LINKED, status=409)
    case, same_person = case_of_person(actor=actor, case_number=number, id_number_index=notice.id_number_index)
    if case is None:
        raise _case_error(ExchangeErrorCode.HOSPITAL_CASE_NOT_FOUND,
                          f"本统筹区没有编号为“{number[:40]}”的工伤案件，请核对“案件编号”（如 GS370200-2026-000123）。")
    if not same_person:
        raise _case_error(ExchangeErrorCode.HOSPITAL_CASE_OTHER_PERSON, ExchangeErrorCode.HOSPITAL_CASE_OTHER_PERSON.label)
    with transaction.atomic():
        linked = transition(actor, notice, "link", event_type=ExchangeEventType.HOSPITAL_LINKED,
                            code=ExchangeErrorCode.HOSPITAL_ALREADY_LINKED,
                            changes={"case": case, "handled_by": actor, "note": "经办人员按案件编号关联"},
                            details={"case": case.number, "automatic": False})
        case_event_append(case=case, event_type=CaseEventType.NOTE, actor=actor,
                          details={"text": timeline_text(notice.hospital_name, notice.kind, notice.event_date),
                                   "hospital_notice": notice.pk})
    return linked


def hospital_notice_dismiss(*, actor, notice: HospitalNotice, note: str) -> HospitalNotice:
    """排除: the stay has nothing to do with a work injury (staff say why). A linked notice leaves its
    case; the case timeline says so, without the staff's note (the worker reads the timeline)."""
    check(actor, notice, "dismiss")
    text = str(note or "").strip()
    if not text:
        raise FieldErrors({"note": "请填写排除原因，如“经核实为普通疾病住院，与工伤无关”。"})
    if len(text) > NOTE_MAX:
        raise FieldErrors({"note": f"排除原因最多 {NOTE_MAX} 字，您填写了 {len(text)} 字，请精简后提交。"})
    with transaction.atomic():
        current = HospitalNotice.objects.select_for_update().get(pk=notice.pk)
        previous = InjuryCase.objects.filter(pk=current.case_id).first() if current.case_id else None
        dismissed = transition(actor, current, "dismiss", code=ExchangeErrorCode.HOSPITAL_ALREADY_DISMISSED,
                               changes={"case": None, "handled_by": actor, "note": text},
                               details={"case": previous.number if previous else ""})
        if previous is not None:
            line = timeline_text(current.hospital_name, current.kind, current.event_date)
            case_event_append(case=previous, event_type=CaseEventType.NOTE, actor=actor,
                              details={"text": f"{line}，经核查与工伤无关，已取消关联", "hospital_notice": notice.pk})
    return dismissed
