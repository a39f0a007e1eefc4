"""Staff actions on a report (快报收件箱): receive, message, open the case, green channel, close.

Every action is checked against the matrix (core.workflow.transition for the workflow steps of
rules.WORKFLOW, `check` for the message); whoever calls these, a page, the API or a task, gets
the same refusal.
"""

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import check
from gongshang.cases import services as case_services
from gongshang.cases.rules import WORKFLOW as CASE_WORKFLOW
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.workflow import transition

from .. import notifications
from ..choices import ReportEventType
from ..errors import QuickReportErrorCode as E
from ..models import QuickReport, QuickReportEvent
from . import people

MESSAGE_MAX = 200
STALE = E.TRANSITION_NOT_ALLOWED.label
GREEN_CHANNEL_ALREADY = "该快报已开通绿色通道，无需重复开通；请刷新页面查看最新状态。"


def _event(report, *, actor, event_type, details=None):
    QuickReportEvent.objects.create(report=report, event_type=event_type, actor=actor,
                                    actor_label=str(actor)[:100], details=details or {})
    record_event(actor=actor, event_type=event_type, target=report, region=report.region, details=details or {})


def _cases(report, action):
    """The report's cases the case workflow lets `action` start from (others are left as they are)."""
    return report.accident.cases.filter(status__in=CASE_WORKFLOW.steps[action].sources).order_by("pk")


@transaction.atomic
def quick_report_mark_viewed(*, actor, report: QuickReport) -> None:
    """The first staff view clears the unread mark (unread count in the inbox)."""
    check(actor, report, "queue")
    if QuickReport.objects.filter(pk=report.pk, first_viewed_at__isnull=True).update(first_viewed_at=timezone.now()):
        _event(report, actor=actor, event_type=ReportEventType.VIEWED)


def quick_report_receive(*, actor, report: QuickReport) -> QuickReport:
    return transition(actor, report, "receive", event_type=ReportEventType.RECEIVED, message=STALE)


@transaction.atomic
def quick_report_message(*, actor, report: QuickReport, text: str) -> QuickReport:
    check(actor, report, "message")
    text = (text or "").strip()
    if not text or len(text) > MESSAGE_MAX:
        raise FieldErrors({"text": f"请填写留言内容（1 到 {MESSAGE_MAX} 个字）"})
    numbers = list(report.accident.cases.order_by("pk").values_list("number", flat=True))
    notifications.send_staff_message(report=report, text=text, case_numbers=numbers)
    _event(report, actor=actor, event_type=ReportEventType.MESSAGED, details={"text": text})
    return report


@transaction.atomic
def quick_report_open_case(*, actor, report: QuickReport) -> QuickReport:
    report = transition(actor, report, "open_case", event_type=ReportEventType.CASE_OPENED, message=STALE)
    for case in _cases(report, "open"):
        case_services.case_open(actor=actor, case=case, reason="工伤快报立案")
    return report


@transaction.atomic
def quick_report_green_channel(*, actor, report: QuickReport) -> QuickReport:
    # The step keeps the status, so the table alone cannot refuse a second click (another tab):
    # lock the report, then refuse when every case already has the channel (one entry, one event).
    check(actor, report, "green_channel")
    locked = QuickReport.objects.select_for_update().get(pk=report.pk)
    cases = list(locked.accident.cases.all())
    if cases and all(c.green_channel for c in cases):
        raise DomainError(E.TRANSITION_NOT_ALLOWED, GREEN_CHANNEL_ALREADY, status=409,
                          details={"status": locked.status, "action": "green_channel"})
    report = transition(actor, report, "green_channel", event_type=ReportEventType.GREEN_CHANNEL,
                        message="已无效关闭的快报不能开通绿色通道。")
    for case in report.accident.cases.order_by("pk"):
        case_services.case_mark_green_channel(actor=actor, case=case)
    people.refresh_flags(report)
    return report


@transaction.atomic
def quick_report_close_invalid(*, actor, report: QuickReport, reason: str) -> QuickReport:
    reason = (reason or "").strip()[:500]
    check(actor, report, "close_invalid")  # the role before the form: a refused role learns nothing more
    if not reason:
        raise DomainError(E.REASON_REQUIRED, status=422, details=[{"field": "reason", "message": "请填写关闭原因"}])
    report = transition(actor, report, "close_invalid", event_type=ReportEventType.CLOSED_INVALID,
                        details={"reason": reason}, changes={"closed_reason": reason}, message=STALE)
    for case in _cases(report, "close"):
        case_services.case_close(actor=actor, case=case, reason=reason)
    return report
