"""身份核验 pages (views/identity.py): the list with filters and the manual check form."""

import pytest
from django.urls import reverse

from ..models import IdentityCheck
from .factories_identity import DOWN, LISTED_ID, LISTED_NAME, UNKNOWN_ID, ZHANG_WEI_ID, IdentityCheckFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-06-10 10:00 +08:00")]
LIST = reverse("integrations:identity_list")
CHECK = reverse("integrations:identity_check")


@pytest.fixture
def clerk_client(client, staff_factory):
    clerk = staff_factory("exchange")
    client.force_login(clerk)
    client.user = clerk
    return client


def test_the_list_masks_id_numbers_and_filters(clerk_client):
    IdentityCheckFactory(context="quick_report", result="name_mismatch")
    IdentityCheckFactory(id_number=UNKNOWN_ID, context="enrolment", result="not_found", cached=True)
    IdentityCheckFactory(region="370700", id_number=LISTED_ID)
    page = clerk_client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "370202********1237" in html and ZHANG_WEI_ID not in html and LISTED_ID not in html
    assert "共 2 条核验记录" in html and "工伤快报" in html and "姓名与身份证号不一致" in html
    assert "使用缓存结果" in html and 'id="identity-check"' in html and "人工核验" in html
    filtered = clerk_client.get(LIST, {"result": "not_found"}).content.decode()
    assert "共 1 条核验记录" in filtered and "370211********0572" in filtered
    assert "共 1 条核验记录" in clerk_client.get(LIST, {"cached": "0"}).content.decode()
    assert "共 1 条核验记录" in clerk_client.get(LIST, {"id_number": ZHANG_WEI_ID}).content.decode()
    assert "没有符合条件的核验记录" in clerk_client.get(LIST, {"date_to": "2026-06-01"}).content.decode()
    wrong = clerk_client.get(LIST, {"date_from": "2026-06-10", "date_to": "2026-06-01"}).content.decode()
    assert "核验日期止不能早于核验日期起" in wrong


def test_a_manual_check_is_recorded_and_its_answer_shown(clerk_client):
    response = clerk_client.post(CHECK, {"id_number": LISTED_ID, "name": "周建华"}, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    html = response.content.decode()
    assert "核验结果（370202********0311 周**）：姓名与身份证号不一致" in html and "msg-warning" in html
    found = IdentityCheck.objects.get()
    assert (found.context, found.result, found.actor, found.region) == ("staff", "name_mismatch",
                                                                        clerk_client.user, "370200")
    again = clerk_client.post(CHECK, {"id_number": LISTED_ID, "name": "周建华"}, follow=True).content.decode()
    assert "使用 30 天内同一身份证号和姓名的核验结果" in again
    matched = clerk_client.post(CHECK, {"id_number": LISTED_ID, "name": LISTED_NAME}, follow=True).content.decode()
    assert "身份信息一致" in matched and "msg-success" in matched


def test_an_outage_is_shown_as_such(clerk_client, settings):
    settings.POPULATION_REGISTER_BACKEND = DOWN
    html = clerk_client.post(CHECK, {"id_number": LISTED_ID, "name": LISTED_NAME}, follow=True).content.decode()
    assert "人口库暂不可用，未能核验" in html
    assert IdentityCheck.objects.get().result == "unavailable"


def test_bad_input_keeps_the_form_with_the_field_error(clerk_client, settings):
    response = clerk_client.post(CHECK, {"id_number": "370202198506120312", "name": LISTED_NAME})
    assert response.status_code == 422
    html = response.content.decode()
    assert "身份证号校验位不正确" in html and 'value="370202198506120312"' in html
    empty = clerk_client.post(CHECK, {"id_number": "", "name": ""})
    assert empty.status_code == 422 and "请填写要核验的身份证号" in empty.content.decode()
    settings.IDENTITY_CHECK_RATE_LIMIT = 0
    limited = clerk_client.post(CHECK, {"id_number": LISTED_ID, "name": LISTED_NAME})
    assert limited.status_code == 429 and "身份核验过于频繁" in limited.content.decode()
    assert not IdentityCheck.objects.exists()


def test_who_may_see_and_check(client, staff_factory, employer_user_a):
    assert client.get(LIST).status_code == 302
    client.force_login(staff_factory("benefits_reviewer"))
    assert client.get(LIST).status_code == 403
    assert client.post(CHECK, {"id_number": LISTED_ID, "name": LISTED_NAME}).status_code == 403
    client.force_login(employer_user_a)
    assert client.get(LIST).status_code == 403
    client.force_login(staff_factory("intake"))
    assert client.get(LIST).status_code == 200
    assert client.post(CHECK, {"id_number": LISTED_ID, "name": LISTED_NAME}).status_code == 302
    assert IdentityCheck.objects.count() == 1
