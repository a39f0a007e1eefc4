import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongshang.core.models import OutboxMessage
from gongshang.quickreports import content, rules
from gongshang.quickreports.models import QuickReport, QuickReportMedia

from .media_fixtures import photo

pytestmark = pytest.mark.django_db


def accept_pledge(client):
    assert client.post(reverse("quickreports:start"), {"accept": "yes"}).status_code == 302


def form_data(**overrides):
    data = {"accident_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "address": "青岛市市南区车间",
            "description": "摔伤", "self-body_part": "足部", "self-injury_type": ""}
    data.update(overrides)
    return data


def test_start_requires_login(client):
    response = client.get(reverse("quickreports:start"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_pledge_tips_form_and_code(client, worker):
    client.force_login(worker)
    page = client.get(reverse("quickreports:start")).content.decode()
    assert "我接受该协议" in page and "工伤保险政策指南" in page
    assert client.get(reverse("quickreports:report", args=["self"])).status_code == 302  # pledge first
    accept_pledge(client)
    form = client.get(reverse("quickreports:report", args=["self"])).content.decode()
    assert 'capture="environment"' in form and 'accept="image/*"' in form and "友情提示" in form
    assert "工伤保险政策指南" in form and "quickreports/report.js" in form
    response = client.post(reverse("quickreports:report", args=["self"]), {**form_data(), "photos": [photo()]})
    assert response.status_code == 302
    report = QuickReport.objects.get()
    assert report.pledge_version == content.PLEDGE_VERSION and report.pledge_accepted_at <= report.submitted_at
    done = client.get(reverse("quickreports:done")).content.decode()
    code = OutboxMessage.objects.get(template="sms_quickreport_code").params["code"]
    assert code in done


def test_form_errors_are_shown_not_500(client, worker):
    client.force_login(worker)
    accept_pledge(client)
    future = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("quickreports:report", args=["self"]), form_data(accident_at=future))
    assert response.status_code == 422 and "48 小时" in response.content.decode()
    response = client.post(reverse("quickreports:report", args=["self"]), form_data(address=""))
    assert response.status_code == 422 and "地点" in response.content.decode()
    assert not QuickReport.objects.exists()


def test_supplement_flow_with_sms_code(client, worker, employer_user_a):
    client.force_login(worker)
    accept_pledge(client)
    client.post(reverse("quickreports:report", args=["self"]), form_data())
    code = OutboxMessage.objects.get(template="sms_quickreport_code").params["code"]
    client.logout()
    client.force_login(employer_user_a)
    response = client.post(reverse("quickreports:supplement_start"), {"code": code})
    assert "139****0001" in response.content.decode()
    sms = OutboxMessage.objects.get(template="sms_quickreport_access_code").params["code"]
    wrong = client.post(reverse("quickreports:supplement_start"), {"code": code, "sms_code": "000000"})
    assert wrong.status_code == 422
    # a fresh code is needed after a failed attempt only when attempts run out; the right one works
    response = client.post(reverse("quickreports:supplement_start"), {"code": code, "sms_code": sms})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "时间线" in page and "data-confirm" in page
    response = client.post(response["Location"], {"note": "单位已送医", "photos": [photo()]})
    assert response.status_code == 302 and QuickReportMedia.objects.count() == 1


def _without_token_and_typed_code(response, typed: str) -> bytes:
    page = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', b"", response.content)
    return page.replace(typed.encode(), b"")


def test_wrong_code_page_answers_like_unknown(client, worker, submit):
    real = submit(worker).code.replace("-", "")
    body = ("A" if real[0] != "A" else "B") + real[1:12]  # one character off, valid check character
    wrong = rules.format_code(body + rules.check_character(body))
    assert rules.is_well_formed(wrong.replace("-", ""))
    a = client.post(reverse("quickreports:supplement_start"), {"code": wrong})
    unknown = "ZZZZ-ZZZZ-ZZZZ-Z"
    b = client.post(reverse("quickreports:supplement_start"), {"code": unknown})
    assert a.status_code == b.status_code == 422
    assert "快报唯一标志码不正确或不存在" in a.content.decode()
    assert _without_token_and_typed_code(a, wrong) == _without_token_and_typed_code(b, unknown)


def test_supplement_page_needs_grant(client, worker, employer_user_a, submit):
    result = submit(worker)
    client.force_login(employer_user_a)
    response = client.get(reverse("quickreports:supplement", args=[result.report.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("quickreports:supplement_start")


def test_inbox_scoped_and_actions(client, worker, submit, staff_factory):
    result = submit(worker, photos=[photo()])
    officer = staff_factory("intake")
    client.force_login(officer)
    inbox = client.get(reverse("quickreports:inbox")).content.decode()
    assert "未读 1" in inbox and result.case_numbers[0] in inbox
    detail = client.get(reverse("quickreports:inbox_detail", args=[result.report.pk])).content.decode()
    assert "水印件" in detail and "下载原件" in detail and "data-confirm" in detail
    client.post(reverse("quickreports:inbox_action", args=[result.report.pk, "close"]), {"reason": "误报"})
    assert QuickReport.objects.get().status == "closed_invalid"
    media = QuickReportMedia.objects.get()
    assert client.get(reverse("quickreports:media", args=[media.pk, "original"])).status_code == 200
    client.force_login(staff_factory("intake", jurisdiction="370100"))
    assert client.get(reverse("quickreports:inbox_detail", args=[result.report.pk])).status_code == 404
    assert client.get(reverse("quickreports:media", args=[media.pk, "original"])).status_code == 404
    assert result.case_numbers[0] not in client.get(reverse("quickreports:inbox")).content.decode()


def test_supplement_page_says_why_it_is_closed_after_acceptance(client, worker, employer_user_a, submit):
    from gongshang.cases.models import InjuryCase

    from .test_services import _accepted_application

    result = submit(worker)
    _accepted_application(InjuryCase.objects.get(), employer_user_a, on=timezone.localdate())
    client.force_login(worker)  # the reporter: no SMS code needed
    response = client.post(reverse("quickreports:supplement_start"), {"code": result.code})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "工伤认定申请已于" in page and "不能再补充或更正" in page and 'id="supplement-form"' not in page
    refused = client.post(response["Location"], {"note": "改一下"})
    assert refused.status_code == 409 and "不能再补充或更正" in refused.content.decode()
    assert not QuickReport.objects.get().events.filter(event_type="quickreport.supplemented").exists()


def test_an_unreachable_file_store_keeps_the_form_filled_in(client, worker, monkeypatch):
    """The phone form, not a 500: the worker is told to try again and finds what they typed."""
    from django.core.files.storage import default_storage

    def refuse(name, content, **kwargs):
        raise ConnectionError("Could not connect to the endpoint URL")

    monkeypatch.setattr(default_storage, "save", refuse)
    client.force_login(worker)
    accept_pledge(client)
    response = client.post(reverse("quickreports:report", args=["self"]),
                           {**form_data(description="右手被冲床压伤"), "photos": [photo()]})
    page = response.content.decode()
    assert response.status_code == 422  # the form again, with the message (the page's htmx swaps a 422)
    assert "文件暂时无法保存" in page and "右手被冲床压伤" in page
    assert not QuickReport.objects.exists()
