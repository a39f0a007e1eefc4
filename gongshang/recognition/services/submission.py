"""提交, 撤回 and the application period (条例 第十七条).

Submission checks everything first and answers every problem at once: the required fields (*),
the materials (一次性告知, 422 materials_missing) and the period (an employer late is accepted and
flagged; a worker after 1 year is refused unless staff recorded an extension reason)."""

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import check
from gongshang.core.errors import DomainError, FieldErrors

from .. import deadlines, notifications, selectors
from ..choices import ApplicationStatus
from ..errors import RecognitionErrorCode as E
from ..rules import periods, workflow
from .decision import close_open_suspensions
from .inputs import missing_required
from .region import check_region, insured_region
from .transition import lock, move, move_period, refresh_due

# Another applicant's application in these states means the case is being (or has been) decided.
TAKEN = workflow.TAKEN


def filed_on(application, today):
    """条例 第十七条: the period is met by the FIRST submission; a 补正 resubmission does not restart it."""
    return timezone.localdate(application.submitted_at) if application.submitted_at else today


def _check_case_free(application) -> None:
    """条例 第十七条第二款: the worker or relatives may apply on a case the employer has not applied for;
    once one applicant's application is submitted, the others are told so (without its ids)."""
    taken = (application.case.recognition_applications.exclude(pk=application.pk)
             .exclude(owner_key=application.owner_key).filter(status__in=TAKEN))
    if taken.exists():
        raise DomainError(E.CASE_APPLIED_BY_OTHER, status=409)


def _check_ready(application, today):
    errors = missing_required(application)
    if errors:
        raise FieldErrors(errors, f"请先填写必填项（*）：{'、'.join(errors)}")
    region = check_region(application)
    _check_case_free(application)
    checklist = selectors.checklist(application, on=filed_on(application, today))
    if checklist["missing"]:
        labels = "、".join(item["label"] for item in checklist["missing"])
        raise DomainError(E.MATERIALS_MISSING, f"材料不齐全，请一次性补齐以下材料后再提交：{labels}。", status=422,
                          details={"missing": checklist["missing"]})
    period = deadlines.application_period(application, filed_on=filed_on(application, today))
    if period is not None and period.status == periods.EXPIRED:
        raise DomainError(E.PERIOD_EXPIRED, period.message, status=422,
                          details={"period_due": period.due.isoformat(), "basis": period.basis})
    return period, checklist, region


def application_submit(*, actor, application):
    """提交 (or 补正后重新提交): draft → 待分配; correction_requested → back to its 受理员. A worker's
    draft refused for the 1-year period stays a draft marked expired, in the staff queue
    "超过申请时限待处理" of its 统筹区, where staff may record an accepted reason."""
    check(actor, application, submit_action(application))
    try:
        return _submit(actor, application, timezone.localdate())
    except DomainError as exc:
        if exc.code == E.PERIOD_EXPIRED:
            _mark_expired(actor, application, exc)
        raise


def submit_action(application) -> str:
    """提交 a draft, or 补正后重新提交 an application awaiting correction."""
    return "resubmit" if application.status == ApplicationStatus.CORRECTION_REQUESTED else "submit"


def _submit(actor, application, today):
    with transaction.atomic():
        locked = lock(application)
        action = submit_action(locked)
        if not workflow.WORKFLOW.can(action, locked.status):
            raise DomainError(E.TRANSITION_NOT_ALLOWED, workflow.message_for(action, locked.status), status=409,
                              details={"status": locked.status, "action": action})
        period, checklist, region = _check_ready(locked, today)
        # The assessment made now (in time, or an employer late); a late worker was refused above.
        changes = {"received_on": today, "region": region, "correction_items": locked.correction_items,
                   "period_status": period.status if period else "", "period_due": period.due if period else None}
        if not locked.submitted_at:
            changes["submitted_at"] = timezone.now()
        details = {"materials": checklist["present"], "period_status": changes["period_status"],
                   "period_message": period.message if period else ""}
        submitted = move(actor, locked, action, changes=changes, details=details)
        notifications.notify_status(application=submitted, stage="已提交，等待经办机构受理")
    return submitted


@transaction.atomic
def _mark_expired(actor, application, exc) -> None:
    locked = lock(application)
    if locked.status != ApplicationStatus.DRAFT or not periods.PERIOD_WORKFLOW.can("submit", locked.period_status):
        return
    move_period(actor, locked, "submit", details={"period_message": exc.message},
                changes={"period_due": exc.details["period_due"], "region": insured_region(locked)})


@transaction.atomic
def application_withdraw(*, actor, application, reason: str = ""):
    """撤回: the applicant, before the decision; a 中止 still open ends with the withdrawal."""
    check(actor, application, "withdraw")
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise FieldErrors({"reason": "撤回理由不能超过 500 个字"})
    withdrawn = move(actor, application, "withdraw", details={"reason": reason})
    close_open_suspensions(withdrawn, timezone.localdate())
    from gongshang.service.services.window import window_request_recognition_ended  # 一窗受理 (lazy import)
    window_request_recognition_ended(withdrawn)  # 三事合一: the follow-on matters can never start
    return withdrawn


@transaction.atomic
def application_period_extension_record(*, actor, application, reason: str):
    """Staff record an accepted reason for applying after the period (不可抗力, 经批准延长…): an
    expired (or an employer's late) application is back in time."""
    check(actor, application, "period_extension")
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise FieldErrors({"reason": "请填写准予延长申请时限的理由（如不可抗力、经批准延长），不超过 500 字"})
    locked = lock(application)
    if locked.status not in periods.EXTENSION_STATUSES:
        raise DomainError(E.TRANSITION_NOT_ALLOWED, periods.EXTENSION_CLOSED, status=409,
                          details={"status": locked.status, "action": "period_extension"})
    extended = move_period(actor, locked, "period_extension", changes={"period_extension_reason": reason},
                           details={"reason": reason})
    return refresh_due(extended)
