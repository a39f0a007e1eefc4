"""待遇领取资格认证 rules, without a database: due dates, reminder steps, what data proves a
beneficiary alive, and the certification's transition table."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gongshang.accounts.rules.access import MATRIX
from gongshang.integrations.rules import eligibility as rules
from gongshang.integrations.rules.eligibility import Evidence
from gongshang.integrations.rules.workflow import CERTIFICATION_WORKFLOW

START = date(2025, 11, 1)   # first monthly benefit: November 2025
APPROVED = date(2025, 10, 28)


def test_due_on_the_anniversary_of_the_first_monthly_month():
    assert rules.anniversary(START, 2026) == date(2026, 11, 1)
    assert rules.anniversary(date(2024, 2, 1), 2027) == date(2027, 2, 1)


def test_a_year_opens_within_the_horizon_never_the_first_year_nor_before_approval():
    assert rules.year_to_open(START, APPROVED, date(2026, 9, 1)) is None          # 61 days away
    assert rules.year_to_open(START, APPROVED, date(2026, 9, 2)) == 2026          # 60 days away
    assert rules.year_to_open(START, APPROVED, date(2026, 11, 1)) == 2026         # the due day itself
    assert rules.year_to_open(START, APPROVED, date(2026, 11, 2)) is None         # passed: next year's later
    assert rules.year_to_open(START, APPROVED, date(2025, 10, 1)) is None         # the year the benefit began
    assert rules.year_to_open(date(2025, 12, 1), APPROVED, date(2025, 11, 20)) is None
    assert rules.year_to_open(date(2026, 1, 1), APPROVED, date(2026, 11, 20)) == 2027   # across the new year
    # approved (backdated) after its anniversary: staff had just checked; asked from the next year
    assert rules.year_to_open(START, date(2026, 11, 5), date(2026, 10, 1)) is None
    assert rules.year_to_open(START, date(2026, 11, 5), date(2027, 9, 15)) == 2027


def test_a_certification_opened_late_still_gets_the_notice():
    assert rules.due_date(START, 2026, opened_on=date(2026, 9, 2), notice_days=30) == date(2026, 11, 1)
    assert rules.due_date(START, 2026, opened_on=date(2026, 10, 25), notice_days=30) == date(2026, 11, 24)


def test_reminders_once_per_step():
    due = date(2026, 11, 1)
    assert rules.reminder_step(due, date(2026, 10, 1), None) is None              # 31 days before
    assert rules.reminder_step(due, date(2026, 10, 2), None) == 30
    assert rules.reminder_step(due, date(2026, 10, 3), date(2026, 10, 2)) is None
    assert rules.reminder_step(due, date(2026, 10, 25), date(2026, 10, 2)) == 7
    assert rules.reminder_step(due, date(2026, 10, 26), date(2026, 10, 25)) is None
    assert rules.reminder_step(due, date(2026, 11, 1), date(2026, 10, 25)) is None
    assert rules.reminder_step(due, date(2026, 11, 2), None) is None              # past due: lapse, not remind
    # opened 5 days before the due date: one reminder, the nearest step's
    assert rules.reminder_step(due, date(2026, 10, 27), None) == 7


@given(opened=st.integers(min_value=0, max_value=60), steps=st.sampled_from([(30, 7), (15,), (30, 15, 3)]))
def test_walking_every_day_sends_each_reached_step_at_most_once(opened, steps):
    due = date(2026, 11, 1)
    last, sent = None, []
    for day in range(opened, -3, -1):
        today = due - timedelta(days=day)
        step = rules.reminder_step(due, today, last, steps)
        if step is not None:
            sent.append(step)
            last = today
    assert len(sent) == len(set(sent)) and set(sent) <= set(steps)
    assert len(sent) == len([s for s in steps if s < opened]) + (1 if any(s >= opened for s in steps) else 0)


def test_overdue_from_the_day_after():
    assert not rules.is_overdue(date(2026, 11, 1), date(2026, 11, 1))
    assert rules.is_overdue(date(2026, 11, 1), date(2026, 11, 2))


def test_only_data_showing_the_person_confirms_and_never_after_a_death():
    today = date(2026, 10, 1)
    stay = Evidence(rules.HOSPITAL_NOTICE, date(2026, 8, 3), "integrations.hospitalnotice:1")
    visit = Evidence(rules.MEDICAL_ENCOUNTER, date(2026, 9, 20), "medical.encounter:2")
    paid = Evidence("payment", date(2026, 9, 30), "benefits.payment:3")
    contributed = Evidence("contribution", date(2026, 9, 30), "registry.contributionrecord:4")
    assert rules.confirming_evidence([stay, visit, paid], today=today, death_recorded=False) == visit
    assert rules.confirming_evidence([paid, contributed], today=today, death_recorded=False) is None
    assert rules.confirming_evidence([stay, visit], today=today, death_recorded=True) is None
    assert set(rules.NOT_PROOF) == {"payment", "contribution"} and not set(rules.NOT_PROOF) & set(rules.PROOF_OF_LIFE)


def test_the_evidence_window():
    today = date(2026, 10, 1)
    old = Evidence(rules.HOSPITAL_NOTICE, date(2026, 3, 31), "a:1")
    edge = Evidence(rules.HOSPITAL_NOTICE, date(2026, 4, 1), "a:2")
    future = Evidence(rules.HOSPITAL_NOTICE, date(2026, 10, 2), "a:3")
    assert rules.confirming_evidence([old, future], today=today, death_recorded=False) is None
    assert rules.confirming_evidence([old, edge], today=today, death_recorded=False) == edge
    assert rules.confirming_evidence([edge], today=today, death_recorded=False, months=3) is None


def test_evidence_keeps_source_date_and_record_only():
    e = Evidence(rules.APPRAISAL_EXAM, date(2026, 9, 1), "appraisal.examrecord:7")
    assert e.as_dict() == {"source": "appraisal_exam", "label": "劳动能力鉴定现场核验身份", "date": "2026-09-01",
                           "record": "appraisal.examrecord:7"}


def test_names_compared_as_written_on_the_id_card():
    assert rules.names_match("张伟", " 张 伟 ")
    assert rules.names_match("买买提·艾力", "买买提艾力")
    assert not rules.names_match("张伟", "张玮")
    assert not rules.names_match("张伟", "")


def test_add_months_keeps_the_month_end():
    assert rules.add_months(date(2026, 8, 31), -6) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)


def test_transition_table():
    table = CERTIFICATION_WORKFLOW.table()
    assert table["due"] == {"submitted", "confirmed", "lapsed"}
    assert table["lapsed"] == {"submitted", "confirmed"}
    assert table["confirmed"] == frozenset()
    assert not CERTIFICATION_WORKFLOW.can("lapse", "submitted")  # waiting for staff is not the beneficiary's delay
    # every step but the platform's own is an action of the matrix row
    assert set(CERTIFICATION_WORKFLOW.steps) - {"lapse"} <= set(MATRIX["benefit_certification"])
    assert "lapse" not in MATRIX["benefit_certification"]
