"""The staff inbox: green channel shown with its promise, labels not codes, fixed query count,
pagination and flag filtering in the database."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongshang.quickreports import selectors
from gongshang.quickreports.choices import ReportFlag, ReportStatus
from gongshang.quickreports.models import QuickReport
from gongshang.quickreports.services import staff

from .conftest import other_person
from .media_fixtures import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(staff_factory):
    return staff_factory("intake")


def test_green_channel_shown_with_promise_and_due_date(client, worker, submit, officer):
    from gongshang.recognition.models import RecognitionApplication

    result = submit(worker)
    staff.quick_report_green_channel(actor=officer, report=result.report)
    case = result.report.accident.cases.get()
    client.force_login(officer)
    inbox = client.get(reverse("quickreports:inbox")).content.decode()
    assert "绿色通道" in inbox and "受理后 5 个工作日内认定" in inbox
    detail = client.get(reverse("quickreports:inbox_detail", args=[result.report.pk])).content.decode()
    assert "受理后 5 个工作日内作出认定决定" in detail and "尚未受理认定申请" in detail
    RecognitionApplication.objects.create(case=case, region=case.region, owner_key=f"user:{worker.pk}",
                                          created_by=worker, from_quick_report=True,
                                          accepted_on=date(2026, 11, 20))  # a Friday
    detail = client.get(reverse("quickreports:inbox_detail", args=[result.report.pk])).content.decode()
    assert "应于 2026-11-27 前作出认定决定" in detail


@pytest.fixture
def on_2026_12_05(time_machine):
    """Listed first, so the fixtures after it are made on that day too."""
    time_machine.move_to(datetime(2026, 12, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def test_green_channel_due_in_a_year_not_entered_is_marked_provisional(on_2026_12_05, client, worker, submit,
                                                                       officer):
    from gongshang.recognition.models import RecognitionApplication

    result = submit(worker)
    staff.quick_report_green_channel(actor=officer, report=result.report)
    case = result.report.accident.cases.get()
    # Accepted Monday 2027-02-01: 02-02..04, then 春节 (除夕 02-05 to 初三 02-08, 第二条) and the estimated
    # 补假 02-09/10, so working days 4 and 5 are 02-11 and 02-12 (the later candidate).
    RecognitionApplication.objects.create(case=case, region=case.region, owner_key=f"user:{worker.pk}",
                                          created_by=worker, from_quick_report=True, accepted_on=date(2027, 2, 1))
    client.force_login(officer)
    detail = client.get(reverse("quickreports:inbox_detail", args=[result.report.pk])).content.decode()
    assert "应于 2027-02-12 前作出认定决定；暂定：该年度放假安排尚未录入" in detail
    # The agency keeps its promise by the earlier candidate, should the estimated 补假 be working days.
    assert "如补假另有安排，最早可能为 2027-02-10，请以此为准安排" in detail


def test_screens_show_chinese_labels_not_codes(client, bystander, submit, officer):
    result = submit(bystander, reporter_kind="other", reporter_mobile="13700000009",
                    persons=[other_person(name="")], photos=[photo(None)])
    client.force_login(officer)
    inbox = client.get(reverse("quickreports:inbox")).content.decode()
    detail = client.get(reverse("quickreports:inbox_detail", args=[result.report.pk])).content.decode()
    for page in (inbox, detail):
        assert str(ReportFlag.INCOMPLETE.label) in page and ">incomplete<" not in page
        assert ">new<" not in page
    assert str(ReportStatus.NEW.label) in inbox
    assert "no_capture_time" not in detail and "无拍摄时间" in detail
    assert "name_missing" not in detail and "姓名未填" in detail


def _reports(submit, worker, n):
    return [submit(worker).report for _ in range(n)]


def test_inbox_page_and_staff_api_use_a_fixed_number_of_queries(client, api_client, worker, submit, officer,
                                                                token_for):
    _reports(submit, worker, 2)
    client.force_login(officer)
    headers = token_for(officer)
    api_client.get(reverse("api:staff_list"), **headers)  # the token's use is written once a minute
    with CaptureQueriesContext(connection) as few_page:
        client.get(reverse("quickreports:inbox"))
    with CaptureQueriesContext(connection) as few_api:
        api_client.get(reverse("api:staff_list"), **headers)
    _reports(submit, worker, 8)
    with CaptureQueriesContext(connection) as many_page:
        client.get(reverse("quickreports:inbox"))
    with CaptureQueriesContext(connection) as many_api:
        api_client.get(reverse("api:staff_list"), **headers)
    assert len(many_page) == len(few_page) and len(many_api) == len(few_api)


def test_staff_api_paginates_with_limit_and_offset(api_client, worker, submit, officer, token_for):
    reports = _reports(submit, worker, 5)
    headers = token_for(officer)
    body = api_client.get(reverse("api:staff_list") + "?limit=2&offset=1", **headers).json()
    assert body["count"] == 5 and (body["limit"], body["offset"]) == (2, 1)
    assert [r["id"] for r in body["items"]] == [reports[3].pk, reports[2].pk]
    assert api_client.get(reverse("api:staff_list") + "?limit=0", **headers).status_code == 422
    default = api_client.get(reverse("api:staff_list"), **headers).json()
    assert default["limit"] == selectors.PAGE_SIZE


@pytest.mark.parametrize("offset", ["9223372036854775808", "10000001"])
def test_staff_api_offset_is_bounded(api_client, officer, token_for, offset):
    response = api_client.get(reverse("api:staff_list") + f"?offset={offset}", **token_for(officer))
    assert response.status_code == 422, response.content
    assert response.json()["details"] == [{"field": "offset", "message": "数值过大（最大为 10000000）"}]


@pytest.mark.parametrize(("query", "field"), [("status=bogus", "status"), ("flag=no_medias", "flag")])
def test_staff_api_unknown_filter_values_answer_422_naming_them(api_client, officer, token_for, query, field):
    response = api_client.get(reverse("api:staff_list") + f"?{query}", **token_for(officer))
    assert response.status_code == 422, response.content
    [detail] = response.json()["details"]
    assert detail["field"] == field and "取值不在允许范围内，可选：" in detail["message"]


def test_inbox_page_is_paginated(client, worker, submit, officer, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    reports = _reports(submit, worker, 3)
    client.force_login(officer)
    first = client.get(reverse("quickreports:inbox")).content.decode()
    second = client.get(reverse("quickreports:inbox") + "?page=2").content.decode()
    oldest = reports[0].accident.cases.get().number
    assert oldest not in first and oldest in second and "第 1 / 2 页" in first


def test_flag_filter_runs_in_the_database(worker, bystander, submit, officer):
    flagged = submit(bystander, reporter_kind="other", reporter_mobile="13700000009",
                     persons=[other_person(name="")]).report
    submit(worker, accident_at=timezone.now() - timedelta(hours=2))
    qs = selectors.quick_report_list(actor=officer, flag=ReportFlag.INCOMPLETE)
    assert "flag_index" in str(qs.query)
    assert list(qs) == [QuickReport.objects.get(pk=flagged.pk)]
    assert list(selectors.quick_report_list(actor=officer, flag="incompl")) == []


@pytest.mark.parametrize("role", ["benefits_reviewer", "hotline", "system_admin", "reviewer"])
def test_other_roles_of_the_region_get_403_on_the_inbox_pages(client, worker, submit, staff_factory, role):
    report = submit(worker).report
    client.force_login(staff_factory(role))
    assert client.get(reverse("quickreports:inbox")).status_code == 403
    assert client.get(reverse("quickreports:inbox_detail", args=[report.pk])).status_code == 403
    for name in ("receive", "open-case", "green-channel", "message", "close"):
        response = client.post(reverse("quickreports:inbox_action", args=[report.pk, name]),
                               {"text": "留言", "reason": "误报"})
        assert response.status_code == 403, name
    assert QuickReport.objects.get().status == ReportStatus.NEW


def test_outside_accounts_are_refused_the_inbox(client, worker, submit, employer_user_a):
    report = submit(worker).report
    for account in (worker, employer_user_a):
        client.force_login(account)
        assert client.get(reverse("quickreports:inbox")).status_code == 403
        assert client.get(reverse("quickreports:inbox_detail", args=[report.pk])).status_code == 403


def _buttons(client, report):
    html = client.get(reverse("quickreports:inbox_detail", args=[report.pk])).content.decode()
    urls = {name: reverse("quickreports:inbox_action", args=[report.pk, name])
            for name in ("receive", "open-case", "green-channel", "message", "close")}
    return {name for name, url in urls.items() if f'action="{url}"' in html}


def test_detail_shows_only_the_allowed_buttons(client, worker, submit, officer):
    report = submit(worker).report
    client.force_login(officer)
    assert _buttons(client, report) == {"receive", "open-case", "green-channel", "message", "close"}
    staff.quick_report_receive(actor=officer, report=report)
    assert _buttons(client, report) == {"open-case", "green-channel", "message", "close"}
    staff.quick_report_green_channel(actor=officer, report=report)
    assert _buttons(client, report) == {"open-case", "message", "close"}
    staff.quick_report_open_case(actor=officer, report=report)
    assert _buttons(client, report) == {"message"}
    closed = submit(worker).report
    staff.quick_report_close_invalid(actor=officer, report=closed, reason="误报")
    assert _buttons(client, closed) == {"message"}


def test_action_on_a_stale_status_shows_the_refusal(client, worker, submit, officer):
    report = submit(worker).report
    client.force_login(officer)
    staff.quick_report_open_case(actor=officer, report=report)
    response = client.post(reverse("quickreports:inbox_action", args=[report.pk, "receive"]), follow=True)
    assert "快报当前状态不允许此操作" in response.content.decode()
    assert QuickReport.objects.get().status == ReportStatus.CASE_OPENED
