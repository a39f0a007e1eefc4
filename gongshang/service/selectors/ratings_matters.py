"""The matters an applicant may rate (好差评): each finished matter of their own cases, or the
12333 ticket they called about, and the load-and-check of one of them.

Finished (办结) per matter: a recognition decided or delivered; an appraisal concluded or delivered;
benefits: an approved entitlement on the case; a window request closed or whose follow-on matters
were created; a ticket closed (rules/ratings.py). The applicant: the worker of the case (a bound
individual account) or a handler of the case's employer; for a ticket, the caller's mobile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from gongshang.accounts.choices import Audience
from gongshang.core.errors import NotFound

from ..choices import RatedMatter
from ..models import Rating, Ticket, WindowRequest
from ..rules import ratings as rules

NOT_YOURS = "没有找到该事项，或该事项不是您本人（本单位）申请的。"
LIMIT = 50  # per kind on the applicant's page: the most recent


@dataclass(frozen=True)
class Matter:
    """One matter as a rating needs it: whose office handled it, which case, whether it is finished."""

    kind: str
    id: int
    region: str
    case: object | None
    finished: bool
    title: str
    finished_on: date | None = None

    @property
    def kind_label(self) -> str:
        return str(RatedMatter(self.kind).label)


def is_applicant(actor, case) -> bool:
    """The worker of the case (bound individual account) or a handler of the case's employer."""
    if case is None:
        return False
    if actor.kind == Audience.INDIVIDUAL:
        return bool(actor.person_id) and case.person_id == actor.person_id
    if actor.kind == Audience.EMPLOYER:
        return bool(actor.employer_id) and case.employer_id == actor.employer_id
    return False


def is_caller(actor, ticket) -> bool:
    """The caller of a ticket is known by the mobile they called from (both blind indexes)."""
    return bool(getattr(actor, "mobile_index", None)) and ticket.caller_mobile_index == actor.mobile_index


def _local(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def _recognition(row) -> Matter:
    return Matter(RatedMatter.RECOGNITION, row.pk, row.region, row.case, row.status in rules.RECOGNITION_FINISHED,
                  f"工伤认定申请（案件 {row.case.number}）", row.delivered_on or row.decided_on)


def _appraisal(row) -> Matter:
    return Matter(RatedMatter.APPRAISAL, row.pk, row.region, row.case, row.status in rules.APPRAISAL_FINISHED,
                  f"{row.get_kind_display()}（案件 {row.case.number}）", row.delivered_on or row.concluded_on)


def _benefits(case, approved_at) -> Matter:
    return Matter(RatedMatter.BENEFITS, case.pk, case.region, case, approved_at is not None,
                  f"工伤保险待遇核定（案件 {case.number}）", _local(approved_at))


def _window(row) -> Matter:
    return Matter(RatedMatter.WINDOW, row.pk, row.region, row.case, row.status in rules.WINDOW_FINISHED,
                  f"综合窗口受理（案件 {row.case.number}）", _local(row.created_at))


def _ticket(row) -> Matter:
    return Matter(RatedMatter.TICKET, row.pk, row.region, row.case, row.status in rules.TICKET_FINISHED,
                  f"12333 热线工单 {row.number}", _local(row.closed_at))


def _first_approval(case_ids):
    """case id → the first approval time of an approved entitlement on it."""
    from django.db.models import Min

    from gongshang.benefits.models import Entitlement

    rows = (Entitlement.objects.filter(case_id__in=case_ids, status__in=rules.ENTITLEMENT_APPROVED,
                                       approved_at__isnull=False)
            .values("case_id").annotate(first=Min("approved_at")))
    return {r["case_id"]: r["first"] for r in rows}


def _load(matter: str, pk: int) -> Matter | None:
    from gongshang.appraisal.models import AppraisalApplication
    from gongshang.cases.models import InjuryCase
    from gongshang.recognition.models import RecognitionApplication

    if matter == RatedMatter.RECOGNITION:
        row = RecognitionApplication.objects.select_related("case").filter(pk=pk).first()
        return _recognition(row) if row else None
    if matter == RatedMatter.APPRAISAL:
        row = AppraisalApplication.objects.select_related("case").filter(pk=pk).first()
        return _appraisal(row) if row else None
    if matter == RatedMatter.BENEFITS:
        case = InjuryCase.objects.filter(pk=pk).first()
        return _benefits(case, _first_approval([pk]).get(pk)) if case else None
    if matter == RatedMatter.WINDOW:
        row = WindowRequest.objects.select_related("case").filter(pk=pk).first()
        return _window(row) if row else None
    if matter == RatedMatter.TICKET:
        row = Ticket.objects.select_related("case").filter(pk=pk).first()
        return _ticket(row) if row else None
    return None


def matter_for(actor, matter: str, matter_id) -> Matter:
    """The matter `actor` applied for (or called about); 404 when it is missing or someone else's."""
    valid = matter in RatedMatter.values and isinstance(matter_id, int) and 0 < matter_id < 2**63
    found = _load(matter, matter_id) if valid else None
    if found is None:
        raise NotFound(NOT_YOURS)
    if matter == RatedMatter.TICKET:
        if not is_caller(actor, Ticket.objects.get(pk=found.id)):
            raise NotFound(NOT_YOURS)
    elif not is_applicant(actor, found.case):
        raise NotFound(NOT_YOURS)
    return found


def _own_cases(actor) -> Q | None:
    if actor.kind == Audience.INDIVIDUAL and actor.person_id:
        return Q(person_id=actor.person_id)
    if actor.kind == Audience.EMPLOYER and actor.employer_id:
        return Q(employer_id=actor.employer_id)
    return None


def ratable_matters(actor) -> list[Matter]:
    """The finished matters `actor` applied for and has not rated yet, most recently finished first."""
    from gongshang.appraisal.models import AppraisalApplication
    from gongshang.cases.models import InjuryCase
    from gongshang.recognition.models import RecognitionApplication

    rated = set(Rating.objects.filter(rater=actor).values_list("matter", "matter_id"))
    found: list[Matter] = []
    cases_q = _own_cases(actor)
    if cases_q is not None:
        cases = InjuryCase.objects.filter(cases_q)
        found += [_recognition(r) for r in RecognitionApplication.objects.select_related("case")
                  .filter(case__in=cases, status__in=rules.RECOGNITION_FINISHED).order_by("-pk")[:LIMIT]]
        found += [_appraisal(r) for r in AppraisalApplication.objects.select_related("case")
                  .filter(case__in=cases, status__in=rules.APPRAISAL_FINISHED).order_by("-pk")[:LIMIT]]
        approvals = _first_approval(cases.values("pk"))
        found += [_benefits(c, approvals[c.pk]) for c in InjuryCase.objects.filter(pk__in=list(approvals))
                  .order_by("-pk")[:LIMIT]]
        found += [_window(r) for r in WindowRequest.objects.select_related("case")
                  .filter(case__in=cases, status__in=rules.WINDOW_FINISHED).order_by("-pk")[:LIMIT]]
    if getattr(actor, "mobile_index", None):
        found += [_ticket(r) for r in Ticket.objects.select_related("case")
                  .filter(caller_mobile_index=actor.mobile_index, status__in=rules.TICKET_FINISHED,
                          callback_at__isnull=True)
                  .exclude(pk__in=Rating.objects.filter(matter=RatedMatter.TICKET).values("matter_id"))
                  .order_by("-pk")[:LIMIT]]
    waiting = [m for m in found if (str(m.kind), m.id) not in rated]
    waiting.sort(key=lambda m: (m.finished_on or date.min, m.id), reverse=True)
    return waiting
