"""The case timeline: a Chinese sentence per event for applicants and for staff, minute times, no codes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from gongshang.cases import presenters, services

pytestmark = pytest.mark.django_db

RAW = ("(", ")", "[", "]", "'", "&#x27;", "{", "quick_report", "reported", "opened", "injured_name",
       "occurred_at", "case.", "None", "T06:")


@pytest.fixture
def case(time_machine, staff_factory):
    time_machine.move_to(datetime(2026, 12, 5, 6, 50, 31, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    clerk = staff_factory("intake", display_name="孙受理")
    accident = services.accident_create(region="370200", occurred_at=datetime(2026, 12, 5, 6, 47, 12,
                                                                              tzinfo=ZoneInfo("Asia/Shanghai")))
    case = services.case_create(actor=None, accident=accident, source="quick_report",
                                injured={"name": "张伟", "id_number": "370202198803151237"})
    services.case_open(actor=clerk, case=case, reason="工伤快报立案")
    services.case_correct_injured(actor=clerk, case=case, changes={"injured_name": "张卫",
                                                                   "injured_id_number": "110101199003077777"})
    services.accident_correct(actor=clerk, accident=accident, changes={
        "occurred_at": datetime(2026, 12, 5, 5, 30, tzinfo=ZoneInfo("Asia/Shanghai"))})
    services.case_mark_green_channel(actor=clerk, case=case)
    return case


def _rendered(case, *, for_staff: bool) -> str:
    items = presenters.case_timeline(case, for_staff=for_staff)
    return render_to_string("cases/_timeline.html", {"items": items}).replace('class="', "").replace('"', "")


@pytest.mark.parametrize("for_staff", [False, True], ids=["applicant", "staff"])
def test_case_timeline_is_chinese_sentences_with_minute_times(case, for_staff):
    html = _rendered(case, for_staff=for_staff)
    assert "2026-12-05 06:50" in html
    for raw in RAW:
        assert raw not in html, (raw, html)
    assert "建立工伤案件（来源：工伤快报）" in html and "案件状态由“已快报”变为“已立案”，原因：工伤快报立案" in html


def test_applicant_sees_what_changed_staff_sees_old_and_new_masked(case):
    applicant, staff = _rendered(case, for_staff=False), _rendered(case, for_staff=True)
    assert "更正受伤人员信息：姓名、身份证号" in applicant and "张伟" not in applicant and "孙受理" not in applicant
    assert "姓名：张伟 → 张卫" in staff and "370202198803151237" not in staff and "孙受理" in staff
    assert "事故时间：2026-12-05 06:47 → 2026-12-05 05:30" in staff
