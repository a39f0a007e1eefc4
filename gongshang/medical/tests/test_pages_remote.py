"""Pages of 异地就医备案 and 辅助器具/康复: the worker's phone page from the one-case view (form, the
current registration with its dates, change and cancel with confirmation, the lock), the staff lists
with filters and masked names, the choice of an institution."""

from datetime import date

import pytest
from django.test import Client

from gongshang.medical.models import Referral, RemoteRegistration

from .factories_remote import *  # noqa: F403
from .factories_remote import make_referral, make_registration

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


@pytest.fixture
def phone(client, worker):
    client.force_login(worker)
    return client


def test_case_page_links_to_remote_registration(phone, case):
    html = phone.get(f"/cases/{case.pk}/").content.decode()
    assert f"/medical/remote/case/{case.pk}/" in html and f"/medical/referrals/case/{case.pk}/" in html


def test_worker_files_on_the_phone(phone, case):
    page = phone.get(f"/medical/remote/case/{case.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'name="viewport"' in html
    assert "山东省济南市" in html and "山东省青岛市" not in html.split('id="region"')[1].split("</select>")[0]
    assert "data-confirm" in html
    r = phone.post(f"/medical/remote/case/{case.pk}/", {"reason": "referral", "region": "370100",
                                                        "start_date": "2026-03-10"})
    assert r.status_code == 302
    row = RemoteRegistration.objects.get()
    assert row.valid_until == date(2027, 3, 9)
    html = phone.get(f"/medical/remote/case/{case.pk}/").content.decode()
    assert "2027年3月9日" in html and "2026年6月10日起" in html and 'id="locked-note"' in html
    assert 'id="remote-change"' not in html


def test_form_errors_in_chinese(phone, case):
    r = phone.post(f"/medical/remote/case/{case.pk}/", {"reason": "referral", "region": "370200",
                                                        "start_date": "2020-01-01"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "不需要办理异地就医备案" in html and "开始日期不能早于" in html
    assert not RemoteRegistration.objects.exists()


def test_change_and_cancel_after_the_lock(phone, case, worker, time_machine):
    row = make_registration(case, worker)
    time_machine.move_to("2026-06-10 10:00 +08:00")
    phone.force_login(worker)  # sessions expire: sign in on the pinned day
    html = phone.get(f"/medical/remote/case/{case.pk}/").content.decode()
    assert 'id="remote-change"' in html and 'id="remote-cancel"' in html
    page = phone.get(f"/medical/remote/{row.pk}/change/").content.decode()
    assert "data-confirm" in page
    r = phone.post(f"/medical/remote/{row.pk}/change/", {"reason": "posted", "region": "370700",
                                                         "start_date": "2026-06-10"})
    assert r.status_code == 302
    new = RemoteRegistration.objects.get(status="active")
    assert new.treatment_region == "370700"
    assert "data-confirm" in phone.get(f"/medical/remote/{new.pk}/cancel/").content.decode()


def test_cancel_before_the_lock_shows_the_date(phone, case, worker, time_machine):
    row = make_registration(case, worker)
    time_machine.move_to("2026-06-09 10:00 +08:00")
    phone.force_login(worker)
    r = phone.post(f"/medical/remote/{row.pk}/cancel/", {})
    assert r.status_code == 422 and "2026年6月10日起可以办理" in r.content.decode()
    row.refresh_from_db()
    assert row.status == "active"


def test_other_worker_gets_404(case, worker, li_na):
    from gongshang.accounts.tests.factories import IndividualUserFactory

    row = make_registration(case, worker)
    client = Client()
    client.force_login(IndividualUserFactory(person=li_na))
    assert client.get(f"/medical/remote/case/{case.pk}/").status_code == 404
    assert client.get(f"/medical/remote/{row.pk}/cancel/").status_code == 404


def test_staff_list_filters_and_masks(client, inspector, case, worker):
    make_registration(case, worker)
    make_registration(case, worker, status="cancelled", treatment_region="370700", start_date=date(2025, 1, 1),
                      valid_until=date(2025, 12, 31))
    client.force_login(inspector)
    html = client.get("/medical/remote/").content.decode()
    assert "共 2 条" in html and "张*" in html and "张伟" not in html.split('id="remote-table"')[1]
    assert "共 1 条" in client.get("/medical/remote/?status=active").content.decode()
    assert "共 1 条" in client.get("/medical/remote/?treatment_region=370700").content.decode()
    assert "共 0 条" in client.get("/medical/remote/?active_on=2027-06-01").content.decode()


def test_staff_menu_has_the_lists(client, inspector):
    from gongshang.web.navigation import menu_for

    labels = [item["label"] for item in menu_for(inspector)]
    assert "异地就医备案" in labels and "辅助器具与康复" in labels


def test_worker_chooses_an_institution(phone, case, supplier):
    row = make_referral(case)
    html = phone.get(f"/medical/referrals/case/{case.pk}/").content.decode()
    assert "小腿假肢" in html and f"/medical/referrals/{row.pk}/choose/" in html
    page = phone.get(f"/medical/referrals/{row.pk}/choose/").content.decode()
    assert "青岛康复辅具配置中心" in page and "data-confirm" in page
    r = phone.post(f"/medical/referrals/{row.pk}/choose/", {"institution_code": supplier.code})
    assert r.status_code == 302
    assert Referral.objects.get().institution == supplier
    r = phone.post(f"/medical/referrals/{row.pk}/choose/", {"institution_code": "nope"})
    assert r.status_code == 422 and "协议有效" in r.content.decode()


def test_staff_referral_list(client, inspector, case, supplier):
    make_referral(case, institution=supplier, status="chosen")
    client.force_login(inspector)
    html = client.get("/medical/referrals/?kind=device").content.decode()
    assert "共 1 条" in html and "青岛康复辅具配置中心" in html


def test_phone_page_states_the_regional_months(phone, case, worker):
    """The validity and the lock are regional parameters: the page tells the worker the region's, not
    a fixed 12 and 3."""
    from gongshang.medical.models import MedicalSetting

    MedicalSetting.objects.create(region="370200", valid_from=date(2026, 1, 1), remote_valid_months=6,
                                  remote_lock_months=2)
    html = phone.get(f"/medical/remote/case/{case.pk}/").content.decode()
    assert "有效期6个月" in html and "满2个月后才能变更或取消" in html
    assert "12个月" not in html and "满3个月" not in html
    row = make_registration(case, worker, start_date=date(2026, 3, 10), valid_until=date(2026, 9, 9))
    html = phone.get(f"/medical/remote/case/{case.pk}/").content.decode()
    assert "备案满2个月后才能变更或取消" in html and "满3个月" not in html
    html = phone.get(f"/medical/remote/{row.pk}/change/").content.decode()
    assert "有效6个月" in html and "满2个月" in html and "12个月" not in html
