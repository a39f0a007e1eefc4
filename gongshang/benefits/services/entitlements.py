"""待遇核定: record the conclusion on the case, create the entitlements from the calculation, a
second 待遇审核员 approves; suspension and stop are transitions with audit events."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import get_for, require
from gongshang.cases.choices import CaseEventType
from gongshang.cases.models import InjuryCase
from gongshang.cases.services import case_event_append
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.storage import IMAGE_OR_PDF_TYPES, store_upload
from gongshang.core.money import to_fen
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import is_valid_id_number
from gongshang.core.workflow import transition
from gongshang.registry.models import InsuredPerson

from .. import selectors
from ..choices import ConclusionKind, EntitlementStatus, EventType, StopReason
from ..errors import BenefitsErrorCode
from ..models import CaseConclusion, Entitlement
from ..rules.calculate import CalcInput
from ..rules.death import RELATIONS, Dependant
from ..rules.leave import add_months
from ..rules.retirement import full_years_between
from . import calculator
from .calc_parameters import Dates
from .recognition_check import VETERAN, case_recognition
from .wages import contribution_wages

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _timeline(case, event_type: str, actor, details: dict, target=None) -> None:
    """A benefits step that is not a status change (conclusion, new items): timeline and audit."""
    case_event_append(case=case, event_type=CaseEventType.NOTE, actor=actor, details={"benefits": event_type,
                                                                                       **details})
    record_event(actor=actor, event_type=event_type, target=target or case, region=case.region, details=details)


def _case(actor, case_id: int, kind: str, action: str) -> InjuryCase:
    """The case, in the actor's scope (404 otherwise), and the benefits action allowed (403)."""
    require(actor, kind, action)
    return get_for(actor, InjuryCase.objects.select_related("accident", "employer", "person"), case_id, "view")


def _check_conclusion(data: dict, document) -> None:
    errors = {}
    kind, grade = data.get("kind"), data.get("disability_grade")
    if kind == ConclusionKind.DISABILITY and not (isinstance(grade, int) and 1 <= grade <= 10):
        errors["disability_grade"] = "伤残结论须填写伤残等级（1-10）"
    if kind == ConclusionKind.DEATH and grade is not None and not (isinstance(grade, int) and 1 <= grade <= 4):
        errors["disability_grade"] = "工亡只填一至四级伤残职工停工留薪期满后死亡时的原伤残等级（1-4），其余不填"
    if not (data.get("conclusion_number") or "").strip():
        errors["conclusion_number"] = "请填写文号"
    if document is None:
        errors["document"] = "请上传结论文书（PDF 或图片）"
    return errors


@transaction.atomic
def conclusion_record(*, actor, case_id: int, data: dict, document) -> CaseConclusion:
    """Staff record the appraisal conclusion (or the death) with its document, on a recognition
    decided in the system (认定工伤 or 视同工伤); by hand (number and date) only for a case that
    has no recognition application in the system. A later conclusion supersedes the earlier.
    A case with a grading conclusion issued on the platform (appraisal.AppraisalConclusion) takes
    its grade from there only: a 伤残 conclusion typed here is refused (409); a death is recorded.
    A death keeps the grade 1-4 of a worker who died after 停工留薪期 (第三十九条第三款)."""
    case = _case(actor, case_id, "case", "record_conclusion")
    if data.get("kind") != ConclusionKind.DEATH and case.appraisal_conclusions.filter(grade__isnull=False).exists():
        # 条例 第二十三至二十六条: the grade is the 劳动能力鉴定委员会's conclusion, recorded from the platform
        raise DomainError(BenefitsErrorCode.APPRAISAL_ON_PLATFORM, status=409)
    recognition = case_recognition(case)
    errors = _check_conclusion(data, document)
    if recognition is None and not (data.get("recognition_number") or "").strip():
        errors["recognition_number"] = "系统中没有该案件的工伤认定申请：请填写纸质认定决定书文号"
    if recognition is None and not data.get("recognised_on"):
        errors["recognised_on"] = "系统中没有该案件的工伤认定申请：请填写纸质认定决定的日期"
    if errors:
        raise FieldErrors(errors)
    stored = store_upload(document, allowed_types=set(IMAGE_OR_PDF_TYPES), max_bytes=MAX_DOCUMENT_BYTES,
                          prefix="benefits/conclusions", actor=actor, field="document", label="结论文书")
    previous = selectors.conclusion_current(case=case)
    kind, grade = data.get("kind"), data.get("disability_grade")
    veteran = recognition.circumstance == VETERAN if recognition else bool(data.get("veteran_recurrence"))
    row = CaseConclusion.objects.create(
        case=case, kind=kind, recognition=recognition, paper_recognition=recognition is None,
        recognition_number=(data.get("recognition_number") or "").strip() or f"工伤认定申请 #{recognition.pk}",
        recognised_on=recognition.decided_on if recognition and recognition.decided_on else data["recognised_on"],
        conclusion_number=data["conclusion_number"].strip(), concluded_on=data["concluded_on"],
        disability_grade=grade, veteran_recurrence=veteran,
        nursing_level=data.get("nursing_level") or "", occupational_disease=bool(data.get("occupational_disease")),
        document=stored, recorded_by=actor)
    if previous:
        CaseConclusion.objects.filter(pk=previous.pk).update(superseded_by=row)  # versioned: never edited
    _timeline(case, EventType.CONCLUSION_RECORDED, actor, {
        "conclusion": row.pk, "kind": kind, "grade": grade, "number": row.conclusion_number,
        "recognition": recognition.pk if recognition else None, "paper_recognition": recognition is None}, row)
    return row


@dataclass
class Beneficiary:
    name: str
    relation: str = "self"
    orphan_or_lonely_elderly: bool = False
    bank_name: str = ""
    bank_account: str = ""
    id_number: str = ""  # links the beneficiary's own statements (个人门户) when given


@dataclass
class CreateInput:
    terminate_employment: bool = False
    bank_name: str = ""
    bank_account: str = ""
    dependants: list[Beneficiary] = field(default_factory=list)
    next_of_kin: str = ""  # who receives the funeral and one-time death subsidies
    next_of_kin_id_number: str = ""
    termination_date: date | None = None  # defaults to the conclusion date
    # 原法定退休年龄 (60 men; 50 female workers, 55 female cadres): the registry has the birth date and
    # sex, not whether a woman is a 工人 or a 干部; asked for when it decides the termination subsidies.
    original_retirement_age: int | None = None


def _injury_date(case) -> date:
    return timezone.localtime(case.accident.occurred_at).date()


def _birth_and_sex(case) -> tuple[date | None, str | None]:
    """From the registered person: the statutory retirement date decides whether the termination
    subsidies are paid and how much (rules/calculate.py). A case with no registered person: unknown."""
    person = case.person if case.person_id else None
    if person is None or person.gender not in ("male", "female") or person.birth_date is None:
        return None, None
    return person.birth_date, person.gender


def _calc_input(case, conclusion, data: CreateInput) -> CalcInput:
    wages = contribution_wages(case)
    if not wages:
        raise FieldErrors({"case": "登记系统中没有该职工受伤前 12 个月的缴费工资，无法计算本人工资"})
    birth, sex = _birth_and_sex(case)
    return CalcInput(injury_date=_injury_date(case), kind=conclusion.kind, disability_grade=conclusion.disability_grade,
                     nursing_level=conclusion.nursing_level or None, monthly_wages=wages,
                     terminate_employment=data.terminate_employment,
                     dependants=[Dependant(d.relation, d.orphan_or_lonely_elderly) for d in data.dependants],
                     occupational_disease=conclusion.occupational_disease,
                     veteran_recurrence=conclusion.veteran_recurrence,
                     # the 条例 version of death items follows the death (the conclusion's date)
                     death_date=conclusion.concluded_on if conclusion.kind == "death" else None,
                     termination_date=data.termination_date or conclusion.concluded_on,
                     birth_date=birth, sex=sex, original_retirement_age=data.original_retirement_age)


def _dates(case, conclusion, data: CreateInput) -> Dates:
    """Each item's parameter date: the appraisal (or the death) is the conclusion's date."""
    injury, concluded = _injury_date(case), conclusion.concluded_on
    return Dates(injury=injury, appraisal=concluded, death=concluded, termination=data.termination_date or concluded)


# A woman's statutory age is 50 (工人) or 55 (干部), each with its delay; below 45 at the termination
# neither is within five years, so the choice cannot change the termination subsidies.
WOMAN_AGE_THAT_MATTERS = 45


def _check_termination(case, conclusion, data: CreateInput, errors: dict) -> None:
    if not (data.terminate_employment and conclusion.kind == ConclusionKind.DISABILITY
            and (conclusion.disability_grade or 0) >= 5):
        return
    on = data.termination_date or conclusion.concluded_on
    if data.termination_date and data.termination_date < _injury_date(case):
        errors["termination_date"] = "解除或终止劳动关系日期不能早于受伤日期"
    birth, sex = _birth_and_sex(case)
    allowed = {"male": (60,), "female": (50, 55)}.get(sex, (50, 55, 60))
    if data.original_retirement_age is not None and data.original_retirement_age not in allowed:
        errors["original_retirement_age"] = "原法定退休年龄：男职工为 60 岁；女职工为 50 岁（工人）或 55 岁（干部）"
    elif (sex == "female" and data.original_retirement_age is None
          and full_years_between(birth, on) >= WOMAN_AGE_THAT_MATTERS):
        errors["original_retirement_age"] = ("请选择该女职工的原法定退休年龄：50 岁（工人）或 55 岁（干部）；"
                                             "它决定解除劳动关系时是否已达到或临近法定退休年龄")


def _check_input(case, conclusion, data: CreateInput) -> None:
    errors = {}
    _check_termination(case, conclusion, data, errors)
    for i, dep in enumerate(data.dependants):
        if dep.relation not in RELATIONS or not dep.name.strip():
            errors[f"dependants[{i}]"] = "请填写供养亲属姓名和关系"
        elif dep.id_number and not is_valid_id_number(dep.id_number):
            errors[f"dependants[{i}]"] = "供养亲属身份证号不正确，请核对"
    if data.next_of_kin_id_number and not is_valid_id_number(data.next_of_kin_id_number):
        errors["next_of_kin_id_number"] = "近亲属身份证号不正确，请核对"
    if conclusion.kind == ConclusionKind.DEATH and not data.next_of_kin.strip():
        errors["next_of_kin"] = "请填写领取丧葬补助金、一次性工亡补助金的近亲属"
    if errors:
        raise FieldErrors(errors)


def _person(id_number: str):
    """The insured person with this ID number, if registered: their portal shows the payments."""
    if not id_number:
        return None
    return InsuredPerson.objects.filter(id_number_index=blind_index(id_number)).first()


@transaction.atomic
def entitlements_create(*, actor, case_id: int, data: CreateInput) -> list[Entitlement]:
    """Compute every item for the case's current conclusion and create one pending entitlement each.
    Monthly items start the month after the conclusion (死亡: after the death)."""
    case = _case(actor, case_id, "entitlement", "create")
    return entitlements_compute(case=case, actor=actor, data=data)


def entitlements_compute(*, case, actor, data: CreateInput) -> list[Entitlement]:
    """The computation of entitlements_create for a case already loaded and checked. Also called
    by the platform (actor=None) when a 劳动能力鉴定结论 is issued on the platform: the rows stay
    pending and a 待遇审核员 approves them (maker-checker: the maker is nobody, the checker a person)."""
    conclusion = selectors.conclusion_current(case=case)
    if conclusion is None:
        raise DomainError(BenefitsErrorCode.NO_CONCLUSION, status=409)
    if conclusion.kind == ConclusionKind.DISABILITY and not conclusion.disability_grade:
        raise DomainError(BenefitsErrorCode.NOT_GRADED, status=409)
    case_recognition(case)  # still decided, still recognized (a refusal on review closes benefits)
    if conclusion.entitlements.exclude(status=EntitlementStatus.REJECTED).exists():
        raise DomainError(BenefitsErrorCode.ALREADY_CREATED, status=409)
    _check_input(case, conclusion, data)
    calc = _calc_input(case, conclusion, data)
    result, used = calculator.run(case.region, calc, {}, _dates(case, conclusion, data))
    start = add_months(conclusion.concluded_on.replace(day=1), 1)
    dependants = iter(data.dependants)
    person_name = case.person.name if case.person_id else case.injured_name
    rows = []
    # One-time items are paid once per case: a re-appraisal changes the monthly items only.
    paid_once = set(case.entitlements.filter(period_kind="once").exclude(status=EntitlementStatus.REJECTED)
                    .values_list("benefit_type", flat=True))
    for item in result.items:
        if item.period == "once" and item.code in paid_once:
            continue
        who = Beneficiary(person_name, "本人", bank_name=data.bank_name, bank_account=data.bank_account)
        if item.code == "dependant_pension":
            dep = next(dependants)
            who = Beneficiary(dep.name, RELATIONS[dep.relation], bank_name=dep.bank_name, bank_account=dep.bank_account,
                              id_number=dep.id_number)
        elif conclusion.kind == ConclusionKind.DEATH:
            who = Beneficiary(data.next_of_kin.strip(), "近亲属", bank_name=data.bank_name, bank_account=data.bank_account,
                              id_number=data.next_of_kin_id_number)
        rows.append(Entitlement(
            case=case, conclusion=conclusion, region=case.region,
            person=case.person if who.relation == "本人" else _person(who.id_number), beneficiary_name=who.name,
            beneficiary_id_number=who.id_number.strip().upper(),
            beneficiary_relation=who.relation, benefit_type=item.code, period_kind=item.period, payer=item.payer,
            amount=item.amount, own_wage=result.own_wage.amount, start_month=start,
            pension_cap=to_fen(result.own_wage.average) if item.code == "dependant_pension" else None, basis=item.basis,
            formula=item.formula, parameters_used=used, bank_name=who.bank_name, bank_account=who.bank_account,
            created_by=actor))
    Entitlement.objects.bulk_create(rows)
    _timeline(case, EventType.ENTITLEMENTS_CREATED, actor, {"count": len(rows), "own_wage": str(result.own_wage.amount),
                                                            "conclusion": conclusion.pk, "notes": result.notes})
    return rows


def _transition(actor, entitlement: Entitlement, action: str, details: dict | None = None, **changes) -> Entitlement:
    """core.workflow.transition with the entitlement's audit event type (timeline: Entitlement.append_timeline)."""
    return transition(actor, entitlement, action, event_type=Entitlement.EVENTS[action], details=details,
                      changes=changes)


@transaction.atomic
def entitlements_approve(*, actor, case_id: int) -> int:
    """Maker-checker: a second 待遇审核员, never the maker, approves the case's pending items
    (Entitlement.access refuses the maker, 403)."""
    case = _case(actor, case_id, "entitlement", "approve")
    pending = list(case.entitlements.filter(status=EntitlementStatus.PENDING))
    current = selectors.conclusion_current(case=case)
    not_graded = is_not_graded(current)
    if not pending and not (not_graded and stops_due(case=case).exists()):
        raise DomainError(BenefitsErrorCode.INVALID_TRANSITION, "没有待审核的待遇。", status=409)
    now = timezone.now()
    for row in pending:
        _transition(actor, row, "approve", approved_by=actor, approved_at=now)
    if current is not None and (not_graded or any(row.conclusion_id == current.pk for row in pending)):
        _stop_superseded(actor, case, current, pending)
    return len(pending)


def is_not_graded(conclusion) -> bool:
    """未达级 at 复查/再次鉴定: a disability conclusion without a grade (recorded from the platform)."""
    return conclusion is not None and conclusion.kind == ConclusionKind.DISABILITY and not conclusion.disability_grade


def stops_due(*, case):
    """Monthly items still paid (or suspended) under a conclusion that a later one superseded: they
    end when the later conclusion's items are approved (or, for 未达级, when the stop is approved)."""
    return case.entitlements.filter(period_kind="monthly", conclusion__superseded_by__isnull=False,
                                    status__in=[EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED])


def _stop_superseded(actor, case, current: CaseConclusion, approved: list[Entitlement]) -> None:
    """Re-appraisal (or death): every monthly item of an earlier conclusion ends the month before
    the current conclusion's monthly items start — the month of its date — whether or not the same
    item comes back (a fall that removes 生活护理费, a 未达级 that removes 伤残津贴): no month paid
    twice, none skipped."""
    starts = [row.start_month for row in approved if row.conclusion_id == current.pk and row.period_kind == "monthly"]
    first = min(starts) if starts else add_months(current.concluded_on.replace(day=1), 1)
    for old in stops_due(case=case).exclude(conclusion_id=current.pk):
        replaced_by = next((new.pk for new in approved if new.conclusion_id == current.pk
                            and new.benefit_type == old.benefit_type and new.beneficiary_name == old.beneficiary_name
                            and new.period_kind == "monthly"), None)
        reason = StopReason.DEATH if current.kind == ConclusionKind.DEATH else StopReason.REAPPRAISAL
        _transition(actor, old, "stop", {"reason": reason, "replaced_by": replaced_by, "conclusion": current.pk},
                    stop_reason=reason, end_month=add_months(first, -1))


@transaction.atomic
def entitlements_reject(*, actor, case_id: int, reason: str) -> int:
    case = _case(actor, case_id, "entitlement", "reject")
    if not reason.strip():
        raise FieldErrors({"reason": "请填写退回原因"})
    pending = list(case.entitlements.filter(status=EntitlementStatus.PENDING))
    if not pending:  # a stale form (approved or returned in another tab): say so, as approve does
        raise DomainError(BenefitsErrorCode.INVALID_TRANSITION, "没有待审核的待遇。", status=409)
    for row in pending:
        _transition(actor, row, "reject", {"reason": reason}, note=reason[:300])
    return len(pending)


@transaction.atomic
def entitlement_suspend(*, actor, entitlement_id: int, reason: str) -> Entitlement:
    row = selectors.entitlement_get(actor=actor, entitlement_id=entitlement_id, action="suspend")
    if not reason.strip():
        raise FieldErrors({"reason": "请填写暂停原因"})
    return _transition(actor, row, "suspend", {"reason": reason}, note=reason[:300])


@transaction.atomic
def entitlement_resume(*, actor, entitlement_id: int) -> Entitlement:
    row = selectors.entitlement_get(actor=actor, entitlement_id=entitlement_id, action="resume")
    return _transition(actor, row, "resume")


@transaction.atomic
def entitlement_stop(*, actor, entitlement_id: int, reason: str, last_month: date) -> Entitlement:
    """Stop (death, retirement conversion, re-appraisal): the last month paid is `last_month`."""
    row = selectors.entitlement_get(actor=actor, entitlement_id=entitlement_id, action="stop")
    if reason not in StopReason.values:
        raise FieldErrors({"reason": "终止原因应为 death、retirement、reappraisal 或 other"})
    return _transition(actor, row, "stop", {"reason": reason, "last_month": str(last_month)},
                       stop_reason=reason, end_month=last_month.replace(day=1))


@transaction.atomic
def entitlement_convert_on_retirement(*, actor, entitlement_id: int, last_month: date, pension) -> Entitlement | None:
    """Grades 1-4 reaching retirement (条例 第三十五条 第二款): the 伤残津贴 stops after `last_month`;
    where the basic pension is lower, a pending entitlement to the difference starts the month
    after (approved like any other). Returns it, or None when the pension is not lower."""
    from ..rules.disability import allowance_after_retirement
    from ..rules.items import RuleError

    row = selectors.entitlement_get(actor=actor, entitlement_id=entitlement_id, action="convert")
    if row.benefit_type != "disability_allowance" or row.payer != "fund":
        raise FieldErrors({"entitlement": "只有一至四级伤残津贴可以办理退休转换"})
    try:
        item = allowance_after_retirement(row.amount, pension)
    except RuleError as exc:
        raise FieldErrors({exc.field: exc.message}) from exc
    entitlement_stop(actor=actor, entitlement_id=row.pk, reason=StopReason.RETIREMENT, last_month=last_month)
    if item.amount <= 0:
        return None
    created = Entitlement.objects.create(
        case=row.case, conclusion=row.conclusion, region=row.region, person=row.person,
        beneficiary_name=row.beneficiary_name, beneficiary_relation=row.beneficiary_relation,
        benefit_type=item.code, period_kind=item.period, payer=item.payer, amount=item.amount, own_wage=row.own_wage,
        start_month=add_months(last_month.replace(day=1), 1), basis=item.basis, formula=item.formula,
        parameters_used=row.parameters_used, bank_name=row.bank_name, bank_account=row.bank_account,
        created_by=actor)
    _timeline(row.case, EventType.ENTITLEMENTS_CREATED, actor, {"retirement_difference": created.pk,
                                                                "pension": str(pension)}, created)
    return created
