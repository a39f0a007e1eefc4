"""案件留言 services: sending both ways (text, attachment through the vault), the SMS notice without
content and its one-per-side limit, read marks, 转为补正通知 (recognition and appraisal, and the
statuses that refuse), audit events."""

import pytest

from gongshang.appraisal.tests.factories import make_application
from gongshang.cases.models_vault import CaseDocument
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.recognition.models import RecognitionApplication
from gongshang.service.models import CaseMessage
from gongshang.service.presenters.messages import message_dict
from gongshang.service.services.messages import (
    NOTICE_TEMPLATE,
    applicant_mobiles,
    message_mark_read,
    message_send,
    message_to_correction,
)

from .factories_messages import *  # noqa: F403
from .factories_messages import application, fake_jpeg, jpeg_upload

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


def _sms():
    return list(OutboxMessage.objects.filter(template=NOTICE_TEMPLATE).order_by("pk"))


def test_worker_sends_text_no_sms_to_staff(worker, case):
    message = message_send(actor=worker, case=case, text="  我的门诊病历丢了，可以补办吗？ ")
    message.refresh_from_db()
    assert (message.text, message.from_staff, message.author_label) == ("我的门诊病历丢了，可以补办吗？", False, "张伟")
    assert message.read_at is None and message.attachment is None
    assert _sms() == []  # staff see it in their inbox
    event = AuditEvent.objects.get(event_type="service.message_sent")
    assert event.details["from_staff"] is False and event.target_id == str(message.pk)
    assert "门诊" not in str(event.details)  # no content in the audit trail


def test_staff_reply_sms_to_worker_and_handlers_without_content(worker, employer_user_a, intake, case):
    employer_user_a.mobile = "13800000009"
    employer_user_a.save()
    message_send(actor=intake, case=case, text="可以到就诊医院病案室复印，盖章后上传。")
    sent = _sms()
    assert sorted(m.recipient for m in sent) == ["13800000009", "13900000001"]
    for sms in sent:
        assert sms.body == "【工伤保险】您的工伤案件有新的留言，请登录查看。"
        assert "病案室" not in sms.body and sms.region == "370200"
    assert CaseMessage.objects.get().author_label == "受理员 孙受理"


def test_one_sms_per_side_until_read(worker, intake, case):  # the employer's handler has no account here
    message_send(actor=intake, case=case, text="第一条")
    message_send(actor=intake, case=case, text="第二条")
    assert len(_sms()) == 1
    assert message_mark_read(actor=worker, case=case) == 2
    assert not CaseMessage.objects.filter(read_at__isnull=True).exists()
    message_send(actor=intake, case=case, text="第三条")
    assert len(_sms()) == 2


def test_read_marks_only_the_other_side(worker, intake, case):
    mine = message_send(actor=worker, case=case, text="问题")
    theirs = message_send(actor=intake, case=case, text="答复")
    assert message_mark_read(actor=worker, case=case) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is None and theirs.read_at is not None
    assert message_mark_read(actor=intake, case=case) == 1
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_attachment_goes_to_the_vault(worker, case):
    message = message_send(actor=worker, case=case, text="", upload=jpeg_upload())
    document = CaseDocument.objects.get(pk=message.attachment_id)
    assert document.case_id == case.pk and document.kind == "message_attachment"
    assert document.file.content_type == "image/jpeg" and len(document.file.sha256) == 64
    assert document.uploaded_by == worker


def test_empty_message_is_422_on_text(worker, case):
    with pytest.raises(FieldErrors) as exc:
        message_send(actor=worker, case=case, text="   ")
    assert exc.value.status == 422 and "text" in exc.value.errors and "附件" in exc.value.message
    assert not CaseMessage.objects.exists()


def test_too_long_is_422(worker, case):
    with pytest.raises(FieldErrors) as exc:
        message_send(actor=worker, case=case, text="字" * 2001)
    assert "2000" in exc.value.errors["text"]


def test_refused_attachment_saves_nothing(worker, case):
    with pytest.raises(DomainError) as exc:
        message_send(actor=worker, case=case, text="病历照片", upload=fake_jpeg())
    assert exc.value.status == 415 and "JPEG" in exc.value.message
    assert not CaseMessage.objects.exists() and not CaseDocument.objects.exists()


def test_role_without_send_is_refused(hotline, case):
    with pytest.raises(Forbidden):
        message_send(actor=hotline, case=case, text="您好")


def test_to_correction_on_allocated_recognition(worker, employer_user_a, intake, case):
    app = application(case, employer_user_a, assignee=intake)
    question = message_send(actor=worker, case=case, text="我的住院病历还没拿到")
    reply = message_to_correction(actor=intake, message=question, items=["住院病历首页"])
    app.refresh_from_db()
    question.refresh_from_db()
    assert app.status == "correction_requested" and "住院病历首页" in app.correction_items
    assert question.correction_for_id == app.pk
    assert reply.from_staff and "住院病历首页" in reply.text and "补正" in reply.text
    assert AuditEvent.objects.filter(event_type="service.message_to_correction", target_id=str(question.pk)).exists()
    assert len(_sms()) == len(applicant_mobiles(case)) == 2  # the reply's notice, worker and handler
    with pytest.raises(DomainError) as again:
        message_to_correction(actor=intake, message=question, items=["x"])
    assert again.value.status == 409 and again.value.code == "message_already_correction"


def test_to_correction_refused_when_status_does_not_allow(worker, employer_user_a, reviewer, case):
    app = application(case, employer_user_a, status="investigating")
    question = message_send(actor=worker, case=case, text="请问进度？")
    with pytest.raises(DomainError) as exc:
        message_to_correction(actor=reviewer, message=question, items=["诊断证明"])
    assert exc.value.status == 409 and "调查核实中" in exc.value.message
    app.refresh_from_db()
    question.refresh_from_db()
    assert app.status == "investigating" and question.correction_for_id is None
    assert CaseMessage.objects.count() == 1  # no reply posted: everything rolled back


def test_to_correction_without_application_is_409(worker, intake, case):
    question = message_send(actor=worker, case=case, text="你好")
    with pytest.raises(DomainError) as exc:
        message_to_correction(actor=intake, message=question, items=["a"])
    assert exc.value.status == 409 and exc.value.code == "message_no_application"


def test_staff_message_cannot_become_correction(worker, employer_user_a, intake, case):
    application(case, employer_user_a, assignee=intake)
    own = message_send(actor=intake, case=case, text="请补充材料")
    with pytest.raises(DomainError) as exc:
        message_to_correction(actor=intake, message=own, items=["a"])
    assert exc.value.status == 409 and exc.value.code == "message_not_applicant"
    assert RecognitionApplication.objects.get().status == "allocated"


def test_not_the_assigned_intake_is_403(worker, employer_user_a, intake, staff_factory, case):
    application(case, employer_user_a, assignee=intake)
    colleague = staff_factory("intake", display_name="另一受理员")
    question = message_send(actor=worker, case=case, text="你好")
    with pytest.raises(Forbidden):
        message_to_correction(actor=colleague, message=question, items=["a"])
    assert RecognitionApplication.objects.get().status == "allocated"


def test_appraisal_admin_turns_it_into_the_appraisal_correction(worker, appraisal_admin, case):
    appraisal = make_application(case=case, creator=worker, status="submitted")
    question = message_send(actor=worker, case=case, text="复查材料还缺什么？")
    reply = message_to_correction(actor=appraisal_admin, message=question, items=["近期复查影像"])
    appraisal.refresh_from_db()
    assert appraisal.status == "correction_requested" and appraisal.correction_items == ["近期复查影像"]
    assert "劳动能力鉴定" in reply.text and reply.author_label.startswith("鉴定管理员")


def test_appraisal_correction_marks_the_message_once(worker, appraisal_admin, case):
    """The message turned into the appraisal's 补正 shows it, and cannot be turned again (not even
    after the applicant resubmitted the application)."""
    appraisal = make_application(case=case, creator=worker, status="submitted")
    question = message_send(actor=worker, case=case, text="复查材料还缺什么？")
    message_to_correction(actor=appraisal_admin, message=question, items=["近期复查影像"])
    question.refresh_from_db()
    assert question.correction_appraisal_id == appraisal.pk and question.correction_for_id is None
    assert message_dict(question, actor=worker)["correction"] is True
    type(appraisal).objects.filter(pk=appraisal.pk).update(status="submitted")  # resubmitted after 补正
    with pytest.raises(DomainError) as again:
        message_to_correction(actor=appraisal_admin, message=question, items=["x"])
    assert again.value.status == 409 and again.value.code == "message_already_correction"
    appraisal.refresh_from_db()
    assert appraisal.status == "submitted" and CaseMessage.objects.filter(from_staff=True).count() == 1


def test_to_correction_by_role_without_it_is_403(worker, benefits, case):
    question = message_send(actor=worker, case=case, text="你好")
    with pytest.raises(Forbidden):
        message_to_correction(actor=benefits, message=question, items=["a"])


@pytest.mark.django_db(transaction=True)
def test_two_staff_replies_at_once_send_one_notice(worker, case, intake, reviewer, monkeypatch):
    """The second reply waits for the first one's lock on the case and then sees its unread notice:
    one SMS, not two (PostgreSQL row locks; SQLite serialises every write)."""
    import threading
    import time

    from django.db import connection

    from gongshang.service.services import messages as services

    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    inside, release, errors = threading.Event(), threading.Event(), []
    real_mobiles = services.applicant_mobiles

    def held_mobiles(of_case):           # the first reply pauses after deciding to send
        found = real_mobiles(of_case)
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(30)
        return found

    monkeypatch.setattr(services, "applicant_mobiles", held_mobiles)

    def reply(actor, text):
        try:
            message_send(actor=actor, case=case, text=text)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    one = threading.Thread(target=reply, args=(intake, "请补交门诊病历"), name="first")
    two = threading.Thread(target=reply, args=(reviewer, "另请补交劳动合同"), name="second")
    one.start()
    assert inside.wait(30)
    two.start()
    for _ in range(200):                  # until the second waits on a lock (without one: 10 s, then on)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND datname = current_database()")
            if cursor.fetchone()[0]:
                break
        time.sleep(0.05)
    release.set()
    one.join(30)
    two.join(30)
    assert errors == []
    assert CaseMessage.objects.filter(case=case, from_staff=True).count() == 2
    assert len({m.recipient for m in _sms()}) == len(_sms())  # one notice per phone, not two
