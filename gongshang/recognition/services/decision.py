"""认定 stage (staff): investigation (two investigators, notes, report), 中止/恢复 (the clock
stops), the decision with its legal basis, and 送达."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import check
from gongshang.accounts.choices import Audience, StaffRole
from gongshang.cases.vault import vault_upload
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.validators import ascii_digits
from gongshang.medical.services.push import recognition_decided

from .. import notifications
from ..choices import DECISION_DOCUMENT, RecognitionEventType
from ..errors import RecognitionErrorCode as E
from ..models import InvestigationNote, RecognitionSuspension
from ..permissions import is_owner
from ..rules import decisions, workflow
from .documents import recognition_document_issue
from .transition import event_append, lock, move, refresh_due

REPORT_KIND = "agency_investigation_report"
DELIVERY_METHODS = {"portal": "平台电子送达", "in_person": "直接送达", "mail": "邮寄送达"}


def _investigators(actor, ids) -> list:
    User = get_user_model()
    wanted = list(dict.fromkeys(int(i) for i in ids or [] if ascii_digits(str(i).strip())))
    users = list(User.objects.filter(pk__in=wanted, kind=Audience.STAFF, jurisdiction=actor.jurisdiction,
                                     is_active=True))
    users = [u for u in users if u.has_role(StaffRole.INVESTIGATOR)]
    if len(users) < 2 or len(users) != len(wanted):
        # 工伤认定办法 第十条: two or more staff investigate together, whatever the case type.
        raise FieldErrors({"investigators": "调查核实须由两名以上工作人员共同进行（《工伤认定办法》第十条），"
                                            "请至少选择两名本统筹区的调查员。"})
    return users


@transaction.atomic
def application_investigate(*, actor, application, investigator_ids):
    check(actor, application, "investigate")
    users = _investigators(actor, investigator_ids)
    started = move(actor, application, "investigate", details={"investigators": [str(u) for u in users]})
    started.investigators.set(users)
    return started


def _investigating(actor, application, action: str):
    """The locked application, when `action` (note, report: no status change) is allowed on it now."""
    check(actor, application, action)
    locked = lock(application)
    if not workflow.WORKFLOW.can(action, locked.status):  # the table's step (status unchanged)
        raise DomainError(E.TRANSITION_NOT_ALLOWED, workflow.message_for(action, locked.status), status=409)
    return locked


@transaction.atomic
def investigation_note_add(*, actor, application, text: str) -> InvestigationNote:
    text = (text or "").strip()
    if not text or len(text) > 4000:
        raise FieldErrors({"text": "请填写调查记录（1 到 4000 字）"})
    locked = _investigating(actor, application, "note")
    note = InvestigationNote.objects.create(application=locked, author=actor, text=text)
    event_append(application=locked, event_type=RecognitionEventType.INVESTIGATION_NOTE, actor=actor,
                 details={"note_id": note.pk})
    return note


@transaction.atomic
def investigation_report_upload(*, actor, application, upload):
    locked = _investigating(actor, application, "report")
    if upload is None:
        raise FieldErrors({"file": "请选择调查报告文件（PDF 或图片）"})
    document = vault_upload(actor=actor, case=locked.case, kind=REPORT_KIND, upload=upload, title="工伤认定调查报告",
                            label="调查报告文件")
    locked.investigation_report = document
    locked.save(update_fields=["investigation_report"])
    event_append(application=locked, event_type=RecognitionEventType.INVESTIGATION_REPORT, actor=actor,
                 details={"document_id": document.pk, "sha256": document.file.sha256})
    return document


@transaction.atomic
def application_suspend(*, actor, application, reason: str):
    """中止 (条例 第二十条 第三款): awaiting a judicial or administrative conclusion; the clock stops."""
    check(actor, application, "suspend")
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise FieldErrors({"reason": "请填写中止原因（如等待司法机关或有关行政主管部门的结论），不超过 500 字"})
    previous = lock(application).status
    suspended = move(actor, application, "suspend", changes={"suspended_from": previous},
                     details={"reason": reason})
    RecognitionSuspension.objects.create(application=suspended, started_on=timezone.localdate(),
                                         reason=reason, started_by=actor)
    return refresh_due(suspended)


def close_open_suspensions(application, today) -> None:
    """End every open 中止 row: it covers the days before `today` (lifted the day it began, no day)."""
    for open_row in application.suspensions.filter(ended_on__isnull=True):
        open_row.ended_on = max(today - timedelta(days=1), open_row.started_on - timedelta(days=1))
        open_row.save(update_fields=["ended_on"])


def resume_action(application) -> str:
    """恢复 goes back where the application was: investigating, else accepted."""
    return "resume_investigation" if application.suspended_from == workflow.INVESTIGATING else "resume"


@transaction.atomic
def application_resume(*, actor, application):
    """恢复: the clock runs again from today (the days of the suspension do not count)."""
    locked = lock(application)
    action = resume_action(locked)
    check(actor, locked, action)
    close_open_suspensions(locked, timezone.localdate())
    resumed = move(actor, locked, action, changes={"suspended_from": ""})
    return refresh_due(resumed)


def _check_decidable(locked) -> None:
    if workflow.investigation_required(locked.died, locked.serious_injury):
        # 合作经办 assistants (service/services/cooperation.py) do not count: 认定办法 第十条 asks for agency staff.
        agency = locked.investigators.filter(role_assignments__role=StaffRole.INVESTIGATOR).distinct()
        if agency.count() < 2 or locked.investigation_report_id is None:
            raise DomainError(E.INVESTIGATION_REQUIRED, status=409)


@transaction.atomic
def application_decide(*, actor, application, result: str, article: str, reasoning: str):
    """认定工伤 / 视同工伤 / 不予认定, with its legal basis; the decision document is issued at once."""
    check(actor, application, "decide")
    locked = lock(application)
    errors = decisions.basis_errors(result, article, reasoning, locked.circumstance)
    if errors:
        raise FieldErrors(errors, "请补全认定结论、法律依据和认定理由：" + "；".join(errors.values()))
    if workflow.WORKFLOW.can("decide", locked.status):  # a stale status answers the table's 409 below
        _check_decidable(locked)
    decided = move(actor, locked, "decide",
                   changes={"decided_on": timezone.localdate(), "decision_result": result,
                            "decision_article": article.strip(), "decision_reasoning": reasoning.strip()},
                   details={"result": result, "article": article.strip()})
    recognition_document_issue(actor=actor, application=decided, kind=DECISION_DOCUMENT[result])
    recognition_decided(decided)  # 四方联动: tell the treating agreement institution (工伤医疗)
    from gongshang.service.services.window import window_request_recognition_decided  # 一窗受理 (lazy import)
    window_request_recognition_decided(decided)  # 三事合一: the follow-on matters from the same materials
    return decided


@transaction.atomic
def application_deliver(*, actor, application, method: str = "portal"):
    """送达 (认定办法 第二十二条): staff record it ("deliver"); the applicant's download of the decision
    on the portal is itself an electronic delivery ("receive_decision", method "portal")."""
    if method not in DELIVERY_METHODS:
        raise FieldErrors({"method": f"送达方式应为：{'、'.join(DELIVERY_METHODS)}"})
    action = "receive_decision" if is_owner(actor, application) else "deliver"
    delivered = move(actor, application, action, changes={"delivered_on": timezone.localdate()},
                     details={"method": method, "method_label": DELIVERY_METHODS[method]})
    notifications.notify_status(application=delivered, stage=f"认定决定书已送达（{DELIVERY_METHODS[method]}）")
    return delivered
