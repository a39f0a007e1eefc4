"""The workbench dashboard: each role sees the counts of its own queues (through the selectors and
`restrict`), the three administrators none, and the chart data reaches the page as JSON."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongshang.accounts.choices import StaffRole
from gongshang.quickreports import content
from gongshang.quickreports.services.submission import InjuredInput, ReportInput, quick_report_submit
from gongshang.web.dashboard import chart_data, queues_for

pytestmark = pytest.mark.django_db


def keys(user) -> list[str]:
    return [q["key"] for q in queues_for(user)]


@pytest.fixture
def quick_report(employer_user_a, zhang_wei, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return quick_report_submit(actor=employer_user_a, photos=[], data=ReportInput(
        reporter_kind="employer", accident_at=timezone.now() - timedelta(hours=1), description="冲床压伤右手",
        address="青岛市市南区香港中路 100 号车间", reporter_mobile="13800000001",
        persons=[InjuredInput(name="张伟", id_number="370202198803151237", mobile="13900000001", body_part="右手")],
        pledge_version=content.PLEDGE_VERSION))


@pytest.mark.parametrize("role", [StaffRole.SECURITY_ADMIN, StaffRole.AUDIT_ADMIN, StaffRole.SYSTEM_ADMIN])
def test_the_three_administrators_see_no_case_counts(staff_factory, role):
    assert queues_for(staff_factory(role)) == []


def test_each_role_sees_its_own_queues(staff_factory):
    assert keys(staff_factory(StaffRole.INTAKE)) == ["quick_reports", "recognition", "enrolment_changes", "employers"]
    assert keys(staff_factory(StaffRole.REVIEWER)) == ["recognition"]
    assert keys(staff_factory(StaffRole.BENEFITS_REVIEWER)) == ["entitlements", "payroll"]


def test_counts_come_from_the_officers_jurisdiction(staff_factory, quick_report):
    here = {q["key"]: q for q in queues_for(staff_factory(StaffRole.INTAKE))}["quick_reports"]
    assert here["total"] == 1 and here["figures"] == [{"label": "未读", "count": 1}]
    assert here["stages"][0] == {"label": "新快报", "count": 1}
    elsewhere = {q["key"]: q for q in queues_for(staff_factory(StaffRole.INTAKE, jurisdiction="220100"))}
    assert elsewhere["quick_reports"]["total"] == 0


@pytest.mark.time_machine("2026-12-07 10:00 +08:00")
def test_recognition_panel_counts_due_today_and_overdue(staff_factory):
    panel = {q["key"]: q for q in queues_for(staff_factory(StaffRole.REVIEWER))}["recognition"]
    assert [f["label"] for f in panel["figures"]] == ["今日到期", "已超期"]
    assert "待分配" in [s["label"] for s in panel["stages"]]


def test_workbench_page_carries_the_chart_data_as_json(client, staff_factory, quick_report):
    user = staff_factory(StaffRole.INTAKE)
    client.force_login(user)
    html = client.get(reverse("web:staff_home")).content.decode()
    assert '<script id="dashboard-data" type="application/json">' in html
    assert "chart-4.6.2.umd.min.js" in html and "web/js/dashboard.js" in html
    assert 'id="chart-quick_reports"' in html and "待办概览" in html
    assert chart_data(queues_for(user))[0]["counts"][0] == 1


def test_administrators_workbench_has_no_chart(client, staff_factory):
    client.force_login(staff_factory(StaffRole.AUDIT_ADMIN))
    html = client.get(reverse("web:staff_home")).content.decode()
    assert "dashboard-data" not in html and "chart-4.6.2" not in html
