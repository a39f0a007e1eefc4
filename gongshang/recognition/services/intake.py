"""受理 stage (staff): allocate to a 受理员, accept (受理通知书), ask for corrections once
(补正材料通知书, 认定办法 第八条), or refuse (不予受理决定书)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import check, get_for, require
from gongshang.accounts.choices import Audience, StaffRole
from gongshang.cases import services as case_services
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import DomainError, FieldErrors

from .. import notifications, selectors
from ..choices import MaterialKind, RecognitionDocumentKind
from ..errors import RecognitionErrorCode as E
from ..models import RecognitionApplication
from ..rules.workflow import ALLOCATED
from .documents import recognition_document_issue
from .transition import lock, move

MAX_ITEMS = 30
MAX_ITEM_LENGTH = 200
MAX_REASON = 1000


def _assignee(actor, assignee_id):
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(assignee_id), kind=Audience.STAFF, jurisdiction=actor.jurisdiction,
                                is_active=True)
    except (User.DoesNotExist, TypeError, ValueError):
        raise FieldErrors({"assignee": E.ASSIGNEE_INVALID.label}) from None
    if not user.has_role(StaffRole.INTAKE, StaffRole.REVIEWER):
        raise FieldErrors({"assignee": E.ASSIGNEE_INVALID.label})
    return user


@transaction.atomic
def application_allocate(*, actor, application, assignee_id):
    """分配 or 重新分配. The same allocation sent twice (two tabs, a double click) answers 409 instead
    of a second entry: allocated → allocated is in the table for re-allocation to someone else."""
    assignee = _assignee(actor, assignee_id)
    check(actor, application, "allocate")
    locked = lock(application)
    if locked.status == ALLOCATED and locked.assignee_id == assignee.pk:
        raise DomainError(E.TRANSITION_NOT_ALLOWED, f"该申请已分配给{assignee}，无需重复分配；请刷新页面查看最新状态。",
                          status=409, details={"status": locked.status, "action": "allocate"})
    return move(actor, locked, "allocate", changes={"assignee": assignee}, details={"assignee": str(assignee)})


@transaction.atomic
def application_allocate_many(*, actor, application_ids, assignee_id, waiting_only: bool = True) -> int:
    """Allocate several at once (待分配 list); ids outside the actor's scope answer 404. With
    `waiting_only` (the page's 待分配 list) only what still waits is allocated: one allocated
    meanwhile (another tab, a colleague) is refused (409, nothing allocated), never silently
    re-allocated. The API's route also re-allocates (waiting_only=False)."""
    require(actor, "recognition_application", "allocate")
    count = 0
    for pk in dict.fromkeys(application_ids):
        application = get_for(actor, RecognitionApplication.objects.select_for_update(), pk, "allocate")
        if waiting_only and application.status == ALLOCATED:  # others: the table's refusal (move)
            raise DomainError(E.TRANSITION_NOT_ALLOWED,
                              f"申请 {application.case.number} 已分配给{application.assignee}，不在待分配列表中；请刷新列表后重新选择。",
                              status=409, details={"id": application.pk, "status": application.status,
                                                   "action": "allocate"})
        application_allocate(actor=actor, application=application, assignee_id=assignee_id)
        count += 1
    return count


def _open_case(actor, application) -> None:
    # 立案 follows the acceptance just checked on the application (its own matrix row decided who).
    if InjuryCase.workflow.can("open", application.case.status):
        case_services.case_open(actor=actor, case=application.case, reason="工伤认定申请已受理", check_access=False)


@transaction.atomic
def application_accept(*, actor, application, simple: bool = False):
    """受理; `simple`: 事实清楚、权利义务明确 (条例 第二十条: 15 days, or the local promise)."""
    accepted = move(actor, application, "accept",
                    changes={"accepted_on": timezone.localdate(), "simple_procedure": bool(simple)},
                    details={"simple": bool(simple)})
    _open_case(actor, accepted)
    recognition_document_issue(actor=actor, application=accepted, kind=RecognitionDocumentKind.ACCEPTANCE)
    return accepted


def correction_list(application, items) -> list[str]:
    """The one notice: what staff listed (material codes become their names) plus any material the
    checklist still misses, each once."""
    labels = []
    for item in items or []:
        text = str(item).strip()
        if len(text) > MAX_ITEM_LENGTH:
            raise FieldErrors({"items": f"每项补正事项不能超过 {MAX_ITEM_LENGTH} 个字，请拆分或精简"})
        if text:
            labels.append(MaterialKind(text).label if text in MaterialKind.values else text)
    labels += [m["label"] for m in selectors.checklist(application)["missing"]]
    return list(dict.fromkeys(labels))


@transaction.atomic
def application_request_correction(*, actor, application, items):
    check(actor, application, "request_correction")
    listed = correction_list(application, items)
    if not listed:
        raise FieldErrors({"items": "请列出需要补正的全部材料或事项（一次性告知）"})
    if len(listed) > MAX_ITEMS:
        raise FieldErrors({"items": f"补正事项最多 {MAX_ITEMS} 项"})
    corrected = move(actor, application, "request_correction", changes={"correction_items": listed},
                     details={"items": listed})
    recognition_document_issue(actor=actor, application=corrected, kind=RecognitionDocumentKind.CORRECTION,
                               extra={"items": listed})
    return corrected


@transaction.atomic
def application_reject(*, actor, application, reason: str):
    """不予受理 with its reason (e.g. 超过申请时限, 不属于本统筹区管辖)."""
    check(actor, application, "reject")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise FieldErrors({"reason": f"请填写不予受理的理由及依据（不超过 {MAX_REASON} 字）"})
    rejected = move(actor, application, "reject", changes={"not_accepted_reason": reason},
                    details={"reason": reason})
    recognition_document_issue(actor=actor, application=rejected, kind=RecognitionDocumentKind.NOT_ACCEPTED)
    notifications.notify_status(application=rejected, stage="不予受理")
    from gongshang.service.services.window import window_request_recognition_ended  # 一窗受理 (lazy import)
    window_request_recognition_ended(rejected)  # 三事合一: the follow-on matters can never start
    return rejected
