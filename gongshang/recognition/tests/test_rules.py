"""Pure rules, no database: materials checklist, periods, deadline specs, the transition table."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import time_machine

from gongshang.core.workdays import statutory
from gongshang.core.workdays.rules import due_date
from gongshang.recognition.choices import ApplicationStatus
from gongshang.recognition.rules import deadlines, decisions, materials, periods, workflow
from gongshang.recognition.rules.materials import Facts


class PackageCalendar:
    """chinese-calendar for known years; for 2027 (provisional) what the platform calendar does without
    entered overrides: weekends and 第二条's statutory days rest, the package's 补假 estimated."""

    def is_workday(self, day):
        try:
            return bool(chinese_calendar.is_workday(day)), False
        except NotImplementedError:
            return day.weekday() < 5 and day not in statutory.statutory_days(day.year), True

    def estimated_rest(self, day):
        return day.year > 2026 and day in statutory.estimated_make_up_days(day.year)

    def possible_rest(self, day):
        return day.year > 2026 and day in statutory.possible_rest_days(day.year)


PINNED = time_machine.travel(datetime(2026, 12, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def kinds(facts):
    return [r.kind for r in materials.required(facts)]


def test_always_required_and_outpatient():
    assert kinds(Facts(circumstance="art14_1", treatments=("outpatient",))) == [
        "application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record"]


def test_treatments_combine():
    got = kinds(Facts(circumstance="art14_1", treatments=("emergency_120", "inpatient")))
    assert {"emergency_record", "inpatient_front_page", "admission_record"} <= set(got)
    assert "outpatient_record" not in got


def test_commuting_traffic_accident():
    got = kinds(Facts(circumstance="art14_6", treatments=("outpatient",)))
    assert {"traffic_liability", "commute_route", "work_schedule", "residence_proof"} <= set(got)


def test_occupational_disease_uses_its_diagnosis():
    got = kinds(Facts(circumstance="art14_4"))
    assert "occupational_disease_diagnosis" in got and "medical_diagnosis" not in got


def test_violence_activity_death_and_relative():
    assert "police_receipt" in kinds(Facts(circumstance="art14_3"))
    assert "official_document" in kinds(Facts(circumstance="assigned_activity"))
    died = kinds(Facts(circumstance="art14_1", died=True, applicant_kind="relative", by_agent=True))
    assert {"death_certificate", "rescue_record", "kinship_proof", "applicant_id", "applicant_relation",
            "power_of_attorney"} <= set(died)
    assert len(died) == len(set(died))


def test_death_materials_cite_no_article_that_does_not_list_them():
    """No national article lists the death certificate, rescue record or kinship proof: their basis
    says what they prove and cites nothing (an applicant reads it as the law)."""
    died = {item.kind: item.basis for item in materials.required(
        Facts(circumstance="art14_1", died=True, applicant_kind="relative", by_agent=True))}
    for kind in ("death_certificate", "rescue_record", "kinship_proof"):
        assert died[kind].startswith("工亡案件：") and "条" not in died[kind], kind
    assert died["power_of_attorney"].endswith("（民法典第一百六十五条）")


def test_every_requirement_cites_a_source():
    for circumstance in ("art14_1", "art14_6", "art15_1", "art15_3"):
        for item in materials.required(Facts(circumstance=circumstance, treatments=("inpatient",), died=True)):
            assert item.basis and item.label


def test_missing_lists_everything_at_once():
    facts = Facts(circumstance="art14_6", treatments=("outpatient",))
    missing = materials.missing(facts, {"application_form", "labour_relation"})
    assert [m.kind for m in missing][:2] == ["medical_diagnosis", "injured_id"]
    assert len(missing) == len(materials.required(facts)) - 2


def test_check_facts_names_the_field():
    assert set(materials.check_facts("art99", ["x"], "boss")) == {"circumstance", "treatments", "applicant_kind"}


def test_employer_period_30_days_over_national_day():
    # Accident 2026-09-05: 30 days end on 5 October, inside the holiday → 8 October (first workday).
    result = periods.application_period(date(2026, 9, 5), "employer", date(2026, 10, 8), PackageCalendar())
    assert result.due == date(2026, 10, 8) and result.status == periods.IN_TIME
    late = periods.application_period(date(2026, 9, 5), "employer", date(2026, 10, 9), PackageCalendar())
    assert late.status == periods.EMPLOYER_LATE and "第十七条第四款" in late.message


def test_worker_one_year_and_extension():
    result = periods.application_period(date(2025, 11, 20), "worker", date(2026, 11, 23), PackageCalendar())
    assert result.due == date(2026, 11, 20) and result.status == periods.EXPIRED
    ok = periods.application_period(date(2025, 11, 20), "worker", date(2026, 11, 23), PackageCalendar(),
                                    extension_recorded=True)
    assert ok.status == periods.IN_TIME


def test_one_year_into_2027_is_provisional_and_leap_day():
    result = periods.application_period(date(2026, 3, 6), "union", date(2026, 11, 23), PackageCalendar())
    assert result.due == date(2027, 3, 8) and result.provisional  # 6 March 2027 is a Saturday
    assert periods.anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)


@PINNED
def test_employer_period_ending_on_new_years_day_2027_moves_past_it():
    # The tester's case: accident 2026-12-02, employer 30 days → 2027-01-01, 元旦 (第二条) → Monday 01-04.
    result = periods.application_period(date(2026, 12, 2), "employer", date(2026, 12, 5), PackageCalendar())
    assert result.due == date(2027, 1, 4) and result.provisional and result.status == periods.IN_TIME
    assert result.message.startswith("申请时限至 2027年01月04日（条例第十七条第一款：用人单位30日）（暂定：")
    assert "2027年01月01日" not in result.message


@PINNED
def test_worker_period_ending_in_spring_festival_2027_is_held_open_until_the_later_date():
    # Accident 2026-02-05: one year ends on 除夕 2027-02-05 → after 初三 (02-08): 02-09 if the estimated
    # 补假 (02-09, 02-10) turn out working days, 02-11 if not. Filed 02-10: not late.
    result = periods.application_period(date(2026, 2, 5), "worker", date(2027, 2, 10), PackageCalendar())
    assert (result.due, result.earliest, result.status) == (date(2027, 2, 11), date(2027, 2, 9), periods.IN_TIME)
    assert "时限最早可能为2027年02月09日" in result.message
    late = periods.application_period(date(2026, 2, 5), "worker", date(2027, 2, 16), PackageCalendar())
    assert late.status == periods.EXPIRED


class Notice2027:
    """A 2027 notice as the State Council could issue it (春节 2-5 to 2-13 off, like 2026's nine days):
    the calendar the engine would use once it is entered."""

    REST = {date(2027, 2, 5) + timedelta(days=n) for n in range(9)}

    def is_workday(self, day):
        return day not in self.REST and day.weekday() < 5, False


def test_worker_period_is_held_open_while_the_notice_could_still_move_it_by_tiaoxiu():
    """The later 补假 candidate (02-11) is not the latest date: 调休 may join 02-11 to 02-13 to 春节,
    and then the period ends on 02-15. Filed 02-12 while 2027 is not entered: not refused as late."""
    assert due_date(date(2027, 2, 5), 1, "natural", Notice2027()).due == date(2027, 2, 15)
    for filed in (date(2027, 2, 12), date(2027, 2, 15)):
        result = periods.application_period(date(2026, 2, 5), "worker", filed, PackageCalendar())
        assert (result.status, result.due, result.latest) == (periods.IN_TIME, date(2027, 2, 11), date(2027, 2, 15))
        assert result.message.startswith("申请时限暂定至 2027年02月11日")
        assert "调休可能使时限延至 2027年02月15日，在此之前提出的申请不按逾期处理" in result.message
    employer = periods.application_period(date(2027, 1, 7), "employer", date(2027, 2, 12), PackageCalendar())
    assert employer.status == periods.IN_TIME  # 30 days end 02-06 (初一): the employer is not late either


def test_latest_is_absent_when_no_window_is_reached():
    result = due_date(date(2027, 3, 1), 10, "working", PackageCalendar())
    assert result.provisional and result.latest is None


def test_acceptance_over_national_day_2026():
    # Received 2026-09-20 (a 调休 Sunday): 15 days end 5 October (holiday) → 8 October.
    result = due_date(date(2026, 9, 20), 15, "natural", PackageCalendar())
    assert result.due == date(2026, 10, 8)


def test_green_channel_counts_make_up_workdays():
    # Accepted 2026-09-29 (Tue): workdays 30 Sep, 8, 9, 10 (Sat, 调休), 12 Oct → due 12 October.
    spec = deadlines.decision_spec(simple=False, green_channel=True)
    result = due_date(date(2026, 9, 29), spec.length, spec.unit, PackageCalendar())
    assert result.due == date(2026, 10, 12)


def test_decision_into_2027_is_provisional():
    result = due_date(date(2026, 12, 1), 60, "natural", PackageCalendar())
    assert result.due == date(2027, 2, 1) and result.provisional  # 30 Jan 2027 is a Saturday


def test_suspension_stops_the_clock():
    open_ended = due_date(date(2026, 11, 2), 60, "natural", PackageCalendar(), [(date(2026, 11, 10), None)])
    assert open_ended.due is None and open_ended.paused
    closed = due_date(date(2026, 11, 2), 60, "natural", PackageCalendar(),
                      [(date(2026, 11, 10), date(2026, 11, 19))])
    plain = due_date(date(2026, 11, 2), 60, "natural", PackageCalendar())
    # 60 days end on 元旦 2027 → Monday 01-04; 10 suspended days move the count to Monday 01-11.
    assert plain.due == date(2027, 1, 4)
    assert closed.due == date(2027, 1, 1) + timedelta(days=10) and closed.suspended_days == 10


def test_local_promise_only_shortens():
    qufu = deadlines.LocalPromise(acceptance_days=3, simple_decision_days=7, name="曲阜市")
    assert deadlines.acceptance_spec(qufu).length == 3
    assert deadlines.decision_spec(simple=True, green_channel=False, local=qufu).length == 7
    assert deadlines.decision_spec(simple=False, green_channel=False, local=qufu).length == 60
    assert deadlines.acceptance_spec(deadlines.LocalPromise(acceptance_days=30)).length == 15


def test_urgency_colours():
    assert [deadlines.urgency(d) for d in (-1, 0, 3, 4, None)] == ["overdue", "urgent", "urgent", "ok", "paused"]


def test_transition_table_covers_every_status():
    assert set(workflow.TRANSITIONS) == set(ApplicationStatus.values)
    for targets in workflow.TRANSITIONS.values():
        assert targets <= set(ApplicationStatus.values)
    assert workflow.can_transition("draft", "submitted") and not workflow.can_transition("draft", "decided")
    assert not workflow.can_transition("decided", "withdrawn")
    assert workflow.can_transition("correction_requested", "allocated")


def test_decision_basis_is_required_and_fits_the_result():
    assert set(decisions.basis_errors("recognized", "", "")) == {"article", "reasoning"}
    assert "article" in decisions.basis_errors("deemed", "条例第十四条", "理由")
    assert decisions.basis_errors("deemed", "《工伤保险条例》第十五条第（一）项", "理由") == {}
