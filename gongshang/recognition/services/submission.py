"""提交, 撤回 and the application period (条例 第十七条).

Submission checks everything first and answers every problem at once: the required fields (*),
the materials (一次性告知, 422 materials_missing) and the period (an employer late is accepted and
flagged; a worker after 1 year is refused unless staff recorded an extension reason)."""

from django.db import transaction
from django.utils import timezone

from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.regions import pooling_region_of

from .. import deadlines, notifications, selectors
from ..choices import ApplicationStatus, RecognitionEventType
from ..errors import RecognitionErrorCode as E
from ..permissions import INTAKE_ROLES, require_owner, require_staff
from ..rules import periods
from .inputs import missing_required
from .transition import application_transition, event_append, lock, refresh_due


def _check_ready(application, today):
    errors = missing_required(application)
    if errors:
        raise FieldErrors(errors, f"请先填写必填项（*）：{'、'.join(errors)}")
    checklist = selectors.checklist(application)
    if checklist["missing"]:
        labels = "、".join(item["label"] for item in checklist["missing"])
        raise DomainError(E.MATERIALS_MISSING, f"材料不齐全，请一次性补齐以下材料后再提交：{labels}。", status=422,
                          details={"missing": checklist["missing"]})
    period = deadlines.application_period(application, filed_on=today)
    if period is not None and period.status == periods.EXPIRED:
        raise DomainError(E.PERIOD_EXPIRED, period.message, status=422,
                          details={"period_due": period.due.isoformat(), "basis": period.basis})
    return period, checklist


def _region(application) -> str:
    return pooling_region_of(application.handling_region) or application.case.region


def application_submit(*, actor, application, request=None):
    """提交 (or 补正后重新提交): draft → 待分配; correction_requested → back to its 受理员."""
    require_owner(actor, application)
    today = timezone.localdate()
    with transaction.atomic():
        locked = lock(application)
        resubmission = locked.status == ApplicationStatus.CORRECTION_REQUESTED
        period, checklist = _check_ready(locked, today)
        to = ApplicationStatus.ALLOCATED if resubmission else ApplicationStatus.SUBMITTED
        event = RecognitionEventType.RESUBMITTED if resubmission else RecognitionEventType.SUBMITTED
        changes = {"received_on": today, "region": _region(locked), "correction_items": locked.correction_items,
                   "period_status": period.status if period else "", "period_due": period.due if period else None}
        if not locked.submitted_at:
            changes["submitted_at"] = timezone.now()
        details = {"materials": checklist["present"], "period_status": changes["period_status"],
                   "period_message": period.message if period else ""}
        submitted = application_transition(actor=actor, application=locked, to=to, event_type=event,
                                           changes=changes, details=details, request=request)
        notifications.notify_status(application=submitted, stage="已提交，等待经办机构受理")
    return submitted


def application_withdraw(*, actor, application, reason: str = "", request=None):
    """撤回: the applicant, before the decision."""
    require_owner(actor, application)
    return application_transition(actor=actor, application=application, to=ApplicationStatus.WITHDRAWN,
                                  event_type=RecognitionEventType.WITHDRAWN, request=request,
                                  details={"reason": (reason or "").strip()[:500]})


@transaction.atomic
def application_period_extension_record(*, actor, application, reason: str, request=None):
    """Staff record an accepted reason for applying after the period (不可抗力, 经批准延长…)."""
    require_staff(actor, *INTAKE_ROLES)
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": "请填写准予延长申请时限的理由（如不可抗力、经批准延长）"})
    locked = lock(application)
    locked.period_extension_reason = reason[:500]
    if locked.period_status in (periods.EXPIRED, periods.EMPLOYER_LATE):
        locked.period_status = periods.IN_TIME
    locked.save(update_fields=["period_extension_reason", "period_status"])
    event_append(application=locked, event_type=RecognitionEventType.PERIOD_EXTENSION, actor=actor,
                 request=request, details={"reason": locked.period_extension_reason})
    return refresh_due(locked)
