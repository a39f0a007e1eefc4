"""Reads of 工伤预防培训: the trainer pool, courses, sessions and what each session holds, every list
scoped by the actor (restrict)."""

from django.db.models import Case, Count, Q, QuerySet, Value, When

from gongshang.accounts.access import restrict

from ..choices import CourseStatus, EvaluationKind
from ..models import Attendance, Course, Evaluation, PreventionProject, SessionMedia, Trainer, TrainingSession
from ..rules import training as rules
from ..services.training import OPEN_PROJECT_STATUSES


def trainer_list(*, actor, q: str = "", active: bool | None = None) -> QuerySet:
    rows = restrict(actor, Trainer).annotate(
        course_count=Count("courses", distinct=True),
        approved_count=Count("courses", filter=Q(courses__status=CourseStatus.APPROVED), distinct=True))
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(specialty__icontains=q) | Q(organisation__icontains=q))
    if active is not None:
        rows = rows.filter(active=active)
    return rows.order_by("-active", "name", "pk")


def course_list(*, actor, status: str = "", trainer: Trainer | None = None) -> QuerySet:
    rows = restrict(actor, Course).select_related("trainer", "reviewed_by")
    if status:
        rows = rows.filter(status=status)
    if trainer is not None:
        rows = rows.filter(trainer=trainer)
    # Pending first: the reviewer's work.
    pending_first = Case(When(status=CourseStatus.PENDING, then=Value(0)), default=Value(1))
    return rows.order_by(pending_first, "title", "pk")


def session_list(*, actor, status: str = "", venue_kind: str = "", project_id: int | None = None) -> QuerySet:
    rows = restrict(actor, TrainingSession).select_related("course", "course__trainer", "project").annotate(
        attendance_count=Count("attendances", distinct=True))
    if status:
        rows = rows.filter(status=status)
    if venue_kind:
        rows = rows.filter(venue_kind=venue_kind)
    if project_id is not None:
        rows = rows.filter(project_id=project_id)
    return rows.order_by("-starts_at", "-pk")


def project_choices(*, actor) -> QuerySet:
    """Projects the actor may attach a session to: 立项 or under contract, in the actor's scope."""
    return restrict(actor, PreventionProject).filter(status__in=OPEN_PROJECT_STATUSES).order_by("-created_at", "-pk")


def course_choices(*, actor) -> QuerySet:
    """Approved courses of trainers still in the pool."""
    return (restrict(actor, Course).filter(status=CourseStatus.APPROVED, trainer__active=True)
            .select_related("trainer").order_by("title", "pk"))


def attendance_list(session: TrainingSession) -> QuerySet:
    return Attendance.objects.filter(session=session).order_by("signed_at", "pk")


def evaluation_list(session: TrainingSession, kind: str = "") -> QuerySet:
    rows = Evaluation.objects.filter(session=session).select_related("attendance", "submitted_by")
    return rows.filter(kind=kind) if kind else rows


def media_list(session: TrainingSession) -> QuerySet:
    return SessionMedia.objects.filter(session=session).select_related("file", "uploaded_by")


def session_scores(sessions) -> dict[int, rules.SessionScore]:
    """Session pk → its score, for several sessions in one query (the project's evaluation)."""
    sessions = list(sessions)
    rows: dict[int, tuple[list, list]] = {s.pk: ([], []) for s in sessions}
    for session_id, kind, score in (Evaluation.objects.filter(session__in=[s.pk for s in sessions])
                                    .values_list("session_id", "kind", "score")):
        rows[session_id][0 if kind == EvaluationKind.QUESTIONNAIRE else 1].append(score)
    return {pk: rules.session_score(q, f) for pk, (q, f) in rows.items()}


def session_score(session: TrainingSession) -> rules.SessionScore:
    scores = list(Evaluation.objects.filter(session=session).values_list("kind", "score"))
    return rules.session_score([s for k, s in scores if k == EvaluationKind.QUESTIONNAIRE],
                               [s for k, s in scores if k == EvaluationKind.EVALUATION_FORM])
