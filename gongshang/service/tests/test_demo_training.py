"""Demo 工伤预防培训: through the services, idempotent, four venues with attendance, questionnaires,
an evaluation form and a photo each, a pending course, and a session still to come."""

import pytest

from gongshang.accounts import demo as accounts_demo
from gongshang.registry import demo as registry_demo
from gongshang.service.choices import CourseStatus, EvaluationKind, ProjectStatus, SessionStatus
from gongshang.service.demo.training import DEMO_PROJECT, seed
from gongshang.service.models import (
    Attendance,
    Course,
    Evaluation,
    PreventionProject,
    SessionMedia,
    Trainer,
    TrainingSession,
)
from gongshang.service.selectors.training import session_score

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-20 10:00 +08:00")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _counts():
    return tuple(m.objects.count() for m in (Trainer, Course, TrainingSession, Attendance, Evaluation, SessionMedia,
                                             PreventionProject))


def test_seed_is_idempotent_and_complete():
    registry_demo.seed()
    accounts_demo.seed()
    seed()
    counts = _counts()
    seed()
    assert _counts() == counts == (3, 4, 5, 32, 36, 4, 1)
    project = PreventionProject.objects.get()
    assert project.title == DEMO_PROJECT and project.status == ProjectStatus.CONTRACTED
    assert Course.objects.filter(status=CourseStatus.PENDING).count() == 1
    sessions = {s.venue_kind: s for s in TrainingSession.objects.all()}
    assert set(sessions) == {"enterprise", "site", "school", "hospital", "community"}
    assert sessions["enterprise"].status == SessionStatus.CLOSED
    assert sessions["site"].status == SessionStatus.HELD and sessions["community"].status == SessionStatus.PLANNED
    for kind in ("enterprise", "site", "school", "hospital"):
        session = sessions[kind]
        assert session.attendances.count() == 8 and session.media.get().kind == "photo"
        assert session.evaluations.filter(kind=EvaluationKind.QUESTIONNAIRE).count() == 8
        assert session_score(session).score is not None
    assert not sessions["community"].attendances.exists()
    # Mobiles are stored encrypted and distinct per session.
    assert Attendance.objects.values("session", "mobile_index").distinct().count() == 32


def test_seed_uses_an_open_project_of_part_e_when_there_is_one():
    from .factories_training import ProjectFactory

    registry_demo.seed()
    accounts_demo.seed()
    existing = ProjectFactory(status=ProjectStatus.APPROVED)
    seed()
    assert set(TrainingSession.objects.values_list("project", flat=True)) == {existing.pk}
    assert PreventionProject.objects.count() == 1


def test_seed_without_the_demo_organiser_does_nothing(capsys):
    class Out:
        lines = []

        def write(self, text):
            self.lines.append(text)

    out = Out()
    seed(stdout=out)
    assert not Trainer.objects.exists() and "跳过" in out.lines[0]
