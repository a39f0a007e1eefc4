"""Services of 工伤预防培训: trainers (mobile encrypted, reveal logged), course review, session create
(project and course checks), the sign-in window with a pinned clock, duplicates, the questionnaire
bound to the attendance, evaluation forms, media checked by content, open and close."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gongshang.core.models import AuditEvent, PiiAccessLog
from gongshang.service.choices import CourseStatus, EvaluationKind, MediaKind, ProjectStatus, SessionStatus
from gongshang.service.models import Attendance, Evaluation, SessionMedia, Trainer, TrainingSession
from gongshang.service.services import training as services

from .factories_training import (
    ANSWERS,
    MARKS,
    CourseFactory,
    ProjectFactory,
    SessionFactory,
    TrainerFactory,
    jpeg,
    mp3,
    pdf_named_jpg,
)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
DURING = "2026-11-10 09:40 +08:00"
SIGN_IN = {"name": "王强", "mobile": "13912345678", "employer_name": "七洲绿色化工公司"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def prevention(staff_factory):
    return staff_factory("prevention", display_name="李预防")


@pytest.fixture
def cooperator(staff_factory):
    return staff_factory("cooperator", display_name="钱合作")


# --- trainers and courses -------------------------------------------------------------------------

def test_trainer_add_encrypts_the_mobile_and_records_an_event(prevention):
    trainer = services.trainer_add(actor=prevention, data={
        "name": " 张专家 ", "specialty": "危化品安全", "organisation": "市安全生产协会", "mobile": "+86 139-1234-5678"})
    trainer.refresh_from_db()
    assert trainer.name == "张专家" and trainer.mobile == "13912345678" and trainer.region == "370200"
    raw = Trainer.objects.filter(pk=trainer.pk).values_list("mobile", flat=True).query
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute(*raw.sql_with_params())
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored
    event = AuditEvent.objects.get(event_type="training.trainer_saved")
    assert event.details == {"action": "add", "name": "张专家"} and "139" not in str(event.details)


def test_trainer_add_refuses_bad_fields_and_other_roles(prevention, cooperator):
    with pytest.raises(FieldErrors) as caught:
        services.trainer_add(actor=prevention, data={"name": "", "specialty": "", "mobile": "12345"})
    assert set(caught.value.errors) == {"name", "specialty", "mobile"}
    assert "11 位" in caught.value.errors["mobile"]
    with pytest.raises(Forbidden):
        services.trainer_add(actor=cooperator, data={"name": "张专家", "specialty": "危化品安全"})
    assert not Trainer.objects.exists()


def test_trainer_reveal_is_logged_and_needs_view_pii(prevention, cooperator):
    trainer = TrainerFactory(mobile="13700001111")
    assert services.trainer_mobile_reveal(actor=prevention, trainer=trainer) == "13700001111"
    log = PiiAccessLog.objects.get()
    assert (log.actor, log.field, log.target_id) == (prevention, "mobile", str(trainer.pk))
    with pytest.raises(Forbidden):
        services.trainer_mobile_reveal(actor=cooperator, trainer=trainer)
    assert PiiAccessLog.objects.count() == 1


def test_trainer_of_another_region_is_not_found(staff_factory):
    trainer = TrainerFactory(region="370700")
    with pytest.raises(NotFound):
        services.trainer_deactivate(actor=staff_factory("prevention"), trainer=trainer)
    trainer.refresh_from_db()
    assert trainer.active


def test_course_review_approve_and_reject_with_note(prevention):
    trainer = TrainerFactory()
    course = services.course_submit(actor=prevention, trainer=trainer, data={
        "title": "建筑施工高处坠落预防", "outline": "案例与措施", "hours": "1.5"})
    assert course.status == CourseStatus.PENDING and course.hours == Decimal("1.5")
    with pytest.raises(FieldErrors) as caught:
        services.course_review(actor=prevention, course=course, approve=False, note=" ")
    assert "note" in caught.value.errors
    rejected = services.course_review(actor=prevention, course=course, approve=False, note="请补充事故案例")
    assert rejected.status == CourseStatus.REJECTED and rejected.reviewed_by == prevention
    with pytest.raises(DomainError) as again:
        services.course_review(actor=prevention, course=rejected, approve=True)
    assert again.value.status == 409 and again.value.code == "course_not_pending"
    edited = services.course_edit(actor=prevention, course=rejected, data={
        "title": "建筑施工高处坠落预防", "outline": "案例、措施与演练", "hours": "2"})
    assert edited.status == CourseStatus.PENDING
    approved = services.course_review(actor=prevention, course=edited, approve=True)
    assert approved.status == CourseStatus.APPROVED
    with pytest.raises(DomainError) as locked:
        services.course_edit(actor=prevention, course=approved, data={"title": "x", "outline": "y", "hours": "1"})
    assert locked.value.code == "course_locked"
    assert AuditEvent.objects.filter(event_type="training.course_reviewed").count() == 2


def test_course_for_an_inactive_trainer_is_refused(prevention):
    trainer = services.trainer_deactivate(actor=prevention, trainer=TrainerFactory())
    with pytest.raises(DomainError) as caught:
        services.course_submit(actor=prevention, trainer=trainer, data={"title": "t", "outline": "o", "hours": "1"})
    assert caught.value.code == "training_trainer_inactive"


@pytest.mark.parametrize("hours", ["0", "-1", "abc", "101", "1.25", ""])
def test_course_hours_are_checked(prevention, hours):
    with pytest.raises(FieldErrors) as caught:
        services.course_submit(actor=prevention, trainer=TrainerFactory(),
                               data={"title": "t", "outline": "o", "hours": hours})
    assert set(caught.value.errors) == {"hours"}


# --- sessions -------------------------------------------------------------------------------------

def _data(**extra):
    return {"venue_kind": "school", "venue": "济宁职业技术学院报告厅", "industry": "职业院校实习生",
            "starts_at": datetime(2026, 11, 12, 14, 0, tzinfo=TZ), "ends_at": datetime(2026, 11, 12, 16, 0, tzinfo=TZ),
            "expected_trainees": 80, **extra}


def test_session_create_by_the_cooperator(cooperator):
    project, course = ProjectFactory(), CourseFactory()
    session = services.session_create(actor=cooperator, project=project, course=course, data=_data())
    assert session.status == SessionStatus.PLANNED and session.region == "370200"
    assert len(session.sign_in_token) >= 16 and session.created_by == cooperator
    other = services.session_create(actor=cooperator, project=project, course=course, data=_data())
    assert other.sign_in_token != session.sign_in_token


def test_session_create_refuses_a_course_not_approved(prevention):
    course = CourseFactory(status=CourseStatus.PENDING)
    with pytest.raises(DomainError) as caught:
        services.session_create(actor=prevention, project=ProjectFactory(), course=course, data=_data())
    assert (caught.value.status, caught.value.code) == (409, "course_not_approved")
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize("status", [ProjectStatus.PROPOSED, ProjectStatus.DELIVERED, ProjectStatus.PAID])
def test_session_create_refuses_a_project_not_open(prevention, status):
    with pytest.raises(DomainError) as caught:
        services.session_create(actor=prevention, project=ProjectFactory(status=status), course=CourseFactory(),
                                data=_data())
    assert caught.value.code == "training_project_not_open"


def test_session_create_accepts_an_approved_project(prevention):
    session = services.session_create(actor=prevention, project=ProjectFactory(status=ProjectStatus.APPROVED),
                                      course=CourseFactory(), data=_data())
    assert session.pk


def test_session_create_checks_times_and_fields(prevention):
    with pytest.raises(FieldErrors) as caught:
        services.session_create(actor=prevention, project=ProjectFactory(), course=CourseFactory(), data=_data(
            venue="", venue_kind="park", ends_at=datetime(2026, 11, 12, 13, 0, tzinfo=TZ), expected_trainees=-1))
    assert set(caught.value.errors) == {"venue", "venue_kind", "ends_at", "expected_trainees"}
    with pytest.raises(FieldErrors) as long:
        services.session_create(actor=prevention, project=ProjectFactory(), course=CourseFactory(),
                                data=_data(ends_at=datetime(2026, 11, 13, 8, 0, tzinfo=TZ)))
    assert "12 小时" in long.value.errors["ends_at"]


def test_session_create_with_another_regions_project_is_not_found(prevention):
    with pytest.raises(NotFound):
        services.session_create(actor=prevention, project=ProjectFactory(region="370700"),
                                course=CourseFactory(), data=_data())


# --- sign-in --------------------------------------------------------------------------------------

@pytest.mark.parametrize("moment, state", [
    ("2026-11-10 08:29 +08:00", "not_yet"), ("2026-11-10 08:30 +08:00", "open"),
    ("2026-11-10 13:30 +08:00", "open"), ("2026-11-10 13:31 +08:00", "over")])
def test_sign_in_only_in_the_window(moment, state):
    session = SessionFactory()
    with time_machine.travel(moment, tick=False):
        assert services.sign_in_state(session) == state
        if state == "open":
            attendance = services.attendance_sign_in(session=session, data=SIGN_IN)
            assert attendance.mobile == "13912345678"
        else:
            with pytest.raises(DomainError) as caught:
                services.attendance_sign_in(session=session, data=SIGN_IN)
            assert (caught.value.status, caught.value.code) == (409, "training_sign_in_closed")
            assert caught.value.details == {"state": state}
            assert ("签到尚未开始" if state == "not_yet" else "签到已结束") in caught.value.message
    assert Attendance.objects.count() == (1 if state == "open" else 0)


@time_machine.travel(DURING, tick=False)
def test_first_sign_in_opens_the_session_and_a_duplicate_mobile_is_refused():
    session = SessionFactory()
    services.attendance_sign_in(session=session, data=SIGN_IN)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert AuditEvent.objects.filter(event_type="training_session.open", actor_label="学员扫码签到").exists()
    with pytest.raises(DomainError) as caught:
        services.attendance_sign_in(session=session, data={**SIGN_IN, "name": "王强2", "mobile": "139 1234 5678"})
    assert (caught.value.status, caught.value.code) == (409, "training_already_signed_in")
    services.attendance_sign_in(session=session, data={**SIGN_IN, "mobile": "13912345679"})
    assert Attendance.objects.filter(session=session).count() == 2
    # Another session: the same mobile signs in again.
    services.attendance_sign_in(session=SessionFactory(), data=SIGN_IN)
    assert Attendance.objects.count() == 3


@time_machine.travel(DURING, tick=False)
def test_sign_in_refused_after_close_and_with_bad_fields(prevention):
    session = SessionFactory(status=SessionStatus.CLOSED)
    with pytest.raises(DomainError) as caught:
        services.attendance_sign_in(session=session, data=SIGN_IN)
    assert caught.value.details == {"state": "closed"}
    with pytest.raises(FieldErrors) as fields:
        services.attendance_sign_in(session=SessionFactory(), data={"name": "", "mobile": "1391234"})
    assert set(fields.value.errors) == {"name", "mobile"}


@pytest.mark.parametrize("status", ["accepted", "evaluated", "paid"])
@time_machine.travel(DURING, tick=False)
def test_no_sign_in_once_the_project_is_accepted(status):
    """A sign-in after 验收 could no longer change the score that decided the payment."""
    session = SessionFactory()
    session.project.status = status
    session.project.save(update_fields=["status"])
    with pytest.raises(DomainError) as caught:
        services.attendance_sign_in(session=session, data=SIGN_IN)
    assert caught.value.details == {"state": "settled"} and "已验收" in caught.value.message
    assert not Attendance.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_session_by_token_counts_misses(settings):
    settings.TRAINING_SIGN_IN_MISSES_PER_NETWORK_HOUR = 2
    session = SessionFactory()
    assert services.session_by_token(session.sign_in_token) == session
    for _ in range(2):
        with pytest.raises(NotFound):
            services.session_by_token("wrong-code")
    with pytest.raises(DomainError) as caught:
        services.session_by_token("wrong-code")
    assert caught.value.status == 429


# --- questionnaire --------------------------------------------------------------------------------

@time_machine.travel(DURING, tick=False)
def test_questionnaire_bound_to_the_attendance_once():
    attendance = services.attendance_sign_in(session=SessionFactory(), data=SIGN_IN)
    token = services.questionnaire_token(attendance)
    assert services.attendance_by_token(token) == attendance
    evaluation = services.questionnaire_submit(attendance=attendance, answers=ANSWERS)
    assert (evaluation.kind, evaluation.score, evaluation.attendance) == (EvaluationKind.QUESTIONNAIRE,
                                                                         Decimal("80.00"), attendance)
    with pytest.raises(DomainError) as caught:
        services.questionnaire_submit(attendance=attendance, answers=ANSWERS)
    assert (caught.value.status, caught.value.code) == (409, "training_already_answered")
    assert Evaluation.objects.count() == 1


@time_machine.travel(DURING, tick=False)
def test_questionnaire_token_forged_or_expired():
    attendance = services.attendance_sign_in(session=SessionFactory(), data=SIGN_IN)
    token = services.questionnaire_token(attendance)
    for bad in (token[:-2] + "xx", "", "abc"):
        with pytest.raises(DomainError) as caught:
            services.attendance_by_token(bad)
        assert (caught.value.status, caught.value.code) == (422, "training_questionnaire_expired")
    with time_machine.travel("2026-11-11 10:00 +08:00", tick=False), pytest.raises(DomainError):
        services.attendance_by_token(token)


@time_machine.travel(DURING, tick=False)
def test_questionnaire_with_missing_answers():
    attendance = services.attendance_sign_in(session=SessionFactory(), data=SIGN_IN)
    with pytest.raises(FieldErrors) as caught:
        services.questionnaire_submit(attendance=attendance, answers={"relevance": 6})
    assert set(caught.value.errors) == {"relevance", "clarity", "usefulness", "organisation", "overall"}
    assert not Evaluation.objects.exists()


# --- evaluation form, media, open and close -------------------------------------------------------

@time_machine.travel(DURING, tick=False)
def test_evaluation_form_only_when_held(prevention):
    session = SessionFactory()
    with pytest.raises(DomainError) as caught:
        services.evaluation_form_submit(actor=prevention, session=session, marks=MARKS)
    assert caught.value.code == "training_session_not_held"
    session = services.session_open(actor=prevention, session=session)
    evaluation = services.evaluation_form_submit(actor=prevention, session=session, marks=MARKS, note="组织有序")
    assert evaluation.score == Decimal("87.00") and evaluation.submitted_by == prevention
    assert evaluation.answers["note"] == "组织有序" and evaluation.answers["trainer"] == 10


@time_machine.travel(DURING, tick=False)
def test_close_needs_attendance_and_ends_recording(prevention):
    session = services.session_open(actor=prevention, session=SessionFactory())
    with pytest.raises(DomainError) as empty:
        services.session_close(actor=prevention, session=session)
    assert empty.value.code == "training_session_empty"
    services.attendance_sign_in(session=session, data=SIGN_IN)
    session = services.session_close(actor=prevention, session=session)
    assert session.status == SessionStatus.CLOSED
    for call in (lambda: services.evaluation_form_submit(actor=prevention, session=session, marks=MARKS),
                 lambda: services.media_upload(actor=prevention, session=session, upload=jpeg())):
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.code == "training_session_closed"
    with pytest.raises(DomainError) as again:
        services.session_open(actor=prevention, session=session)
    assert again.value.status == 409


def test_cooperator_may_not_close(cooperator):
    session = SessionFactory(status=SessionStatus.HELD)
    with pytest.raises(Forbidden):
        services.session_close(actor=cooperator, session=session)


def test_media_kind_read_from_content_and_kept_with_sha256(prevention):
    session = SessionFactory()
    photo = services.media_upload(actor=prevention, session=session, upload=jpeg())
    audio = services.media_upload(actor=prevention, session=session, upload=mp3())
    assert (photo.kind, audio.kind) == (MediaKind.PHOTO, MediaKind.AUDIO)
    import hashlib

    assert photo.file.sha256 == hashlib.sha256(jpeg().read()).hexdigest()
    assert photo.file.content_type == "image/jpeg" and audio.file.extension == "mp3"


def test_a_jpg_that_is_a_pdf_is_refused(prevention):
    with pytest.raises(DomainError) as caught:
        services.media_upload(actor=prevention, session=SessionFactory(), upload=pdf_named_jpg())
    assert caught.value.status == 415 and "实际类型为 PDF" in caught.value.message
    assert not SessionMedia.objects.exists()


def test_a_broken_jpeg_and_an_oversized_file_are_refused(prevention, settings):
    session = SessionFactory()
    head = jpeg().read()[:300]
    with pytest.raises(DomainError) as broken:
        services.media_upload(actor=prevention, session=session,
                              upload=SimpleUploadedFile("a.jpg", head, content_type="image/jpeg"))
    assert broken.value.status == 422
    settings.TRAINING_PHOTO_MAX_BYTES = 100
    with pytest.raises(DomainError) as large:
        services.media_upload(actor=prevention, session=session, upload=jpeg())
    assert large.value.status == 413
    assert not SessionMedia.objects.exists()


def test_session_of_another_region_is_not_found(prevention):
    session = SessionFactory(region="370700", project__region="370700", course__region="370700")
    for call in (lambda: services.session_open(actor=prevention, session=session),
                 lambda: services.evaluation_form_submit(actor=prevention, session=session, marks=MARKS),
                 lambda: services.media_upload(actor=prevention, session=session, upload=jpeg())):
        with pytest.raises(NotFound):
            call()
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED and not SessionMedia.objects.exists()
