"""认定 stage (staff): investigation (two investigators, notes, report), 中止/恢复 (the clock
stops), the decision with its legal basis, and 送达."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.choices import Audience, StaffRole
from gongshang.cases.vault import vault_upload
from gongshang.core.errors import DomainError, FieldErrors

from .. import notifications
from ..choices import DECISION_DOCUMENT, ApplicationStatus, RecognitionEventType
from ..errors import RecognitionErrorCode as E
from ..models import InvestigationNote, RecognitionSuspension
from ..permissions import DECIDE_ROLES, INTAKE_ROLES, INVESTIGATE_ROLES, is_owner, require_staff
from ..rules import decisions, workflow
from .documents import recognition_document_issue
from .transition import application_transition, event_append, lock, refresh_due

REPORT_KIND = "agency_investigation_report"
DELIVERY_METHODS = {"portal": "平台电子送达", "in_person": "直接送达", "mail": "邮寄送达"}


def _investigators(actor, ids) -> list:
    User = get_user_model()
    wanted = list(dict.fromkeys(int(i) for i in ids or [] if str(i).strip().isdigit()))
    users = list(User.objects.filter(pk__in=wanted, kind=Audience.STAFF, jurisdiction=actor.jurisdiction,
                                     is_active=True))
    users = [u for u in users if u.has_role(StaffRole.INVESTIGATOR)]
    if len(users) < 2 or len(users) != len(wanted):
        # 工伤认定办法 第十条: two or more staff investigate together, whatever the case type.
        raise FieldErrors({"investigators": "调查核实须由两名以上工作人员共同进行（《工伤认定办法》第十条），"
                                            "请至少选择两名本统筹区的调查员。"})
    return users


@transaction.atomic
def application_investigate(*, actor, application, investigator_ids, request=None):
    require_staff(actor, *INVESTIGATE_ROLES)
    users = _investigators(actor, investigator_ids)
    started = application_transition(actor=actor, application=application, to=ApplicationStatus.INVESTIGATING,
                                     event_type=RecognitionEventType.INVESTIGATION_STARTED,
                                     details={"investigators": [str(u) for u in users]}, request=request)
    started.investigators.set(users)
    return started


def _investigating(actor, application):
    require_staff(actor, *INVESTIGATE_ROLES)
    locked = lock(application)
    if locked.status != ApplicationStatus.INVESTIGATING:
        raise DomainError(E.TRANSITION_NOT_ALLOWED, "只有调查核实中的申请可以记录调查情况。", status=409)
    return locked


@transaction.atomic
def investigation_note_add(*, actor, application, text: str, request=None) -> InvestigationNote:
    text = (text or "").strip()
    if not text or len(text) > 4000:
        raise FieldErrors({"text": "请填写调查记录（1 到 4000 字）"})
    locked = _investigating(actor, application)
    note = InvestigationNote.objects.create(application=locked, author=actor, text=text)
    event_append(application=locked, event_type=RecognitionEventType.INVESTIGATION_NOTE, actor=actor,
                 request=request, details={"note_id": note.pk})
    return note


@transaction.atomic
def investigation_report_upload(*, actor, application, upload, request=None):
    locked = _investigating(actor, application)
    if upload is None:
        raise FieldErrors({"file": "请选择调查报告文件（PDF 或图片）"})
    document = vault_upload(actor=actor, case=locked.case, kind=REPORT_KIND, upload=upload, title="工伤认定调查报告",
                            request=request, label="调查报告文件")
    locked.investigation_report = document
    locked.save(update_fields=["investigation_report"])
    event_append(application=locked, event_type=RecognitionEventType.INVESTIGATION_REPORT, actor=actor,
                 request=request, details={"document_id": document.pk, "sha256": document.file.sha256})
    return document


@transaction.atomic
def application_suspend(*, actor, application, reason: str, request=None):
    """中止 (条例 第二十条 第三款): awaiting a judicial or administrative conclusion; the clock stops."""
    require_staff(actor, *DECIDE_ROLES)
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise FieldErrors({"reason": "请填写中止原因（如等待司法机关或有关行政主管部门的结论），不超过 500 字"})
    previous = lock(application).status
    suspended = application_transition(actor=actor, application=application, to=ApplicationStatus.SUSPENDED,
                                       event_type=RecognitionEventType.SUSPENDED, changes={"suspended_from": previous},
                                       details={"reason": reason}, request=request)
    RecognitionSuspension.objects.create(application=suspended, started_on=timezone.localdate(),
                                         reason=reason, started_by=actor)
    return refresh_due(suspended)


def close_open_suspensions(application, today) -> None:
    """End every open 中止 row: it covers the days before `today` (lifted the day it began, no day)."""
    for open_row in application.suspensions.filter(ended_on__isnull=True):
        open_row.ended_on = max(today - timedelta(days=1), open_row.started_on - timedelta(days=1))
        open_row.save(update_fields=["ended_on"])


@transaction.atomic
def application_resume(*, actor, application, request=None):
    """恢复: the clock runs again from today (the days of the suspension do not count)."""
    require_staff(actor, *DECIDE_ROLES)
    locked = lock(application)
    back = locked.suspended_from or ApplicationStatus.ACCEPTED
    close_open_suspensions(locked, timezone.localdate())
    resumed = application_transition(actor=actor, application=locked, to=back,
                                     event_type=RecognitionEventType.RESUMED, changes={"suspended_from": ""},
                                     request=request)
    return refresh_due(resumed)


def _check_decidable(locked) -> None:
    if workflow.investigation_required(locked.died, locked.serious_injury):
        if locked.investigators.count() < 2 or locked.investigation_report_id is None:
            raise DomainError(E.INVESTIGATION_REQUIRED, status=409)


@transaction.atomic
def application_decide(*, actor, application, result: str, article: str, reasoning: str, request=None):
    """认定工伤 / 视同工伤 / 不予认定, with its legal basis; the decision document is issued at once."""
    require_staff(actor, *DECIDE_ROLES)
    errors = decisions.basis_errors(result, article, reasoning, lock(application).circumstance)
    if errors:
        raise FieldErrors(errors, "请补全认定结论、法律依据和认定理由：" + "；".join(errors.values()))
    decided = application_transition(
        actor=actor, application=application, to=ApplicationStatus.DECIDED, event_type=RecognitionEventType.DECIDED,
        check=_check_decidable, changes={"decided_on": timezone.localdate(), "decision_result": result,
                                         "decision_article": article.strip(),
                                         "decision_reasoning": reasoning.strip()},
        details={"result": result, "article": article.strip()}, request=request)
    recognition_document_issue(actor=actor, application=decided, kind=DECISION_DOCUMENT[result], request=request)
    return decided


@transaction.atomic
def application_deliver(*, actor, application, method: str = "portal", request=None):
    """送达 (认定办法 第二十二条): staff record it; the applicant's first download of the decision on the
    portal is itself an electronic delivery (method "portal")."""
    if method not in DELIVERY_METHODS:
        raise FieldErrors({"method": f"送达方式应为：{'、'.join(DELIVERY_METHODS)}"})
    if not is_owner(actor, application):
        require_staff(actor, *INTAKE_ROLES)
    delivered = application_transition(actor=actor, application=application, to=ApplicationStatus.DELIVERED,
                                       event_type=RecognitionEventType.DELIVERED,
                                       changes={"delivered_on": timezone.localdate()},
                                       details={"method": method, "method_label": DELIVERY_METHODS[method]},
                                       request=request)
    notifications.notify_status(application=delivered, stage=f"认定决定书已送达（{DELIVERY_METHODS[method]}）")
    return delivered
