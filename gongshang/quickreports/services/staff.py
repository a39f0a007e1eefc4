"""Staff actions on a report (快报收件箱): receive, message, open the case, green channel, close.

One transition table for QuickReport.status; the helper locks the row, checks the table and
appends the timeline and audit events.
"""

from django.db import transaction
from django.utils import timezone

from gongshang.cases import services as case_services
from gongshang.cases.choices import CaseStatus
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors

from .. import notifications
from ..choices import ReportEventType, ReportStatus
from ..errors import QuickReportErrorCode as E
from ..models import QuickReport, QuickReportEvent
from . import people

TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.NEW: frozenset({ReportStatus.RECEIVED, ReportStatus.CASE_OPENED, ReportStatus.CLOSED_INVALID}),
    ReportStatus.RECEIVED: frozenset({ReportStatus.CASE_OPENED, ReportStatus.CLOSED_INVALID}),
    ReportStatus.CASE_OPENED: frozenset(),
    ReportStatus.CLOSED_INVALID: frozenset(),
}
MESSAGE_MAX = 200


def _event(report, *, actor, event_type, details=None, request=None):
    QuickReportEvent.objects.create(report=report, event_type=event_type, actor=actor,
                                    actor_label=str(actor)[:100], details=details or {})
    record_event(actor=actor, event_type=event_type, target=report, request=request, region=report.region,
                 details=details or {})


def _transition(*, actor, report, to, event_type, details=None, request=None) -> QuickReport:
    locked = QuickReport.objects.select_for_update().get(pk=report.pk)
    if str(to) not in TRANSITIONS.get(locked.status, frozenset()):
        raise DomainError(E.TRANSITION_NOT_ALLOWED, status=409, details={"from": locked.status, "to": str(to)})
    previous, locked.status = locked.status, to
    locked.save(update_fields=["status"])
    _event(locked, actor=actor, event_type=event_type, request=request,
           details={"from": previous, "to": str(to), **(details or {})})
    return locked


@transaction.atomic
def quick_report_mark_viewed(*, actor, report: QuickReport) -> None:
    """The first staff view clears the unread mark (unread count in the inbox)."""
    if QuickReport.objects.filter(pk=report.pk, first_viewed_at__isnull=True).update(first_viewed_at=timezone.now()):
        _event(report, actor=actor, event_type=ReportEventType.VIEWED)


@transaction.atomic
def quick_report_receive(*, actor, report: QuickReport, request=None) -> QuickReport:
    return _transition(actor=actor, report=report, to=ReportStatus.RECEIVED, event_type=ReportEventType.RECEIVED,
                       request=request)


@transaction.atomic
def quick_report_message(*, actor, report: QuickReport, text: str, request=None) -> QuickReport:
    text = (text or "").strip()
    if not text or len(text) > MESSAGE_MAX:
        raise FieldErrors({"text": f"请填写留言内容（1 到 {MESSAGE_MAX} 个字）"})
    numbers = list(report.accident.cases.order_by("pk").values_list("number", flat=True))
    notifications.send_staff_message(report=report, text=text, case_numbers=numbers)
    _event(report, actor=actor, event_type=ReportEventType.MESSAGED, details={"text": text}, request=request)
    return report


@transaction.atomic
def quick_report_open_case(*, actor, report: QuickReport, request=None) -> QuickReport:
    report = _transition(actor=actor, report=report, to=ReportStatus.CASE_OPENED,
                         event_type=ReportEventType.CASE_OPENED, request=request)
    for case in report.accident.cases.filter(status=CaseStatus.REPORTED):
        case_services.case_transition(actor=actor, case=case, to=CaseStatus.OPENED, reason="工伤快报立案",
                                      request=request)
    return report


@transaction.atomic
def quick_report_green_channel(*, actor, report: QuickReport, request=None) -> QuickReport:
    locked = QuickReport.objects.select_for_update().get(pk=report.pk)
    if locked.status == ReportStatus.CLOSED_INVALID:
        raise DomainError(E.REPORT_CLOSED, "已无效关闭的快报不能开通绿色通道。", status=409)
    for case in locked.accident.cases.all():
        case_services.case_mark_green_channel(actor=actor, case=case, request=request)
    people.refresh_flags(locked)
    _event(locked, actor=actor, event_type=ReportEventType.GREEN_CHANNEL, request=request)
    return locked


@transaction.atomic
def quick_report_close_invalid(*, actor, report: QuickReport, reason: str, request=None) -> QuickReport:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, status=422, details=[{"field": "reason", "message": "请填写关闭原因"}])
    report = _transition(actor=actor, report=report, to=ReportStatus.CLOSED_INVALID,
                         event_type=ReportEventType.CLOSED_INVALID, details={"reason": reason[:500]},
                         request=request)
    QuickReport.objects.filter(pk=report.pk).update(closed_reason=reason[:500])
    report.closed_reason = reason[:500]
    for case in report.accident.cases.exclude(status=CaseStatus.CLOSED):
        case_services.case_transition(actor=actor, case=case, to=CaseStatus.CLOSED, reason=reason[:500],
                                      request=request)
    return report
