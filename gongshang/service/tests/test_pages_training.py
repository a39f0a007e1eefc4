"""Pages of 工伤预防培训: the trainer pool and course review, the session page with its QR code and
evaluation form, media download, and the trainee's public sign-in and questionnaire (no login)."""

import re

import pytest
from django.test import Client

from gongshang.core.models import PiiAccessLog
from gongshang.service.choices import CourseStatus, SessionStatus
from gongshang.service.models import Attendance, Course, Evaluation, SessionMedia, Trainer, TrainingSession

from .factories_training import (
    ANSWERS,
    MARKS,
    CourseFactory,
    ProjectFactory,
    SessionFactory,
    TrainerFactory,
    jpeg,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-10 09:40 +08:00")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def prevention(staff_factory):
    return staff_factory("prevention", display_name="李预防")


def test_trainer_list_add_and_reveal(prevention):
    client = _client(prevention)
    page = client.get("/service/training/trainers/")
    assert page.status_code == 200 and "师资库中还没有" in page.content.decode()
    response = client.post("/service/training/trainers/", {"name": "张专家", "specialty": "建筑施工",
                                                           "mobile": "13912345678"})
    assert response.status_code == 302
    trainer = Trainer.objects.get()
    listing = client.get("/service/training/trainers/").content.decode()
    assert "139****5678" in listing and "13912345678" not in listing
    detail = client.post(f"/service/training/trainers/{trainer.pk}/mobile/").content.decode()
    assert "13912345678" in detail and "本次查看已记录" in detail
    assert PiiAccessLog.objects.count() == 1


def test_trainer_form_errors_stay_on_the_page(prevention):
    response = _client(prevention).post("/service/training/trainers/", {"name": "张专家", "specialty": "x",
                                                                        "mobile": "12"})
    assert response.status_code == 200 and "11 位数字" in response.content.decode()
    assert not Trainer.objects.exists()


def test_course_submit_and_review_pages(prevention):
    trainer = TrainerFactory()
    client = _client(prevention)
    response = client.post(f"/service/training/trainers/{trainer.pk}/courses/",
                           {"trainer": trainer.pk, "title": "化工安全", "outline": "大纲", "hours": "2"})
    course = Course.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/service/training/courses/{course.pk}/"
    assert "待审核课程（1）" in client.get("/service/training/trainers/").content.decode()
    page = client.get(f"/service/training/courses/{course.pk}/").content.decode()
    assert 'id="review-form"' in page
    refused = client.post(f"/service/training/courses/{course.pk}/review/", {"decision": "reject", "note": ""})
    assert refused.status_code == 200 and "不通过时请填写审核意见" in refused.content.decode()
    client.post(f"/service/training/courses/{course.pk}/review/", {"decision": "approve", "note": ""})
    course.refresh_from_db()
    assert course.status == CourseStatus.APPROVED
    assert 'id="review-form"' not in client.get(f"/service/training/courses/{course.pk}/").content.decode()


def test_cooperator_sees_no_manage_forms(staff_factory):
    trainer = TrainerFactory()
    client = _client(staff_factory("cooperator"))
    page = client.get(f"/service/training/trainers/{trainer.pk}/").content.decode()
    assert "显示完整手机号" not in page and "移出师资库" not in page and "修改师资信息" not in page
    assert client.post(f"/service/training/trainers/{trainer.pk}/deactivate/").status_code == 403
    assert client.post(f"/service/training/trainers/{trainer.pk}/mobile/").status_code == 403


def test_session_create_page(prevention):
    project, course = ProjectFactory(), CourseFactory()
    client = _client(prevention)
    page = client.get("/service/training/sessions/").content.decode()
    assert project.title in page and course.title in page
    response = client.post("/service/training/sessions/new/", {
        "project": project.pk, "course": course.pk, "venue_kind": "site", "venue": "兖州区某项目工地",
        "starts_at": "2026-11-12T14:00", "ends_at": "2026-11-12T13:00", "expected_trainees": "40"})
    assert response.status_code == 422 and "结束时间应晚于开始时间" in response.content.decode()
    response = client.post("/service/training/sessions/new/", {
        "project": project.pk, "course": course.pk, "venue_kind": "site", "venue": "兖州区某项目工地",
        "starts_at": "2026-11-12T14:00", "ends_at": "2026-11-12T16:00", "expected_trainees": "40"})
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/service/training/sessions/{session.pk}/"


def test_session_page_shows_the_qr_and_records_an_evaluation_form(prevention):
    session = SessionFactory(status=SessionStatus.HELD)
    client = _client(prevention)
    page = client.get(f"/service/training/sessions/{session.pk}/").content.decode()
    assert re.search(r'<svg class="qr" role="img" aria-label="签到二维码" width="240" height="240"', page)
    assert f"/service/t/{session.sign_in_token}/" in page and 'id="evaluation-form"' in page
    response = client.post(f"/service/training/sessions/{session.pk}/evaluate/", {**MARKS, "note": "组织有序"})
    assert response.status_code == 302
    assert Evaluation.objects.get().score == 87
    page = client.get(f"/service/training/sessions/{session.pk}/").content.decode()
    assert "87.00" in page and "组织有序" in page
    bad = client.post(f"/service/training/sessions/{session.pk}/evaluate/", {**MARKS, "content": "12"})
    assert bad.status_code == 422 and Evaluation.objects.count() == 1


def test_media_upload_and_download(prevention, staff_factory):
    session = SessionFactory()
    client = _client(prevention)
    response = client.post(f"/service/training/sessions/{session.pk}/media/", {"file": jpeg()})
    assert response.status_code == 302
    media = SessionMedia.objects.get()
    download = _client(staff_factory("leader")).get(f"/service/training/media/{media.pk}/")
    assert download.status_code == 200 and download["Content-Security-Policy"] == "sandbox"
    other = staff_factory("prevention", jurisdiction="370700")
    assert _client(other).get(f"/service/training/media/{media.pk}/").status_code == 404
    from .factories_training import pdf_named_jpg

    refused = client.post(f"/service/training/sessions/{session.pk}/media/", {"file": pdf_named_jpg()})
    assert refused.status_code == 422 and "实际类型为 PDF" in refused.content.decode()
    assert SessionMedia.objects.count() == 1


def test_leader_reads_but_cannot_close(staff_factory):
    session = SessionFactory(status=SessionStatus.HELD)
    client = _client(staff_factory("leader"))
    page = client.get(f"/service/training/sessions/{session.pk}/").content.decode()
    assert "结班" not in page.split("评估得分")[0].split("扫码签到")[-1] and 'id="evaluation-form"' not in page
    assert client.post(f"/service/training/sessions/{session.pk}/close/").status_code == 403
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_the_leaders_session_page_names_no_trainee(staff_factory):
    session = SessionFactory(status=SessionStatus.HELD)
    Attendance.objects.create(session=session, name="王强", mobile="13912345678", employer_name="东海精密")
    page = _client(staff_factory("leader")).get(f"/service/training/sessions/{session.pk}/").content.decode()
    assert 'id="attendance"' not in page and "王强" not in page and "东海精密" not in page
    organiser = _client(staff_factory("prevention")).get(f"/service/training/sessions/{session.pk}/").content.decode()
    assert 'id="attendance"' in organiser and "王强" in organiser


def test_close_page_action(prevention):
    session = SessionFactory(status=SessionStatus.HELD)
    client = _client(prevention)
    response = client.post(f"/service/training/sessions/{session.pk}/close/", follow=True)
    assert "还没有学员签到" in response.content.decode()
    Attendance.objects.create(session=session, name="王强", mobile="13912345678")
    client.post(f"/service/training/sessions/{session.pk}/close/")
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED


def test_public_sign_in_and_questionnaire_without_login():
    session = SessionFactory()
    client = Client()
    page = client.get(f"/service/t/{session.sign_in_token}/")
    assert page.status_code == 200 and 'id="sign-in-form"' in page.content.decode()
    missing = client.get(f"/service/t/{session.sign_in_token}/questionnaire/").content.decode()
    assert "请先在本机完成签到" in missing
    bad = client.post(f"/service/t/{session.sign_in_token}/", {"name": "王强", "mobile": "139"})
    assert bad.status_code == 422 and "11 位数字" in bad.content.decode()
    response = client.post(f"/service/t/{session.sign_in_token}/", {"name": "王强", "mobile": "13912345678",
                                                                    "employer_name": "七洲化工"})
    assert response.status_code == 302 and response["Location"].endswith("/questionnaire/")
    form = client.get(response["Location"]).content.decode()
    assert "王强，签到成功" in form and 'id="questionnaire-form"' in form
    done = client.post(response["Location"], {k: str(v) for k, v in ANSWERS.items()}, follow=True).content.decode()
    assert 'id="questionnaire-done"' in done
    assert Evaluation.objects.get().score == 80
    # Another phone (another browser session) cannot answer for that attendance.
    assert "请先在本机完成签到" in Client().get(response["Location"]).content.decode()
    again = client.post(f"/service/t/{session.sign_in_token}/", {"name": "王强", "mobile": "13912345678"})
    assert again.status_code == 422 and "该手机号已签到" in again.content.decode()
    assert Attendance.objects.count() == 1


@pytest.mark.time_machine("2026-11-10 07:00 +08:00")
def test_public_sign_in_before_the_window_and_unknown_code():
    session = SessionFactory()
    page = Client().get(f"/service/t/{session.sign_in_token}/").content.decode()
    assert 'id="sign-in-closed"' in page and "尚未开始签到" in page
    assert Client().get("/service/t/unknown-code/").status_code == 404


def test_other_regions_session_page_is_404(staff_factory):
    session = SessionFactory(region="370700", project__region="370700", course__region="370700")
    client = _client(staff_factory("prevention"))
    assert client.get(f"/service/training/sessions/{session.pk}/").status_code == 404
    assert client.post(f"/service/training/sessions/{session.pk}/evaluate/", MARKS).status_code == 404
    assert not Evaluation.objects.exists()


def test_menu_entries(prevention, staff_factory):
    page = _client(prevention).get("/service/training/sessions/").content.decode()
    assert 'href="/service/training/trainers/"' in page and 'href="/service/training/sessions/"' in page
    leader = _client(staff_factory("leader")).get("/service/training/sessions/").content.decode()
    assert 'href="/service/training/trainers/"' not in leader
    assert _client(staff_factory("leader")).get("/service/training/trainers/").status_code == 403
