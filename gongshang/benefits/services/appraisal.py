"""From a 劳动能力鉴定结论 issued on the platform to the case's benefits, without typing: the
conclusion is recorded on the case (CaseConclusion, superseding the earlier one) and the items are
computed as pending entitlements. The platform is the maker; a 待遇审核员 approves them
(maker-checker: the approver is always a person). A rise or fall at 再次/复查 is computed from the
new conclusion's date; the monthly items of the earlier conclusion stop when the new ones are
approved (entitlements._stop_superseded)."""

from dataclasses import dataclass, field

from django.db import transaction

from gongshang.core.errors import DomainError, FieldErrors

from .. import selectors
from ..choices import ConclusionKind, EntitlementStatus, EventType, NursingLevel
from ..models import CaseConclusion, Entitlement
from .entitlements import CreateInput, _timeline, entitlements_compute, stops_due
from .recognition_check import VETERAN, case_recognition

REVIEW, SECOND = "review", "second"  # gongshang.appraisal.rules.codes: 复查鉴定, 再次鉴定

# 生活自理障碍 of the appraisal (GB/T 16180-2014 4.2.2) → the benefits' nursing level (条例 第三十四条).
NURSING = {"complete": NursingLevel.FULL, "most": NursingLevel.MOST, "partial": NursingLevel.PARTIAL}


@dataclass
class Pushed:
    case_conclusion: CaseConclusion | None = None
    entitlements: list[Entitlement] = field(default_factory=list)
    problem: str = ""   # why nothing was computed (shown to staff; the 待遇审核员 computes by hand)


def _bank_of(case) -> CreateInput:
    """The worker's bank account from the case's earlier items (a re-appraisal pays to the same account)."""
    earlier = (case.entitlements.filter(beneficiary_relation="本人").exclude(status=EntitlementStatus.REJECTED)
               .exclude(bank_account="").order_by("-created_at", "-pk").first())
    if earlier is None:
        return CreateInput()
    return CreateInput(bank_name=earlier.bank_name, bank_account=earlier.bank_account)


@transaction.atomic
def conclusion_from_appraisal(*, conclusion, document=None) -> CaseConclusion | None:
    """Record the appraisal `conclusion` (gongshang.appraisal AppraisalConclusion, grade 1–10) as the
    case's current conclusion, linked to the decided recognition, with the issued PDF as its
    document, recorded by the staff member who concluded; the earlier one is superseded.
    A 未达级 (grade 0) or no grade at a first appraisal returns None: nothing to pay. A 未达级 at
    复查 or 再次鉴定 where the case has a graded conclusion is recorded too (disability, no grade): it
    supersedes the grade, and the monthly items of the earlier grade stop from its date once a
    待遇审核员 approves (entitlements.entitlements_approve). `document` (a StoredFile) replaces the
    issued PDF for a conclusion the platform did not issue (省级鉴定委员会)."""
    case = conclusion.case
    previous = selectors.conclusion_current(case=case)
    if not conclusion.grade and not _falls_below_grading(conclusion, previous):
        return None
    recognition = case_recognition(case)
    if document is None:  # a provincial conclusion passes the file the committee sent
        document = conclusion.document.file
    row = CaseConclusion.objects.create(
        case=case, kind=ConclusionKind.DISABILITY, recognition=recognition, paper_recognition=recognition is None,
        recognition_number=(f"工伤认定申请 #{recognition.pk}" if recognition
                            else (previous.recognition_number if previous else "")),
        recognised_on=(recognition.decided_on if recognition and recognition.decided_on
                       else (previous.recognised_on if previous else conclusion.concluded_on)),
        conclusion_number=conclusion.number, concluded_on=conclusion.concluded_on,
        disability_grade=conclusion.grade or None,
        nursing_level=NURSING.get(conclusion.self_care, "") if conclusion.grade else "",
        occupational_disease=bool(previous and previous.occupational_disease),
        veteran_recurrence=(recognition.circumstance == VETERAN) if recognition else bool(
            previous and previous.veteran_recurrence),
        document=document, recorded_by=conclusion.concluded_by)
    if previous:
        CaseConclusion.objects.filter(pk=previous.pk).update(superseded_by=row)  # versioned: never edited
    _timeline(case, EventType.CONCLUSION_RECORDED, conclusion.concluded_by, {
        "conclusion": row.pk, "kind": row.kind, "grade": row.disability_grade, "not_graded": not row.disability_grade,
        "number": row.conclusion_number,
        "appraisal_conclusion": conclusion.pk, "recognition": recognition.pk if recognition else None,
        "paper_recognition": recognition is None}, row)
    return row


def _falls_below_grading(conclusion, previous) -> bool:
    """A 复查 or 再次鉴定 that finds 未达级 while the case still has a graded disability conclusion."""
    return (conclusion.grade == 0 and conclusion.application.kind in (REVIEW, SECOND) and previous is not None
            and previous.kind == ConclusionKind.DISABILITY and bool(previous.disability_grade))


def appraisal_push(*, conclusion, document=None) -> Pushed:
    """The conclusion recorded on the case, then its entitlements computed by the platform (pending).
    A case that cannot be computed (no contribution wages, recognition not decided) keeps the
    conclusion; the reason is returned for staff and the 待遇审核员 completes it by hand."""
    pushed = Pushed()
    try:
        with transaction.atomic():
            pushed.case_conclusion = conclusion_from_appraisal(conclusion=conclusion, document=document)
    except DomainError as exc:
        pushed.problem = str(exc.message)
        return pushed
    if pushed.case_conclusion is None:
        return pushed
    if not pushed.case_conclusion.disability_grade:  # 未达级 at 复查/再次鉴定: only stops are due
        if stops_due(case=pushed.case_conclusion.case).exists():
            pushed.problem = ("鉴定结论为未达级：原伤残等级的按月待遇自结论作出的次月起不再支付，"
                              "待待遇审核员复核后终止。")
        return pushed
    case = pushed.case_conclusion.case
    try:
        with transaction.atomic():
            pushed.entitlements = entitlements_compute(case=case, actor=None, data=_bank_of(case))
    except FieldErrors as exc:
        pushed.problem = "；".join(str(v) for v in exc.errors.values()) or str(exc)
    except DomainError as exc:
        pushed.problem = str(exc.message)
    return pushed
