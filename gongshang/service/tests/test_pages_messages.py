"""案件留言 pages: the case page's link with the unread count, the thread (opening marks read; sending
text and a photo; a refused attachment keeps the text), 我的留言, the staff inbox (oldest waiting
first, names masked, no content), 转为补正通知, the 消息 tab, and the 404/403 paths."""

import pytest
from django.urls import reverse

from gongshang.core.models import PiiAccessLog
from gongshang.service.models import CaseMessage
from gongshang.service.services.messages import message_send
from gongshang.web.navigation import menu_for, tab_bar_for

from .factories_messages import *  # noqa: F403
from .factories_messages import application, fake_jpeg, jpeg_upload

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


def _thread(case):
    return reverse("service:message_thread", args=[case.number])


def test_case_page_shows_unread_count_and_link(client, worker, intake, case):
    message_send(actor=intake, case=case, text="请上传门诊病历")
    client.force_login(worker)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="case-messages-unread"' in page and "您有 1 条新留言" in page and _thread(case) in page


def test_opening_the_thread_marks_read_and_shows_bubbles(client, worker, intake, case):
    message_send(actor=intake, case=case, text="请上传门诊病历")
    client.force_login(worker)
    r = client.get(_thread(case))
    assert r.status_code == 200
    page = r.content.decode()
    assert "请上传门诊病历" in page and "bubble theirs" in page and ">新<" in page
    assert CaseMessage.objects.get().read_at is not None
    after = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="case-messages-unread"' not in after


def test_sending_text_and_photo(client, worker, case):
    client.force_login(worker)
    r = client.post(_thread(case), {"text": "这是伤口照片", "attachment": jpeg_upload()})
    assert r.status_code == 302 and r["Location"].endswith("#latest")
    message = CaseMessage.objects.get()
    assert message.text == "这是伤口照片" and message.attachment.file.content_type == "image/jpeg"
    page = client.get(_thread(case)).content.decode()
    assert "bubble mine" in page and "照片：" in page and "对方未读" in page
    download = client.get(reverse("service:message_attachment", args=[case.number, message.pk]))
    assert download.status_code == 200 and download["Content-Security-Policy"] == "sandbox"


def test_refused_photo_keeps_the_text(client, worker, case):
    client.force_login(worker)
    r = client.post(_thread(case), {"text": "我写了很长的说明", "attachment": fake_jpeg()})
    assert r.status_code == 415
    page = r.content.decode()
    assert "我写了很长的说明</textarea>" in page and "按文件内容判断" in page
    assert not CaseMessage.objects.exists()


def test_empty_message_is_422(client, worker, case):
    client.force_login(worker)
    r = client.post(_thread(case), {"text": ""})
    assert r.status_code == 422 and "请填写留言内容" in r.content.decode()


def test_my_messages_lists_cases_with_unread(client, worker, intake, case):
    message_send(actor=intake, case=case, text="您好")
    client.force_login(worker)
    page = client.get(reverse("service:my_messages")).content.decode()
    assert case.number in page and 'aria-label="1 条未读"' in page


def test_my_messages_empty_state(client, employer_user_b):
    client.force_login(employer_user_b)
    page = client.get(reverse("service:my_messages")).content.decode()
    assert 'id="threads-empty"' in page


def test_staff_inbox_oldest_first_masked_without_content(client, worker, intake, case, other_case, li_na,
                                                         time_machine):
    from gongshang.accounts.tests.factories import IndividualUserFactory

    li = IndividualUserFactory(person=li_na, mobile="13900000002")
    message_send(actor=worker, case=case, text="张伟的秘密病情")
    time_machine.shift(3600)
    message_send(actor=li, case=other_case, text="李娜的问题")
    client.force_login(intake)
    page = client.get(reverse("service:message_inbox")).content.decode()
    assert page.index(case.number) < page.index(other_case.number)
    assert "张*" in page and "张伟" not in page and "秘密病情" not in page
    assert not PiiAccessLog.objects.exists()
    thread = client.get(_thread(case)).content.decode()
    assert "张伟的秘密病情" in thread and "转为补正通知" in thread
    log = PiiAccessLog.objects.get()
    assert (log.actor, log.target_id, log.field) == (intake, str(case.pk), "messages")


def test_inbox_redirects_applicants_and_my_messages_redirects_staff(client, worker, intake):
    client.force_login(worker)
    assert client.get(reverse("service:message_inbox"))["Location"] == reverse("service:my_messages")
    client.force_login(intake)
    assert client.get(reverse("service:my_messages"))["Location"] == reverse("service:message_inbox")


def test_to_correction_page(client, worker, employer_user_a, intake, case):
    app = application(case, employer_user_a, assignee=intake)
    question = message_send(actor=worker, case=case, text="诊断证明在路上")
    client.force_login(intake)
    url = reverse("service:message_to_correction", args=[case.number, question.pk])
    assert "诊断证明在路上" in client.get(url).content.decode()
    r = client.post(url, {"items": "医疗诊断证明\n住院病历首页"})
    assert r.status_code == 302 and r["Location"] == _thread(case)
    app.refresh_from_db()
    question.refresh_from_db()
    assert app.status == "correction_requested" and question.correction_for_id == app.pk
    assert {"医疗诊断证明", "住院病历首页"} <= set(app.correction_items)
    again = client.post(url, {"items": "x"})
    assert again.status_code == 409 and "无需重复办理" in again.content.decode()


def test_to_correction_page_refusing_status(client, worker, employer_user_a, reviewer, case):
    application(case, employer_user_a, status="accepted")
    question = message_send(actor=worker, case=case, text="你好")
    client.force_login(reviewer)
    r = client.post(reverse("service:message_to_correction", args=[case.number, question.pk]), {"items": "x"})
    assert r.status_code == 409 and "已受理" in r.content.decode()


def test_other_side_and_region_404_role_403(client, worker, employer_user_b, other_intake, hotline, benefits, case):
    question = message_send(actor=worker, case=case, text="你好")
    for user in (employer_user_b, other_intake):
        client.force_login(user)
        assert client.get(_thread(case)).status_code == 404
        assert client.post(_thread(case), {"text": "x"}).status_code == 404
    client.force_login(hotline)
    assert client.get(_thread(case)).status_code == 403
    client.force_login(benefits)
    assert client.get(reverse("service:message_to_correction", args=[case.number, question.pk])).status_code == 403
    assert CaseMessage.objects.count() == 1


def test_recognition_desk_page_links_the_thread(client, employer_user_a, intake, case):
    app = application(case, employer_user_a, assignee=intake)
    client.force_login(intake)
    page = client.get(reverse("recognition:staff_detail", args=[app.pk])).content.decode()
    assert _thread(case) in page


def test_menus_and_tab(worker, employer_user_a, intake, window, hotline):
    assert next(t for t in tab_bar_for(worker) if t["key"] == "messages")["url"] == reverse("service:my_messages")
    assert next(t for t in tab_bar_for(employer_user_a) if t["key"] == "messages")["url"] == reverse("service:my_messages")
    inbox = reverse("service:message_inbox")
    assert inbox in [m["url"] for m in menu_for(intake)] and inbox in [m["url"] for m in menu_for(window)]
    assert inbox not in [m["url"] for m in menu_for(hotline)]
