"""合作经办 (济宁: 商业保险机构人员进驻经办机构，参与协助认定、医疗服务监管和工伤预防): the agency
puts an embedded insurer's staff member on an investigation as an assisting investigator. The
cooperator then reaches that application only (recognition/permissions.staff_rows) and adds
investigation notes there (recognition's own service); every action is audited under their name,
which shows their organisation (User.__str__)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from gongshang.accounts.access import check
from gongshang.accounts.choices import Audience, StaffRole
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.recognition.models import RecognitionApplication
from gongshang.recognition.rules import workflow as recognition_workflow

from ..errors import ServiceErrorCode as E

ASSISTANT_ADDED = "service.cooperation_assistant_added"
ASSISTANT_REMOVED = "service.cooperation_assistant_removed"


def cooperators_of(region: str):
    """The active 合作经办 accounts of a 统筹区 (the choices of the assign form)."""
    User = get_user_model()
    return (User.objects.filter(kind=Audience.STAFF, jurisdiction=region, is_active=True,
                                role_assignments__role=StaffRole.COOPERATOR)
            .order_by("display_name", "pk").distinct())


def _cooperator(application, cooperator_id):
    try:
        pk = int(cooperator_id)
    except (TypeError, ValueError):
        pk = None
    found = cooperators_of(application.region).filter(pk=pk).first() if pk else None
    if found is None:
        raise FieldErrors({"cooperator": str(E.COOPERATOR_INVALID.label)})
    return found


def _locked_investigating(actor, application) -> RecognitionApplication:
    # Putting someone on an investigation is part of running it: the 调查员/审核员 who may start one.
    check(actor, application, "investigate")
    locked = RecognitionApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != recognition_workflow.INVESTIGATING:
        raise DomainError(E.ASSIST_NOT_INVESTIGATING, status=409)
    return locked


@transaction.atomic
def assistant_add(*, actor, application, cooperator_id) -> RecognitionApplication:
    """安排合作经办人员协助调查. The cooperator does not count towards the two agency staff that
    工伤认定办法 第十条 requires: they assist, the agency's investigators investigate."""
    locked = _locked_investigating(actor, application)
    cooperator = _cooperator(locked, cooperator_id)
    if locked.investigators.filter(pk=cooperator.pk).exists():
        raise FieldErrors({"cooperator": f"{cooperator}已在协助调查该申请。"})
    locked.investigators.add(cooperator)
    record_event(actor=actor, event_type=ASSISTANT_ADDED, target=locked, region=locked.region,
                 details={"cooperator": str(cooperator), "cooperator_id": cooperator.pk})
    return locked


@transaction.atomic
def assistant_remove(*, actor, application, cooperator_id) -> RecognitionApplication:
    """撤回协助: the cooperator no longer reaches the application; their notes stay (append-only)."""
    locked = _locked_investigating(actor, application)
    cooperator = _cooperator(locked, cooperator_id)
    if not locked.investigators.filter(pk=cooperator.pk).exists():
        raise FieldErrors({"cooperator": f"{cooperator}未在协助调查该申请。"})
    locked.investigators.remove(cooperator)
    record_event(actor=actor, event_type=ASSISTANT_REMOVED, target=locked, region=locked.region,
                 details={"cooperator": str(cooperator), "cooperator_id": cooperator.pk})
    return locked
