"""工伤就医资格 (条例 第三十条): may this institution treat and settle this person under 工伤保险 on a day?

Eligible: the person has a case recognised as 工伤 or 视同工伤 (认定决定, 条例 第十七条), or whose
旧伤复发 / 工伤康复 has been confirmed by the appraisal committee (条例 第三十八条, 第三十条 第四款),
on or before the day. Several such cases: the most recent one answers, and the reason says so.
Answers by the place of treatment (工伤保险省内异地就医直接结算): an institution learns only about
cases of its own 统筹区, or cases with a registration to be treated in its 统筹区 active on the day;
any other case answers "not eligible" with the same reason as no case at all (nothing leaks).
Every check is recorded without the ID number in clear, and counted by the rate limit.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.accounts.choices import Audience
from gongshang.cases.choices import CaseStatus
from gongshang.cases.models import InjuryCase
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.crypto import blind_index
from gongshang.core.pii.masking import mask_id_number
from gongshang.core.ratelimit import hit
from gongshang.core.validators import validate_id_number
from gongshang.registry.models import InsuredPerson

from ..choices import EventType, RemoteStatus
from ..errors import MedicalErrorCode
from ..models import AgreementInstitution, RemoteRegistration

RECOGNISED_RESULTS = ("recognized", "deemed")          # recognition rules/codes.py DECISIONS
RECOGNISED_STATUSES = ("decided", "delivered")          # the decision has been made (送达 or not)
CONFIRMATION_KINDS = ("relapse", "rehabilitation")      # appraisal rules/codes.py: 旧伤复发确认, 工伤康复确认
DEFAULT_LIMIT = 300
DEFAULT_WINDOW_SECONDS = 600
NOT_FOUND_REASON = ("未查到可在本机构按工伤医疗结算的工伤：须为本统筹区已认定的工伤，或已备案到本统筹区就医的"
                    "异地就医人员。如职工刚认定工伤，请稍后再查或请其联系参保地经办机构。")


@dataclass
class Basis:
    """Why one case is eligible on the day: the recognition (or confirmation) and its date."""

    case: InjuryCase
    recognized_on: date | None
    basis_on: date
    kind: str                   # "recognition" | "relapse" | "rehabilitation"
    body_part: str
    diagnosis: str


def institution_of(actor) -> AgreementInstitution | None:
    """The agreement institution an institution account acts for (its API client), if any."""
    if getattr(actor, "kind", None) != Audience.INSTITUTION:
        return None
    return AgreementInstitution.objects.filter(api_clients=actor).order_by("pk").first()


def require_agreement(actor, on: date) -> AgreementInstitution | None:
    """The actor's institution, refused (403 institution_no_agreement) without an agreement in force on
    `on`; None for staff (who answer for their 统筹区)."""
    if getattr(actor, "kind", None) != Audience.INSTITUTION:
        return None
    institution = institution_of(actor)
    if institution is None or not institution.agreement_in_force(on):
        raise DomainError(MedicalErrorCode.NO_AGREEMENT, status=403)
    return institution


def active_registration(case, on: date, treatment_region: str | None = None):
    """The 异地就医备案 of `case` active on `on` (status active, start ≤ on ≤ valid until)."""
    rows = RemoteRegistration.objects.filter(case=case, status=RemoteStatus.ACTIVE, start_date__lte=on,
                                             valid_until__gte=on)
    if treatment_region is not None:
        rows = rows.filter(treatment_region=treatment_region)
    return rows.order_by("-start_date", "-pk").first()


def _bases(cases, on: date) -> list[Basis]:
    """Each case's most recent eligibility basis on `on` (recognition or confirmation), newest first."""
    from gongshang.appraisal.models import AppraisalConclusion
    from gongshang.recognition.models import RecognitionApplication

    cases = list(cases)
    found: dict[int, Basis] = {}
    decisions = (RecognitionApplication.objects
                 .filter(case__in=cases, status__in=RECOGNISED_STATUSES, decision_result__in=RECOGNISED_RESULTS,
                         decided_on__lte=on)
                 .order_by("decided_on", "pk"))
    by_id = {case.pk: case for case in cases}
    for decision in decisions:
        case = by_id[decision.case_id]
        found[case.pk] = Basis(case=case, recognized_on=decision.decided_on, basis_on=decision.decided_on,
                               kind="recognition", body_part=decision.body_part or case.body_part,
                               diagnosis=decision.diagnosis)
    confirmations = (AppraisalConclusion.objects
                     .filter(case__in=cases, confirmed=True, application__kind__in=CONFIRMATION_KINDS,
                             concluded_on__lte=on)
                     .select_related("application").order_by("concluded_on", "pk"))
    for conclusion in confirmations:
        case = by_id[conclusion.case_id]
        known = found.get(case.pk)
        if known is not None and known.basis_on > conclusion.concluded_on:
            continue
        found[case.pk] = Basis(case=case, recognized_on=known.recognized_on if known else None,
                               basis_on=conclusion.concluded_on, kind=conclusion.application.kind,
                               body_part=known.body_part if known else case.body_part,
                               diagnosis=(known.diagnosis if known else "") or conclusion.confirmation_detail)
    return sorted(found.values(), key=lambda b: (b.basis_on, b.case.pk), reverse=True)


def recognised_injury(case, on: date) -> Basis | None:
    """The case's eligibility basis on `on` (the recognised body part and diagnosis), for the
    reviewer's page; None when the case is not (or not yet) recognised."""
    bases = _bases([case], on)
    return bases[0] if bases else None


def _reachable(basis: Basis, on: date, institution, actor):
    """(reachable, active registration): the case answers to this institution (place of treatment)
    or to this staff member's 统筹区."""
    if institution is None:
        return basis.case.region == actor.jurisdiction, active_registration(basis.case, on)
    if basis.case.region == institution.region:
        return True, active_registration(basis.case, on)
    registration = active_registration(basis.case, on, institution.region)
    return registration is not None, registration


def case_eligibility(cases, on: date, *, institution=None, actor=None) -> tuple[Basis | None, object, int]:
    """(the answering basis or None, its active registration, how many cases are eligible here)."""
    reachable = []
    for basis in _bases(cases, on):
        ok, registration = _reachable(basis, on, institution, actor)
        if ok:
            reachable.append((basis, registration))
    if not reachable:
        return None, None, 0
    return reachable[0][0], reachable[0][1], len(reachable)


def _reason(basis: Basis, count: int) -> str:
    on = f"{basis.basis_on:%Y年%m月%d日}"
    what = {"recognition": f"已于 {on} 认定为工伤", "relapse": f"旧伤复发已于 {on} 确认",
            "rehabilitation": f"工伤康复已于 {on} 确认"}[basis.kind]
    text = f"{what}，可按工伤医疗直接结算。"
    if count > 1:
        text += f"该人员共有 {count} 起可在本机构结算的工伤，以上为最近认定的一起（案件 {basis.case.number}），" \
                "其他工伤的治疗请按对应案件登记。"
    return text


PENDING_REASON = ("该职工的工伤认定正在办理中：可先登记住院（凭案件编号），暂不能结算；认定为工伤后平台将通知本机构，"
                  "出院时直接结算。")


def pending_case(cases, on: date, *, institution=None, actor=None) -> InjuryCase | None:
    """四方联动: the newest case of the person that is still on its way to a recognition on `on` — not
    closed, the accident on or before that day, no recognition decided for it yet (a decision either
    way ends the wait) — and that answers to this institution's 统筹区 (or the staff member's). A
    hospital may register the stay of such a case; it settles once the case is recognised."""
    from gongshang.recognition.models import RecognitionApplication

    region = institution.region if institution is not None else getattr(actor, "jurisdiction", "")
    candidates = (InjuryCase.objects.filter(pk__in=[c.pk for c in cases], region=region)
                  .exclude(status=CaseStatus.CLOSED).select_related("accident").order_by("-created_at", "-pk"))
    decided = set(RecognitionApplication.objects.filter(case__in=candidates, status__in=RECOGNISED_STATUSES)
                  .values_list("case_id", flat=True))
    for case in candidates:
        occurred = case.accident.occurred_at if case.accident_id else None
        if case.pk in decided or (occurred is not None and timezone.localdate(occurred) > on):
            continue
        return case
    return None


def _clean_id_number(id_number: str, on: date) -> str:
    try:
        return validate_id_number(id_number, today=max(on, timezone.localdate()))
    except ValidationError as exc:
        raise FieldErrors({"id_number": f"{exc.messages[0]}（参数 id_number）"}) from exc


def answer(basis: Basis | None, registration, count: int) -> dict:
    if basis is None:
        return {"eligible": False, "case_number": None, "injury": None, "recognized_on": None,
                "remote_registration": None, "reason": NOT_FOUND_REASON}
    return {
        "eligible": True,
        "case_number": basis.case.number,
        "injury": {"body_part": basis.body_part, "diagnosis": basis.diagnosis},
        "recognized_on": basis.recognized_on,
        "remote_registration": None if registration is None else {
            "id": registration.pk, "treatment_region": registration.treatment_region,
            "valid_until": registration.valid_until},
        "reason": _reason(basis, count),
    }


def eligibility_check(*, actor, id_number: str, on: date) -> dict:
    """The eligibility answer for `id_number` on `on`, asked by an institution (with an agreement in
    force that day) or a 稽核员 (for the cases of their 统筹区)."""
    require(actor, "medical_eligibility", "check")
    limit = int(getattr(settings, "MEDICAL_ELIGIBILITY_LIMIT", DEFAULT_LIMIT))
    window = int(getattr(settings, "MEDICAL_ELIGIBILITY_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))
    hit(f"medical-eligibility:{actor.pk}", limit=limit, window_seconds=window,
        message=f"工伤就医资格查询过于频繁（每 {window // 60} 分钟最多 {limit} 次），请稍后再试。")
    number = _clean_id_number(id_number, on)
    institution = require_agreement(actor, on)
    index = blind_index(number)
    person = InsuredPerson.objects.filter(id_number_index=index).first()
    where = Q(injured_id_number_index=index)
    if person is not None:
        where |= Q(person=person)
    basis, registration, count = case_eligibility(InjuryCase.objects.filter(where), on, institution=institution,
                                                  actor=actor)
    result = answer(basis, registration, count)
    if basis is None:
        waiting = pending_case(InjuryCase.objects.filter(where), on, institution=institution, actor=actor)
        if waiting is not None:
            result.update(case_number=waiting.number, reason=PENDING_REASON)
    record_event(actor=actor, event_type=EventType.ELIGIBILITY_CHECKED, target=basis.case if basis else None,
                 region=institution.region if institution else actor.jurisdiction or "",
                 details={"id_number": mask_id_number(number), "on": on.isoformat(), "eligible": result["eligible"],
                          "case_number": result["case_number"] or "",
                          "institution": institution.code if institution else ""})
    return result
