"""案件留言 API: both sides, JSON and multipart with an attachment, unread counts and read marks, the SMS
in the outbox without content, 转为补正通知 (and a status that refuses), and every permission path
(another employer's, person's or 统筹区's case → 404; a role without the action → 403)."""

import pytest

from gongshang.core.models import OutboxMessage
from gongshang.recognition.models import RecognitionApplication
from gongshang.service.models import CaseMessage
from gongshang.service.services.messages import NOTICE_TEMPLATE, message_send

from .factories_messages import *  # noqa: F403
from .factories_messages import application, fake_jpeg, jpeg_upload

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


def _url(case, tail=""):
    return f"/api/v1/cases/{case.number}/messages{tail}"


def _post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def test_worker_and_staff_talk_with_unread_counts(api_client, token_for, worker, intake, case):
    w, s = token_for(worker), token_for(intake)
    r = _post(api_client, _url(case), {"text": "请问还需要什么材料？"}, w)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["from_staff"] is False and body["mine"] is True and body["read"] is False
    assert body["text"] == "请问还需要什么材料？" and body["attachment"] is None
    assert OutboxMessage.objects.filter(template=NOTICE_TEMPLATE).count() == 0

    staff_view = api_client.get(_url(case), **s).json()
    assert staff_view["unread"] == 1 and staff_view["count"] == 1
    assert staff_view["items"][0]["mine"] is False and staff_view["items"][0]["author"] == "张伟"

    read = _post(api_client, _url(case, "/read"), {}, s)
    assert read.status_code == 200 and read.json() == {"marked": 1, "unread": 0}
    assert CaseMessage.objects.get().read_at is not None

    reply = _post(api_client, _url(case, ""), {"text": "请上传门诊病历。"}, s)
    assert reply.status_code == 201 and reply.json()["from_staff"] is True
    sms = next(m for m in OutboxMessage.objects.filter(template=NOTICE_TEMPLATE) if m.recipient == "13900000001")
    assert "门诊病历" not in sms.body and "新的留言" in sms.body

    worker_view = api_client.get(_url(case), **w).json()
    assert worker_view["unread"] == 1
    assert [m["read"] for m in worker_view["items"]] == [True, False]
    _post(api_client, _url(case, "/read"), {}, w)
    assert api_client.get(_url(case), **w).json()["unread"] == 0


def test_employer_handler_sees_and_writes_the_same_thread(api_client, token_for, worker, employer_user_a, case):
    message_send(actor=worker, case=case, text="我是张伟")
    auth = token_for(employer_user_a)
    body = api_client.get(_url(case), **auth).json()
    assert body["count"] == 1 and body["unread"] == 0  # the worker is the handler's own side
    r = _post(api_client, _url(case), {"text": "单位已准备劳动合同"}, auth)
    assert r.status_code == 201 and r.json()["author"].startswith("青岛海川机械制造有限公司")


def test_multipart_with_attachment_and_download(api_client, token_for, worker, intake, case):
    w = token_for(worker)
    r = api_client.post(_url(case), {"text": "伤口照片", "attachment": jpeg_upload()}, **w)
    assert r.status_code == 201, r.content
    attachment = r.json()["attachment"]
    assert attachment["content_type"] == "image/jpeg" and attachment["is_image"] is True
    message = CaseMessage.objects.get()
    assert message.attachment.kind == "message_attachment" and message.attachment.case_id == case.pk
    download = api_client.get(_url(case, f"/{message.pk}/attachment"), **token_for(intake))
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert download["Content-Security-Policy"] == "sandbox" and "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content)[:2] == b"\xff\xd8"


def test_attachment_only_is_accepted(api_client, token_for, worker, case):
    r = api_client.post(_url(case), {"attachment": jpeg_upload()}, **token_for(worker))
    assert r.status_code == 201 and r.json()["text"] == ""


def test_bad_attachment_is_refused_by_content(api_client, token_for, worker, case):
    r = api_client.post(_url(case), {"text": "病历", "attachment": fake_jpeg()}, **token_for(worker))
    assert r.status_code == 415 and "按文件内容判断" in r.json()["message"]
    assert not CaseMessage.objects.exists()


def test_empty_and_unknown_fields_are_422(api_client, token_for, worker, case):
    auth = token_for(worker)
    empty = _post(api_client, _url(case), {"text": "  "}, auth)
    assert empty.status_code == 422
    assert empty.json()["details"][0]["field"] == "text" and "附件" in empty.json()["message"]
    unknown = _post(api_client, _url(case), {"text": "a", "urgent": True}, auth)
    assert unknown.status_code == 422 and unknown.json()["details"][0]["field"] == "urgent"
    missing = _post(api_client, _url(case), {}, auth)
    assert missing.status_code == 422 and "留言内容" in missing.json()["message"]
    broken = api_client.post(_url(case), "{", content_type="application/json", **auth)
    assert broken.status_code == 422 and "JSON" in broken.json()["message"]
    extra_file = api_client.post(_url(case), {"text": "a", "photo": jpeg_upload()}, **auth)
    assert extra_file.status_code == 422 and extra_file.json()["details"][0]["field"] == "photo"
    assert not CaseMessage.objects.exists()


def test_to_correction_and_a_refusing_status(api_client, token_for, worker, employer_user_a, intake, case):
    app = application(case, employer_user_a, assignee=intake)
    question = message_send(actor=worker, case=case, text="住院病历还在医院")
    auth = token_for(intake)
    r = _post(api_client, _url(case, f"/{question.pk}/to-correction"), {"items": ["住院病历首页"]}, auth)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["message"]["correction"] is True and "住院病历首页" in body["reply"]["text"]
    app.refresh_from_db()
    assert app.status == "correction_requested"
    again = _post(api_client, _url(case, f"/{question.pk}/to-correction"), {"items": []}, auth)
    assert again.status_code == 409 and again.json()["code"] == "message_already_correction"

    later = message_send(actor=worker, case=case, text="我已补正")
    refused = _post(api_client, _url(case, f"/{later.pk}/to-correction"), {"items": ["x"]}, auth)
    assert refused.status_code == 409
    assert "待补正" in refused.json()["message"] and refused.json()["details"]["application_status"] == "correction_requested"
    later.refresh_from_db()
    assert later.correction_for_id is None


def test_other_employer_person_and_region_answer_404(api_client, token_for, worker, employer_user_b,
                                                     other_intake, case, other_case, li_na):
    message = message_send(actor=worker, case=case, text="你好")
    from gongshang.accounts.tests.factories import IndividualUserFactory

    li = IndividualUserFactory(person=li_na, mobile="13900000002")
    auths = {user.pk: token_for(user) for user in (other_intake, employer_user_b, li)}
    for auth in auths.values():
        assert api_client.get(_url(case), **auth).status_code == 404
        assert _post(api_client, _url(case), {"text": "x"}, auth).status_code == 404
        assert _post(api_client, _url(case, "/read"), {}, auth).status_code == 404
        assert api_client.get(_url(case, f"/{message.pk}/attachment"), **auth).status_code == 404
    assert _post(api_client, _url(case, f"/{message.pk}/to-correction"), {"items": ["a"]},
                 auths[other_intake.pk]).status_code == 404
    assert api_client.get("/api/v1/cases/GS370200-2026-999999/messages", **token_for(worker)).status_code == 404
    assert CaseMessage.objects.count() == 1


def test_roles_without_the_action_answer_403(api_client, token_for, worker, hotline, benefits, case):
    message = message_send(actor=worker, case=case, text="你好")
    assert api_client.get(_url(case), **token_for(hotline)).status_code == 403
    r = _post(api_client, _url(case, f"/{message.pk}/to-correction"), {"items": ["a"]}, token_for(benefits))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert _post(api_client, _url(case, f"/{message.pk}/to-correction"), {"items": ["a"]},
                 token_for(worker)).status_code == 403
    assert RecognitionApplication.objects.count() == 0 and CaseMessage.objects.count() == 1


def test_anonymous_is_401(api_client, case):
    assert api_client.get(_url(case)).status_code == 401
