"""/api/v1/service/training/...: staff operations with a real bearer token (status, body and the
database), 404 for another 统筹区, 403 for a role without the action, and the public sign-in and
questionnaire without any token."""

import json
from decimal import Decimal

import pytest
import time_machine

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
BASE = "/api/v1/service/training"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def prevention(staff_factory):
    return staff_factory("prevention", display_name="李预防")


def _post(client, path, body, auth=None):
    return client.post(path, json.dumps(body), content_type="application/json", **(auth or {}))


def test_trainers_add_list_and_reveal(api_client, token_for, prevention):
    auth = token_for(prevention)
    created = _post(api_client, f"{BASE}/trainers", {"name": "张专家", "specialty": "危化品安全",
                                                      "mobile": "13912345678"}, auth)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["mobile"] == "139****5678" and body["active"] is True
    TrainerFactory(region="370700")
    listed = api_client.get(f"{BASE}/trainers", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "张专家"
    revealed = api_client.post(f"{BASE}/trainers/{body['id']}/mobile", **auth)
    assert revealed.status_code == 200 and revealed.json() == {"mobile": "13912345678"}
    assert PiiAccessLog.objects.filter(target_id=str(body["id"]), field="mobile").count() == 1


def test_trainer_bad_fields_are_422(api_client, token_for, prevention):
    auth = token_for(prevention)
    response = _post(api_client, f"{BASE}/trainers", {"name": "", "specialty": "x", "mobile": "123", "age": 3}, auth)
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["details"]}
    assert {"name", "age"} <= {f.split(".")[-1] for f in fields}
    assert not Trainer.objects.exists()


def test_cooperator_reads_but_may_not_manage_or_reveal(api_client, token_for, staff_factory):
    trainer = TrainerFactory()
    auth = token_for(staff_factory("cooperator"))
    listed = api_client.get(f"{BASE}/trainers", **auth)
    assert listed.status_code == 200 and listed.json()["items"][0]["mobile"].count("*") == 4
    assert api_client.post(f"{BASE}/trainers/{trainer.pk}/mobile", **auth).status_code == 403
    assert _post(api_client, f"{BASE}/trainers", {"name": "a", "specialty": "b"}, auth).status_code == 403
    assert api_client.post(f"{BASE}/trainers/{trainer.pk}/deactivate", **auth).status_code == 403
    trainer.refresh_from_db()
    assert trainer.active and not PiiAccessLog.objects.exists()


def test_another_regions_trainer_and_session_are_404(api_client, token_for, prevention):
    trainer = TrainerFactory(region="370700")
    session = SessionFactory(region="370700", project__region="370700", course__region="370700")
    auth = token_for(prevention)
    assert api_client.get(f"{BASE}/trainers/{trainer.pk}", **auth).status_code == 404
    assert api_client.post(f"{BASE}/trainers/{trainer.pk}/deactivate", **auth).status_code == 404
    assert api_client.get(f"{BASE}/sessions/{session.pk}", **auth).status_code == 404
    response = _post(api_client, f"{BASE}/sessions/{session.pk}/evaluation-forms", {"marks": MARKS}, auth)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not Evaluation.objects.exists()


def test_course_submit_and_review(api_client, token_for, prevention):
    trainer = TrainerFactory()
    auth = token_for(prevention)
    created = _post(api_client, f"{BASE}/courses", {"trainer_id": trainer.pk, "title": "高处坠落预防",
                                                     "outline": "案例与措施", "hours": "1.5"}, auth)
    assert created.status_code == 201 and created.json()["status"] == "pending"
    course_id = created.json()["id"]
    refused = _post(api_client, f"{BASE}/courses/{course_id}/review", {"decision": "reject"}, auth)
    assert refused.status_code == 422 and refused.json()["details"][0]["field"] == "note"
    approved = _post(api_client, f"{BASE}/courses/{course_id}/review", {"decision": "approve", "note": "同意"}, auth)
    assert approved.status_code == 200
    assert approved.json()["status_label"] == "审核通过" and approved.json()["reviewed_by"] == "李预防"
    again = _post(api_client, f"{BASE}/courses/{course_id}/review", {"decision": "approve"}, auth)
    assert again.status_code == 409 and again.json()["code"] == "course_not_pending"
    assert Course.objects.get(pk=course_id).status == CourseStatus.APPROVED
    listed = api_client.get(f"{BASE}/courses", {"status": "approved"}, **auth).json()
    assert [c["id"] for c in listed["items"]] == [course_id]
    assert api_client.get(f"{BASE}/courses", {"status": "done"}, **auth).status_code == 422


def test_session_create_checks_the_course(api_client, token_for, staff_factory):
    auth = token_for(staff_factory("cooperator"))
    project, pending = ProjectFactory(), CourseFactory(status=CourseStatus.PENDING)
    body = {"project_id": project.pk, "course_id": pending.pk, "venue_kind": "hospital",
            "venue": "济宁医学院附属医院", "starts_at": "2026-11-12T14:00:00+08:00",
            "ends_at": "2026-11-12T16:00:00+08:00", "expected_trainees": 60}
    response = _post(api_client, f"{BASE}/sessions", body, auth)
    assert response.status_code == 409 and response.json()["code"] == "course_not_approved"
    assert not TrainingSession.objects.exists()
    course = CourseFactory()
    created = _post(api_client, f"{BASE}/sessions", {**body, "course_id": course.pk}, auth)
    assert created.status_code == 201, created.content
    session = TrainingSession.objects.get()
    data = created.json()
    assert data["sign_in_url"].endswith(f"/service/t/{session.sign_in_token}/")
    assert data["venue_kind_label"] == "医院" and data["sign_in_state"] == "not_yet" and data["score"] is None
    assert data["time_label"] == "2026-11-12 14:00–16:00"


def test_leader_views_but_may_not_create(api_client, token_for, staff_factory):
    session = SessionFactory()
    auth = token_for(staff_factory("leader"))
    assert api_client.get(f"{BASE}/sessions/{session.pk}", **auth).status_code == 200
    body = {"project_id": session.project_id, "course_id": session.course_id, "venue_kind": "site",
            "venue": "工地", "starts_at": "2026-11-12T14:00:00+08:00", "ends_at": "2026-11-12T16:00:00+08:00"}
    assert _post(api_client, f"{BASE}/sessions", body, auth).status_code == 403
    assert api_client.post(f"{BASE}/sessions/{session.pk}/open", **auth).status_code == 403


def test_public_sign_in_and_questionnaire_without_login(api_client):
    session = SessionFactory()
    info = api_client.get(f"{BASE}/sign-in/{session.sign_in_token}")
    assert info.status_code == 200 and info.json()["sign_in_state"] == "open"
    assert len(info.json()["questions"]) == 5
    signed = _post(api_client, f"{BASE}/sign-in/{session.sign_in_token}",
                   {"name": "王强", "mobile": "13912345678", "employer_name": "七洲化工"})
    assert signed.status_code == 201, signed.content
    token = signed.json()["questionnaire_token"]
    duplicate = _post(api_client, f"{BASE}/sign-in/{session.sign_in_token}", {"name": "王强", "mobile": "13912345678"})
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "training_already_signed_in"
    answered = _post(api_client, f"{BASE}/questionnaire", {"questionnaire_token": token, "answers": ANSWERS})
    assert answered.status_code == 201 and answered.json()["score"] == "80.00"
    again = _post(api_client, f"{BASE}/questionnaire", {"questionnaire_token": token, "answers": ANSWERS})
    assert again.status_code == 409
    forged = _post(api_client, f"{BASE}/questionnaire", {"questionnaire_token": token + "x", "answers": ANSWERS})
    assert forged.status_code == 422 and forged.json()["code"] == "training_questionnaire_expired"
    assert Attendance.objects.get().name == "王强"
    assert Evaluation.objects.get().score == Decimal("80.00")
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


@time_machine.travel("2026-11-10 14:00 +08:00", tick=False)
def test_public_sign_in_after_the_window_is_409(api_client):
    session = SessionFactory()
    response = _post(api_client, f"{BASE}/sign-in/{session.sign_in_token}", {"name": "王强", "mobile": "13912345678"})
    assert response.status_code == 409 and response.json()["code"] == "training_sign_in_closed"
    assert "签到已结束" in response.json()["message"]
    assert api_client.get(f"{BASE}/sign-in/not-a-code").status_code == 404
    assert not Attendance.objects.exists()


def test_evaluation_form_media_and_scores(api_client, token_for, prevention):
    session = SessionFactory(status=SessionStatus.HELD)
    auth = token_for(prevention)
    bad = _post(api_client, f"{BASE}/sessions/{session.pk}/evaluation-forms", {"marks": {"content": 11}}, auth)
    assert bad.status_code == 422 and {d["field"] for d in bad.json()["details"]} >= {"content", "trainer"}
    created = _post(api_client, f"{BASE}/sessions/{session.pk}/evaluation-forms", {"marks": MARKS, "note": "好"}, auth)
    assert created.status_code == 201 and created.json()["score"] == "87.00"
    uploaded = api_client.post(f"{BASE}/sessions/{session.pk}/media", {"file": jpeg()}, **auth)
    assert uploaded.status_code == 201, uploaded.content
    media = SessionMedia.objects.get()
    assert uploaded.json()["kind"] == "photo" and uploaded.json()["sha256"] == media.file.sha256
    download = api_client.get(f"{BASE}/media/{media.pk}/file", **auth)
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == jpeg().read()
    detail = api_client.get(f"{BASE}/sessions/{session.pk}", **auth).json()
    assert (detail["form_average"], detail["score"], detail["media_count"]) == ("87.00", "87.00", 1)
    evaluations = api_client.get(f"{BASE}/sessions/{session.pk}/evaluations", **auth).json()
    assert evaluations["count"] == 1 and evaluations["items"][0]["note"] == "好"


def test_upload_of_a_pdf_named_jpg_is_415(api_client, token_for, prevention):
    from .factories_training import pdf_named_jpg

    session = SessionFactory()
    response = api_client.post(f"{BASE}/sessions/{session.pk}/media", {"file": pdf_named_jpg()},
                               **token_for(prevention))
    assert response.status_code == 415 and response.json()["code"] == "file_type_not_allowed"
    assert not SessionMedia.objects.exists()


def test_attendance_list_is_masked(api_client, token_for, prevention):
    session = SessionFactory()
    Attendance.objects.create(session=session, name="王强", mobile="13912345678", employer_name="七洲化工")
    body = api_client.get(f"{BASE}/sessions/{session.pk}/attendance", **token_for(prevention)).json()
    assert body["count"] == 1 and body["items"][0]["mobile"] == "139****5678"
    assert body["items"][0]["questionnaire_done"] is False


def test_the_leader_reads_scores_but_no_trainee(api_client, token_for, staff_factory):
    """分管领导: figures, no person — the attendance list is refused and a questionnaire is shown as
    "学员", never by the trainee's name (the 专管员 sees the names)."""
    session = SessionFactory()
    trainee = Attendance.objects.create(session=session, name="王强", mobile="13912345678", employer_name="七洲化工")
    Evaluation.objects.create(session=session, kind="questionnaire", attendance=trainee, score=Decimal("80.00"),
                              answers={})
    leader = token_for(staff_factory("leader"))
    assert api_client.get(f"{BASE}/sessions/{session.pk}/attendance", **leader).status_code == 403
    rows = api_client.get(f"{BASE}/sessions/{session.pk}/evaluations", **leader).json()["items"]
    assert [r["by"] for r in rows] == ["学员"] and "王强" not in json.dumps(rows, ensure_ascii=False)
    organiser = token_for(staff_factory("prevention"))
    rows = api_client.get(f"{BASE}/sessions/{session.pk}/evaluations", **organiser).json()["items"]
    assert [r["by"] for r in rows] == ["王强"]


def test_close_by_api(api_client, token_for, prevention):
    session = SessionFactory(status=SessionStatus.HELD)
    Attendance.objects.create(session=session, name="王强", mobile="13912345678")
    response = api_client.post(f"{BASE}/sessions/{session.pk}/close", **token_for(prevention))
    assert response.status_code == 200 and response.json()["status"] == "closed"
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED


def test_openapi_documents_the_public_errors(api_client):
    schema = api_client.get("/api/v1/openapi.json").json()
    sign_in = schema["paths"]["/api/v1/service/training/sign-in/{token}"]["post"]
    assert {"409", "422", "429"} <= set(sign_in["responses"]) and not sign_in.get("security")
    upload = schema["paths"]["/api/v1/service/training/sessions/{session_id}/media"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"] and "415" in upload["responses"]
