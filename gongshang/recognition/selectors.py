"""Recognition reads. Every list starts from `restrict` (RecognitionApplication.access: staff their
统筹区's submitted applications, by role; an employer its own and, once submitted, those naming it;
an individual its own and, once submitted, those about its bound person); one application is
loaded with `get_for`."""

from datetime import timedelta

from django.db.models import Q

from gongshang.accounts.access import get_for, restrict
from gongshang.cases.models import InjuryCase
from gongshang.cases.vault import vault_documents

from . import deadlines
from .choices import ApplicationStatus
from .models import RecognitionApplication
from .permissions import owner_key_for
from .rules import codes, materials, workflow


def application_list(*, actor, status: str = "", q: str = "", action: str = "view"):
    base = RecognitionApplication.objects.select_related("case", "assignee", "employer").prefetch_related(
        "suspensions")
    qs = restrict(actor, base, action)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(case__number__icontains=q.strip()) | Q(injured_name__icontains=q.strip()))
    return qs


def application_access(*, actor, application_id: int, action: str = "view") -> RecognitionApplication:
    """Load-and-check: missing, deleted and out-of-scope applications answer 404; in scope but not
    allowed (a role without the action, an applicant who only sees it) 403."""
    return get_for(actor, RecognitionApplication.objects.select_related("case", "assignee", "employer"),
                   application_id, action)


def staff_queue(*, actor, status=(), assignee=None, overdue: bool = False, period_status: str = ""):
    """Staff lists sorted by urgency: the earliest due date first, then the oldest."""
    qs = application_list(actor=actor, action="queue")
    if status:
        qs = qs.filter(status__in=list(status))
    if period_status:
        qs = qs.filter(period_status=period_status)
    if assignee is not None:
        # One subquery of ids (by the assignee index, and the investigators table), not a join: a join
        # needs DISTINCT, and an OR of the two reads every application.
        user_id = getattr(assignee, "pk", assignee)
        investigating = RecognitionApplication.investigators.through.objects.filter(
            user_id=user_id).values("recognitionapplication_id")
        mine = RecognitionApplication.objects.filter(assignee_id=user_id).order_by().values("pk")
        qs = qs.filter(pk__in=mine.union(investigating.order_by()))
    if overdue:
        from gongshang.core.workdays.calendar import today

        qs = qs.filter(due_on__lt=today(), status__in=list(workflow.OPEN))
    return qs.order_by("due_on", "received_on", "pk")


def near_overdue(*, actor, stale_days: int):
    """Open applications whose stored due date lies within `stale_days` of today (or before)."""
    from gongshang.core.workdays.calendar import today

    return application_list(actor=actor, action="queue").filter(status__in=list(workflow.OPEN),
                                                                 due_on__lt=today() + timedelta(days=stale_days))


def cases_to_apply(*, actor):
    """Cases the applicant may start an application from (quick reports included), without an
    open application yet."""
    # The actor's own open application blocks a case, and another applicant's submitted or decided
    # one; another applicant's mere draft does not (条例 第十七条第二款: the worker may apply where
    # the employer has not).
    owner_key = owner_key_for(actor)
    blocked = RecognitionApplication.objects.filter(owner_key=owner_key).exclude(
        status__in=[ApplicationStatus.DELETED, ApplicationStatus.WITHDRAWN, ApplicationStatus.NOT_ACCEPTED])
    taken = RecognitionApplication.objects.exclude(owner_key=owner_key).filter(status__in=workflow.TAKEN)
    return (restrict(actor, InjuryCase.objects.select_related("accident", "employer"), "start_recognition")
            .exclude(status="closed")
            .exclude(pk__in=blocked.values("case_id")).exclude(pk__in=taken.values("case_id"))
            .order_by("-created_at"))


def facts_of(application, local_extra=()) -> materials.Facts:
    return materials.Facts(circumstance=application.circumstance or "",
                           treatments=tuple(application.treatments or ()), died=application.died,
                           applicant_kind=application.applicant_kind or codes.EMPLOYER,
                           by_agent=application.by_agent, local_extra=tuple(local_extra))


def filing_date(application):
    """The day the application was (first) filed, else today: the local rules in force then apply."""
    from django.utils import timezone

    if application.submitted_at:
        return timezone.localdate(application.submitted_at)
    return application.received_on or timezone.localdate()


def local_extra_materials(application, on=None) -> tuple[str, ...]:
    row = deadlines.local_setting(application.handling_region or application.region, on or filing_date(application))
    return tuple(row.extra_materials or ()) if row else ()


def checklist(application, on=None) -> dict:
    """{"required": [...], "missing": [...], "present": {kind: count}} for the page and the API."""
    present: dict[str, int] = {}
    for document in vault_documents(case=application.case):
        present[document.kind] = present.get(document.kind, 0) + 1
    facts = facts_of(application, local_extra_materials(application, on))
    required = materials.required(facts)
    missing = materials.missing(facts, present)
    return {"required": [_item(r, present) for r in required], "missing": [_item(r, present) for r in missing],
            "present": present}


def _item(requirement, present) -> dict:
    return {"kind": requirement.kind, "label": requirement.label, "basis": requirement.basis,
            "count": present.get(requirement.kind, 0)}


def timeline(application):
    return application.events.select_related("actor").order_by("created_at", "pk")


def documents(application):
    return application.documents.select_related("document", "document__file").order_by("issued_at", "pk")


def document_for(*, actor, application, document_id: int):
    """One issued document of `application` the actor may see (404 otherwise)."""
    from .models import RecognitionDocument

    return get_for(actor, RecognitionDocument.objects.filter(application=application)
                   .select_related("document", "document__file"), document_id, "view")


def material_for(*, actor, application, document_id: int, action: str = "view"):
    """One material of the application's case the actor may take `action` on (CaseDocument.access:
    agency-internal papers 404 to applicants)."""
    from gongshang.cases.models import CaseDocument

    return get_for(actor, CaseDocument.objects.filter(case_id=application.case_id).select_related("file"),
                   document_id, action)


def materials_of(*, actor, application):
    """The current materials of the application's case the actor may see."""
    return vault_documents(case=application.case, actor=actor)
