"""Reads of 一窗受理: the requests an account reaches, the back office's queue of follow-on matters
(by due date; each desk its own kind), and the counter's search for the person or the case."""

from django.db.models import F, Q, QuerySet

from gongshang.accounts.access import require, restrict
from gongshang.core.pii.crypto import blind_index

from ..models import WindowMatter, WindowRequest
from ..rules import window as rules

REQUEST_RELATED = ("case", "case__employer", "recognition")
QUEUE_DEFAULT = (rules.WAITING, rules.PREPARED, rules.CREATED)


def window_request_list(*, actor, action: str = "view", filters: dict | None = None) -> QuerySet:
    filters = filters or {}
    qs = restrict(actor, WindowRequest, action).select_related(*REQUEST_RELATED)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("case_number"):
        qs = qs.filter(case__number=filters["case_number"].strip())
    return qs.order_by("-created_at", "-pk")


def window_queue(*, actor, filters: dict | None = None) -> QuerySet:
    """The follow-on matters of the actor's 统筹区 its desk works (鉴定管理员: 鉴定; 待遇审核员: 待遇; the
    window both), open ones by default, the nearest statutory date first (undated last)."""
    filters = filters or {}
    kinds = rules.queue_kinds(actor.role_codes)
    qs = restrict(actor, WindowMatter, "queue").filter(kind__in=kinds).select_related(
        "request", "request__case", "request__recognition", "prepared_by")
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    statuses = [filters["status"]] if filters.get("status") else list(QUEUE_DEFAULT)
    qs = qs.filter(status__in=statuses).exclude(request__recognition__status__in=rules.RECOGNITION_ENDED)
    if filters.get("case_number"):
        qs = qs.filter(request__case__number=filters["case_number"].strip())
    return qs.order_by(F("due_date").asc(nulls_last=True), "request__created_at", "pk")


def counter_cases(*, actor, query: str) -> QuerySet:
    """The counter's search (综合窗口): cases of the actor's 统筹区 by case number or by the injured
    person's 身份证号 (exact, through its blind index; nothing is shown unmasked)."""
    from gongshang.cases.models import InjuryCase

    require(actor, "window_request", "create")
    query = (query or "").strip().upper()
    if not query or not actor.jurisdiction:
        return InjuryCase.objects.none()
    where = Q(number=query)
    if len(query) == 18:
        where |= Q(injured_id_number_index=blind_index(query))
    return (InjuryCase.objects.filter(region=actor.jurisdiction).filter(where)
            .select_related("employer", "person").order_by("-created_at")[:20])


def counter_case(*, actor, case_id: int):
    """One case of the actor's 统筹区 for the counter (404 outside it)."""
    from gongshang.cases.models import InjuryCase
    from gongshang.core.errors import NotFound

    require(actor, "window_request", "create")
    case = (InjuryCase.objects.filter(pk=case_id, region=actor.jurisdiction or "-")
            .select_related("employer", "person").first())
    if case is None:
        raise NotFound("没有找到该案件。")
    return case


def requests_of_case(*, actor, case) -> QuerySet:
    return restrict(actor, WindowRequest.objects.filter(case=case), "view").select_related(*REQUEST_RELATED)
