"""节假日维护 page: system administrators only; every change audited."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gongshang.accounts.models import StaffRoleAssignment, User
from gongshang.core.models import AuditEvent, CalendarYear, HolidayOverride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def pinned_clock():
    with time_machine.travel(datetime(2026, 12, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def sys_admin(client):
    user = User.objects.create_user(username="sys", password="x", kind="staff", jurisdiction="370200")
    StaffRoleAssignment.objects.create(user=user, role="system_admin")
    client.force_login(user)
    return user


@pytest.fixture
def page_url():
    return reverse("core:calendar_overrides")


def test_anonymous_is_sent_to_login(client, page_url):
    response = client.get(page_url)
    assert response.status_code == 302


def test_staff_without_the_role_is_forbidden(client, page_url):
    user = User.objects.create_user(username="intake", password="x", kind="staff", jurisdiction="370200")
    StaffRoleAssignment.objects.create(user=user, role="intake")
    client.force_login(user)
    assert client.get(page_url).status_code == 403
    response = client.post(reverse("core:calendar_override_save"),
                           {"date": "2026-03-12", "kind": "holiday", "name": "x"})
    assert response.status_code == 403
    assert not HolidayOverride.objects.exists()


def test_employer_account_cannot_reach_the_page(client, page_url):
    user = User.objects.create_user(username="emp", password="x", kind="employer")
    client.force_login(user)
    assert client.get(page_url).status_code == 403  # signed in, wrong audience: refused, not sent to login again


def test_page_lists_the_year(client, sys_admin, page_url):
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    HolidayOverride.objects.create(date=date(2026, 5, 9), is_workday=True, name="劳动节调休上班")
    response = client.get(page_url, {"year": 2027})
    assert response.status_code == 200
    html = response.content.decode()
    assert "元旦" in html
    assert "劳动节调休上班" not in html
    assert 'data-confirm="确定删除该日调整吗？"' in html
    assert "尚未录入全年安排" in html
    for label in ("日期", "当天为", "名称", "年份", "依据", "起算日期", "期限天数", "单位"):
        assert f">{label}" in html


def test_add_edit_and_delete_an_override(client, sys_admin):
    response = client.post(reverse("core:calendar_override_save"),
                           {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2027")
    override = HolidayOverride.objects.get(date=date(2027, 1, 1))
    assert override.is_workday is False
    assert override.updated_by == sys_admin
    event = AuditEvent.objects.get(event_type="calendar.override_set")
    assert event.actor == sys_admin
    assert event.details["date"] == "2027-01-01"

    # Editing: the same date again replaces it.
    edit_page = client.get(reverse("core:calendar_overrides"), {"year": 2027, "edit": "2027-01-01"})
    assert 'value="2027-01-01"' in edit_page.content.decode()
    client.post(reverse("core:calendar_override_save"), {"date": "2027-01-01", "kind": "workday", "name": "改"})
    override.refresh_from_db()
    assert override.is_workday is True and override.name == "改"
    assert HolidayOverride.objects.count() == 1
    assert AuditEvent.objects.filter(event_type="calendar.override_set").count() == 2

    response = client.post(reverse("core:calendar_override_delete", args=["2027-01-01"]))
    assert response.status_code == 302
    assert not HolidayOverride.objects.exists()
    deleted = AuditEvent.objects.get(event_type="calendar.override_deleted")
    assert deleted.actor == sys_admin
    assert deleted.details["date"] == "2027-01-01"


def test_delete_needs_post(client, sys_admin):
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False)
    response = client.get(reverse("core:calendar_override_delete", args=["2027-01-01"]))
    assert response.status_code == 405
    assert HolidayOverride.objects.exists()


def test_deleting_a_missing_override_says_so(client, sys_admin):
    response = client.post(reverse("core:calendar_override_delete", args=["2027-01-02"]), follow=True)
    assert response.status_code == 200
    assert "没有节假日调整记录" in response.content.decode()
    assert not AuditEvent.objects.filter(event_type="calendar.override_deleted").exists()


def test_invalid_override_shows_errors_beside_fields(client, sys_admin):
    response = client.post(reverse("core:calendar_override_save"), {"date": "", "kind": "holiday"})
    assert response.status_code == 422
    assert "请选择日期" in response.content.decode()
    assert not HolidayOverride.objects.exists()
    assert not AuditEvent.objects.exists()


def test_mark_year_complete(client, sys_admin):
    response = client.post(reverse("core:calendar_year_save"),
                           {"year": "2027", "complete": "on", "source": "国办发明电〔2026〕X号"})
    assert response.status_code == 302
    row = CalendarYear.objects.get(year=2027)
    assert row.complete and row.source == "国办发明电〔2026〕X号"
    assert AuditEvent.objects.get(event_type="calendar.year_set").details["complete"] is True
    page = client.get(reverse("core:calendar_overrides"), {"year": 2027}).content.decode()
    assert "已人工录入全年安排" in page


def test_mark_year_complete_needs_a_source(client, sys_admin):
    response = client.post(reverse("core:calendar_year_save"), {"year": "2027", "complete": "on", "source": ""})
    assert response.status_code == 422
    assert "请填写依据" in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_try_form(client, sys_admin, page_url):
    response = client.get(page_url, {"start": "2026-09-30", "length": "5", "unit": "working"})
    html = response.content.decode()
    assert "2026-10-13" in html
    assert "暂定" not in html.split("期限试算")[1]
    response = client.get(page_url, {"start": "2026-12-20", "length": "30", "unit": "natural"})
    html = response.content.decode()
    assert "2027-01-19" in html
    assert "（暂定）" in html
    assert "2027年的放假安排（国务院办公厅通知）尚未录入" in html


def test_try_form_in_spring_festival_2027_shows_both_candidates(client, sys_admin, page_url):
    html = client.get(page_url, {"start": "2027-02-04", "length": "1", "unit": "natural"}).content.decode()
    assert "<strong>2027-02-11</strong>" in html and "（暂定）" in html
    assert "可能早至2027年02月09日" in html


def test_provisional_year_lists_the_days_it_assumes(client, sys_admin, page_url):
    html = client.get(page_url, {"year": 2027}).content.decode()
    assumed = html.split('id="assumed-days"')[1].split("</details>")[0]
    assert "2027-02-05" in assumed and "农历除夕" in assumed
    assert "2027-02-09" in assumed and "推定补假" in assumed
    assert 'id="assumed-days"' not in client.get(page_url, {"year": 2026}).content.decode()


def test_try_form_errors(client, sys_admin, page_url):
    response = client.get(page_url, {"start": "2026-09-30", "length": "-1", "unit": "working"})
    assert response.status_code == 200
    assert "期限天数应为 0 到 3660 之间的整数" in response.content.decode()


def test_try_form_shows_overdue(client, sys_admin, page_url):
    html = client.get(page_url, {"start": "2020-01-06", "length": "1", "unit": "natural"}).content.decode()
    assert "2020-01-07" in html
    assert "已超期" in html


# --- the calendar is national: only the home region maintains it -----------------------------


@pytest.fixture
def weifang_admin(client, settings):
    settings.DEFAULT_POOLING_REGION = "370200"
    user = User.objects.create_user(username="wf-sys", password="x", kind="staff", jurisdiction="370700")
    StaffRoleAssignment.objects.create(user=user, role="system_admin")
    client.force_login(user)
    return user


def test_another_regions_admin_sees_the_calendar_read_only(client, weifang_admin, page_url):
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    response = client.get(page_url, {"year": 2027, "start": "2026-09-30", "length": "5", "unit": "working"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "元旦" in html
    assert "节假日安排由山东省青岛市系统管理员统一维护" in html
    assert reverse("core:calendar_override_save") not in html
    assert reverse("core:calendar_year_save") not in html
    assert "data-confirm" not in html
    assert "2026-10-13" in html  # trying a period is still possible


def test_another_regions_admin_cannot_change_the_calendar(client, weifang_admin):
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    for url, data in [
        (reverse("core:calendar_override_save"), {"date": "2027-01-02", "kind": "holiday", "name": "x"}),
        (reverse("core:calendar_override_delete", args=["2027-01-01"]), {}),
        (reverse("core:calendar_year_save"), {"year": "2027", "complete": "on", "source": "国办发明电"}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 403
        assert "节假日安排由山东省青岛市系统管理员统一维护" in response.content.decode()
    assert list(HolidayOverride.objects.values_list("name", flat=True)) == ["元旦"]
    assert not CalendarYear.objects.exists()
    assert not AuditEvent.objects.filter(event_type__startswith="calendar.").exists()


def test_services_refuse_anyone_but_a_home_region_system_admin(settings, weifang_admin):
    from gongshang.core.errors import Forbidden
    from gongshang.core.workdays import services

    home_intake = User.objects.create_user(username="qd-intake", password="x", kind="staff",
                                           jurisdiction="370200")
    StaffRoleAssignment.objects.create(user=home_intake, role="intake")
    for actor in (weifang_admin, home_intake, None):
        with pytest.raises(Forbidden) as exc:
            services.holiday_override_set(actor=actor, date=date(2027, 1, 2), is_workday=False)
        assert exc.value.status == 403
        assert "统一维护" in exc.value.message
        with pytest.raises(Forbidden):
            services.calendar_year_set(actor=actor, year=2027, complete=False)
        with pytest.raises(Forbidden):
            services.holiday_override_delete(actor=actor, date=date(2027, 1, 2))
    assert not HolidayOverride.objects.exists()

    # Moving the installation's home region moves who maintains the calendar.
    settings.DEFAULT_POOLING_REGION = "370700"
    services.holiday_override_set(actor=weifang_admin, date=date(2027, 1, 2), is_workday=False)
    assert HolidayOverride.objects.filter(date=date(2027, 1, 2)).exists()
