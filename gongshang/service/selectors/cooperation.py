"""合作经办任务: what an embedded insurer's staff member was given to assist with, and the trail of
its own actions ("every action audited and shown as theirs")."""

from django.apps import apps
from django.db.models import Q, QuerySet

from gongshang.accounts.access import restrict
from gongshang.accounts.rules.access import ACTION_LABELS, KIND_LABELS
from gongshang.core.models import AuditEvent
from gongshang.medical.choices import EventType as MedicalEventType
from gongshang.medical.models import AuditVisit
from gongshang.recognition.choices import RecognitionEventType
from gongshang.recognition.models import InvestigationNote, RecognitionApplication

from ..models import TrainingSession
from ..services.cooperation import ASSISTANT_ADDED, ASSISTANT_REMOVED

TRAIL_LIMIT = 200

EVENT_LABELS = {
    **{str(v): str(label) for v, label in RecognitionEventType.choices},
    **{str(v): str(label) for v, label in MedicalEventType.choices},
    ASSISTANT_ADDED: "安排合作经办人员协助调查",
    ASSISTANT_REMOVED: "撤回合作经办人员协助调查",
}


def assigned_investigations(*, actor) -> QuerySet:
    """The recognition applications `actor` assists in investigating (its scope says which)."""
    return (restrict(actor, RecognitionApplication.objects.select_related("case"))
            .filter(investigators=actor.pk).order_by("-updated_at", "-pk"))


def audit_visits(*, actor) -> QuerySet:
    """The on-site audit visits of the teams `actor` sits on."""
    return (restrict(actor, AuditVisit.objects.select_related("institution", "campaign"), "view")
            .filter(team__members__user=actor.pk).order_by("status", "-pk").distinct())


def prevention_sessions(*, actor) -> QuerySet:
    """The training sessions `actor` registered, or recorded attendance, evaluations or media for."""
    mine = (Q(created_by=actor.pk) | Q(evaluations__submitted_by=actor.pk) | Q(media__uploaded_by=actor.pk))
    return (restrict(actor, TrainingSession.objects.select_related("course"))
            .filter(mine).order_by("-starts_at", "-pk").distinct())


def notes_of(application) -> QuerySet:
    return InvestigationNote.objects.filter(application=application).select_related("author").order_by("created_at",
                                                                                                        "pk")


def own_trail(*, actor) -> QuerySet:
    """The audit events `actor` itself caused (never anyone else's): the cooperator reads its own
    trail; the auditors read everyone's through their own page."""
    return AuditEvent.objects.filter(actor=actor.pk).order_by("-at", "-pk")[:TRAIL_LIMIT]


def event_label(event_type: str) -> str:
    if event_type in EVENT_LABELS:
        return EVENT_LABELS[event_type]
    kind, _, action = event_type.rpartition(".")
    if kind in KIND_LABELS and action in ACTION_LABELS:
        return f"{KIND_LABELS[kind]}：{ACTION_LABELS[action]}"
    return "其他操作"


def target_label(target_type: str, target_id: str) -> str:
    if not target_type:
        return ""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return "记录"
    return f"{model._meta.verbose_name}（编号 {target_id}）"
