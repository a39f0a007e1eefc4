"""入出院通知 pages: the list (filters, masked ID numbers, case links), one notice with its link and
dismiss forms (confirmed first), and the read-only section on the staff case page."""

import pytest
from django.test import Client
from django.urls import reverse

from gongshang.accounts.tests.factories import IndividualUserFactory

from ..models import HospitalNotice
from .factories_hospitals import *  # noqa: F403
from .factories_hospitals import WANG_JIANGUO_ID, ZHANG_WEI_ID, receive

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]
LIST = reverse("integrations:hospital_notice_list")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(notice) -> str:
    return reverse("integrations:hospital_notice_detail", kwargs={"notice_id": notice.pk})


@pytest.fixture
def notices(fake, open_case):
    batch, _ = receive(fake.daily_file([fake.admission(ZHANG_WEI_ID, "张伟", "2026-03-02"),
                                        fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-05", hospital=1)]))
    return {n.name: n for n in HospitalNotice.objects.filter(batch=batch)}


def test_list_masks_links_cases_and_filters(notices, open_case, intake):
    client = signed_in(intake)
    page = client.get(LIST)
    text = page.content.decode()
    assert page.status_code == 200 and "共 2 条" in text
    assert "370202********1237" in text and ZHANG_WEI_ID not in text and "张*" in text and "张伟" not in text
    assert reverse("cases:detail", args=[open_case.pk]) in text and open_case.number in text
    assert detail_url(notices["王建国"]) in text and "左胫骨骨折" not in text
    filtered = client.get(LIST, {"status": "unlinked", "kind": "admission", "date_from": "2026-03-03"})
    assert "共 1 条" in filtered.content.decode() and "王**" in filtered.content.decode()
    backwards = client.get(LIST, {"date_from": "2026-03-09", "date_to": "2026-03-01"}).content.decode()
    assert "“日期至”不能早于“日期自”" in backwards


def test_the_exchange_administrator_sees_without_forms_or_case_links(notices, open_case, exchange_staff):
    client = signed_in(exchange_staff)
    text = client.get(LIST).content.decode()
    assert open_case.number in text and reverse("cases:detail", args=[open_case.pk]) not in text
    detail = client.get(detail_url(notices["王建国"])).content.decode()
    assert "王建国" in detail and "link-panel" not in detail and "dismiss-panel" not in detail


def test_detail_link_and_dismiss_with_confirmation(notices, open_case, intake):
    client = signed_in(intake)
    wang = notices["王建国"]
    text = client.get(detail_url(wang)).content.decode()
    assert "370203********0030" in text and "社区获得性" not in text and "左胫骨骨折" in text
    assert 'id="link-panel"' in text and 'data-confirm="确定将该通知关联到所填的工伤案件吗？"' in text
    assert 'data-confirm="确定排除该通知吗？"' in text and "未匹配到参保人员" in text
    wrong = client.post(reverse("integrations:hospital_notice_link", args=[wang.pk]), {"case_number": open_case.number})
    assert wrong.status_code == 422 and "身份证号不一致" in wrong.content.decode()
    empty = client.post(reverse("integrations:hospital_notice_dismiss", args=[wang.pk]), {"note": ""})
    assert empty.status_code == 422 and "请填写排除原因。" in empty.content.decode()
    done = client.post(reverse("integrations:hospital_notice_dismiss", args=[wang.pk]), {"note": "普通疾病住院"})
    assert done.status_code == 302 and done["Location"] == detail_url(wang)
    assert HospitalNotice.objects.get(pk=wang.pk).status == "dismissed"
    after = client.get(done["Location"]).content.decode()
    assert "已排除该通知。" in after and "普通疾病住院" in after and "dismiss-panel" not in after


def test_a_linked_notice_offers_dismissal_naming_its_case(notices, open_case, benefits_staff):
    client = signed_in(benefits_staff)
    zhang = notices["张伟"]
    text = client.get(detail_url(zhang)).content.decode()
    assert f"确定排除该通知并取消与案件 {open_case.number} 的关联吗？" in text and "link-panel" not in text
    again = client.post(reverse("integrations:hospital_notice_link", args=[zhang.pk]), {"case_number": open_case.number})
    assert again.status_code == 302
    assert "该通知已关联工伤案件" in client.get(again["Location"]).content.decode()


def test_other_region_404_role_403_anonymous_to_login(notices, weifang_intake, exchange_staff, employer_user_a):
    wang = notices["王建国"]
    assert signed_in(weifang_intake).get(detail_url(wang)).status_code == 404
    assert signed_in(weifang_intake).post(reverse("integrations:hospital_notice_dismiss", args=[wang.pk]),
                                          {"note": "无关"}).status_code == 404
    assert signed_in(exchange_staff).post(reverse("integrations:hospital_notice_dismiss", args=[wang.pk]),
                                          {"note": "无关"}).status_code == 403
    assert signed_in(employer_user_a).get(LIST).status_code == 403
    anonymous = Client().get(LIST)
    assert anonymous.status_code == 302 and "/accounts/login" in anonymous["Location"]
    assert HospitalNotice.objects.get(pk=wang.pk).status == "unlinked"


def test_the_case_page_lists_the_cases_notices_for_those_who_may_see_them(notices, open_case, intake, person):
    url = reverse("cases:detail", args=[open_case.pk])
    text = signed_in(intake).get(url).content.decode()
    assert 'id="hospital-notices"' in text and "2026-03-02 青岛大学附属医院（演示） 入院：左胫骨骨折" in text
    assert detail_url(notices["张伟"]) in text and "卫健：青岛大学附属医院（演示） 入院 2026-03-02" in text
    worker = IndividualUserFactory(person=person)
    page = signed_in(worker).get(url).content.decode()
    assert 'id="hospital-notices"' not in page and "左胫骨骨折" not in page
    assert "卫健：青岛大学附属医院（演示） 入院 2026-03-02" in page
