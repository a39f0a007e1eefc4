"""快报时间线: a Chinese sentence per event for the reporter and for staff, the time "YYYY-MM-DD HH:MM",
never field codes or Python data (the supplement's persons/accident lists, a transition's from/to)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from gongshang.quickreports import presenters
from gongshang.quickreports.services import staff as staff_services
from gongshang.quickreports.services.supplement import SupplementInput, quick_report_supplement

from .conftest import other_person

pytestmark = pytest.mark.django_db

RAW = ("(", ")", "[", "]", "'", "&#x27;", "{", "injured_name", "id_number", "occurred_at", "person_id",
       "quickreport.", "received", "case_opened", "new", "None", "T06:")


@pytest.fixture
def report(time_machine, submit, bystander, staff_factory):
    time_machine.move_to(datetime(2026, 12, 5, 6, 50, 31, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    result = submit(bystander, reporter_kind="other", reporter_mobile="13700000009", persons=[other_person()])
    number = result.case_numbers[0]
    quick_report_supplement(actor=bystander, report=result.report, data=SupplementInput(
        persons=[{"case_number": number, "name": "王武", "id_number": "370202198803151237"}],
        accident_at=datetime(2026, 12, 5, 5, 30, tzinfo=ZoneInfo("Asia/Shanghai")), note="已送医院"))
    clerk = staff_factory("intake", display_name="孙受理")
    staff_services.quick_report_receive(actor=clerk, report=result.report)
    staff_services.quick_report_message(actor=clerk, report=result.report, text="请补充诊断证明")
    staff_services.quick_report_open_case(actor=clerk, report=result.report)
    return result.report


def _rendered(report, *, for_reporter: bool) -> str:
    items = presenters.timeline(report, for_reporter=for_reporter)
    html = render_to_string("quickreports/_timeline.html", {"items": items})
    return html.replace('class="', "").replace('"', "")


@pytest.mark.parametrize("for_reporter", [True, False], ids=["reporter", "staff"])
def test_timeline_is_chinese_sentences_with_minute_times(report, for_reporter):
    html = _rendered(report, for_reporter=for_reporter)
    assert "2026-12-05 06:50" in html
    for raw in RAW:
        assert raw not in html, (raw, html)
    assert "的姓名、身份证号" in html and "更正事故时间" in html and "说明：已送医院" in html
    assert "请补充诊断证明" in html


def test_reporter_sees_the_agency_staff_sees_who(report):
    reporter, staff = _rendered(report, for_reporter=True), _rendered(report, for_reporter=False)
    assert "孙受理" not in reporter and "经办机构已立案" in reporter
    assert "孙受理" in staff and "立案" in staff

