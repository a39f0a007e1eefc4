"""Roster change rules (registry/rules.py): pure, no database.

Every branch of check_effective_month, check_addition and check_reduction with the exact
(field, message) it answers, plus properties of the month arithmetic and the age boundary.
"""

from datetime import date, timedelta

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from gongshang.registry import rules
from gongshang.registry.rules import (
    ACTIVE,
    ADD_CONTINUE,
    ADD_NEW,
    ADD_TRANSFER_IN,
    REDUCE_RETIRE,
    REDUCE_SUSPEND,
    REDUCE_TERMINATE,
    SUSPENDED,
    PersonState,
    add_months,
    age_in_months,
    check_addition,
    check_effective_month,
    check_reduction,
    effective_month_window,
    month_start,
)

TODAY = date(2026, 11, 23)
NOV = date(2026, 11, 1)
ADULT = date(1988, 3, 15)
TERMINATED, RETIRED = "terminated", "retired"
NON_INJURY_TYPES = ("pension", "medical", "unemployment")

MSG_UNDER_16 = ("id_number", "该人员在生效月份未满十六周岁，不能办理参保（劳动法第十五条）。")
MSG_NAME = ("name", "姓名与身份证号对应的参保登记信息不一致，请核对姓名和身份证号。")
MSG_ALREADY_ACTIVE = ("id_number", "该人员在本单位已是参保缴费状态，无需增员。")
MSG_NEW_BUT_ENROLLED = ("kind", "该人员已有本险种参保记录，请选择“续保”（曾在本单位参保）或“调入”（来自其他单位）。")
MSG_CONTINUE_NOTHING_HERE = ("kind", "该人员在本单位没有本险种的参保记录，不能续保；请选择“新参保”或“调入”。")
MSG_TRANSFER_NOTHING_ELSEWHERE = ("kind", "该人员在其他单位没有本险种的参保记录，不能调入；请选择“新参保”。")
MSG_TRANSFER_OPEN_ELSEWHERE = ("kind", "该人员在原单位的本险种参保关系尚未终止，请原单位先办理减员后再调入。")
MSG_NOT_ADDITION = ("kind", "异动类型不是增员类型。")
MSG_NOT_REDUCTION = ("kind", "异动类型不是减员类型。")
MSG_ALREADY_SUSPENDED = ("kind", "该人员在本单位已暂停参保；如需终止，请选择“终止参保”。")
MSG_NOT_ENROLLED_HERE = ("id_number", "该人员在本单位没有处于参保状态的本险种参保关系，无需减员。")
MSG_FIRST_DAY = ("effective_month", "生效月份应为某月的第一天（按月填写，如 2026-11）。")


def before_start(start: date) -> tuple:
    return ("effective_month", f"生效月份不能早于本单位参保开始月份（{start.year}年{start.month}月）。")


def window_message(earliest: date, latest: date) -> tuple:
    return ("effective_month", f"生效月份须在{earliest.year}年{earliest.month}月至{latest.year}年{latest.month}月之间；"
                               "更早的月份请办理补缴。")


def sixteenth_birthday(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + 16)
    except ValueError:  # 29 February in a year that has none: the birthday is reached on 1 March
        return date(birth.year + 16, 3, 1)


def last_day(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


months = st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)).map(month_start)


# --- month arithmetic -------------------------------------------------------------------------

@pytest.mark.parametrize(("month", "count", "expected"), [
    (date(2026, 11, 1), 1, date(2026, 12, 1)),
    (date(2026, 11, 1), 2, date(2027, 1, 1)),
    (date(2026, 1, 1), -1, date(2025, 12, 1)),
    (date(2026, 3, 1), -14, date(2025, 1, 1)),
    (date(2026, 12, 1), 0, date(2026, 12, 1)),
    (date(2026, 12, 1), 13, date(2028, 1, 1)),
])
def test_add_months_examples(month, count, expected):
    assert add_months(month, count) == expected


@settings(deadline=None)
@given(months, st.integers(-600, 600), st.integers(-600, 600))
def test_add_months_is_additive_and_invertible(month, a, b):
    assert add_months(add_months(month, a), b) == add_months(month, a + b)
    assert add_months(add_months(month, a), -a) == month
    result = add_months(month, a)
    assert result.day == 1
    assert (result.year * 12 + result.month) - (month.year * 12 + month.month) == a


@settings(deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_month_start_is_first_day_of_same_month(day):
    start = month_start(day)
    assert (start.year, start.month, start.day) == (day.year, day.month, 1)
    assert start <= day
    assert month_start(start) == start
    assert (day - start).days == day.day - 1


def test_effective_month_window_default_settings_on_today():
    assert effective_month_window(TODAY, backdate_months=2, ahead_months=1) == (date(2026, 9, 1), date(2026, 12, 1))
    assert effective_month_window(date(2026, 1, 31), backdate_months=2, ahead_months=1) == (
        date(2025, 11, 1), date(2026, 2, 1))


@settings(deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)), st.integers(0, 36),
       st.integers(0, 36))
def test_effective_month_window_properties(today, back, ahead):
    earliest, latest = effective_month_window(today, backdate_months=back, ahead_months=ahead)
    assert earliest.day == latest.day == 1
    assert earliest <= month_start(today) <= latest
    assert add_months(earliest, back) == month_start(today)
    assert add_months(latest, -ahead) == month_start(today)


@settings(deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)), st.integers(0, 12), st.integers(0, 12),
       st.integers(-30, 30))
def test_check_effective_month_accepts_exactly_the_window(today, back, ahead, offset):
    month = add_months(month_start(today), offset)
    problems = check_effective_month(month, today=today, backdate_months=back, ahead_months=ahead)
    if -back <= offset <= ahead:
        assert problems == []
    else:
        earliest, latest = effective_month_window(today, backdate_months=back, ahead_months=ahead)
        assert problems == [window_message(earliest, latest)]


@pytest.mark.parametrize(("month", "expected"), [
    (date(2026, 9, 1), []),
    (date(2026, 11, 1), []),
    (date(2026, 12, 1), []),
    (date(2026, 8, 1), [window_message(date(2026, 9, 1), date(2026, 12, 1))]),
    (date(2027, 1, 1), [window_message(date(2026, 9, 1), date(2026, 12, 1))]),
    (date(2026, 11, 2), [MSG_FIRST_DAY]),
    (date(2025, 11, 15), [MSG_FIRST_DAY]),  # not a first day is reported before the window
])
def test_check_effective_month_examples(month, expected):
    assert check_effective_month(month, today=TODAY, backdate_months=2, ahead_months=1) == expected


def test_window_message_text_exact():
    assert check_effective_month(date(2026, 1, 1), today=TODAY, backdate_months=2, ahead_months=1) == [
        ("effective_month", "生效月份须在2026年9月至2026年12月之间；更早的月份请办理补缴。")]


# --- age -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("birth", "on", "expected"), [
    (date(2010, 11, 15), date(2026, 11, 15), 192),
    (date(2010, 11, 15), date(2026, 11, 14), 191),
    (date(2010, 11, 15), date(2026, 12, 1), 192),
    (date(2010, 12, 1), date(2026, 12, 1), 192),
    (date(2010, 12, 1), date(2026, 11, 30), 191),
    (date(2010, 10, 31), date(2026, 10, 30), 191),
    (date(2010, 10, 31), date(2026, 10, 31), 192),
    (date(2026, 1, 1), date(2026, 1, 1), 0),
])
def test_age_in_months_examples(birth, on, expected):
    assert age_in_months(birth, on) == expected


@settings(deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_age_in_months_is_192_exactly_from_the_sixteenth_birthday(birth):
    birthday = sixteenth_birthday(birth)
    assert age_in_months(birth, birthday) == 192
    assert age_in_months(birth, birthday - timedelta(days=1)) == 191


UNKNOWN_PERSON = PersonState()


def _add(month, birth, *, kind=ADD_NEW, state=UNKNOWN_PERSON, insurance_type=rules.INJURY):
    return check_addition(kind, insurance_type, month, state, birth_date=birth)


def test_turning_16_on_the_first_day_of_the_effective_month_is_accepted():
    assert _add(NOV, date(2010, 11, 1)) == []


def test_turning_16_on_the_last_day_of_the_effective_month_is_accepted():
    assert _add(NOV, date(2010, 11, 30)) == []


def test_turning_16_on_the_second_of_the_following_month_is_refused():
    assert _add(NOV, date(2010, 12, 2)) == [MSG_UNDER_16]


def test_turning_16_on_the_first_of_the_following_month_is_refused():
    assert _add(NOV, date(2010, 12, 1)) == [MSG_UNDER_16]


@settings(deadline=None)
@given(months.filter(lambda m: m >= date(1970, 1, 1)), st.integers(-40, 40))
@example(month=NOV, offset_days=1)  # born 2010-12-01: 16 only from 2026-12-01
def test_age_rule_is_sixteen_by_the_last_day_of_the_effective_month(month, offset_days):
    birth = sixteenth_birthday_inverse(last_day(month)) + timedelta(days=offset_days)
    refused = _add(month, birth) == [MSG_UNDER_16]
    assert refused == (sixteenth_birthday(birth) > last_day(month))


@settings(deadline=None)
@given(months.filter(lambda m: m >= date(1970, 1, 1)), st.integers(-40, 40))
def test_age_rule_holds_for_birthdays_not_on_a_first(month, offset_days):
    """The property above, away from the one day where the bug shows."""
    birth = sixteenth_birthday_inverse(last_day(month)) + timedelta(days=offset_days)
    assume(birth.day != 1)
    refused = _add(month, birth) == [MSG_UNDER_16]
    assert refused == (sixteenth_birthday(birth) > last_day(month))


@settings(deadline=None)
@given(months.filter(lambda m: m >= date(1970, 1, 1)), st.integers(0, 400), st.integers(1, 400))
def test_age_rule_is_monotone(month, offset, later):
    """Refused for one birth date means refused for every later one; accepted for a month means
    accepted for every later month."""
    birth = date(month.year - 17, 1, 1) + timedelta(days=offset)
    if _add(month, birth) == [MSG_UNDER_16]:
        assert _add(month, birth + timedelta(days=later)) == [MSG_UNDER_16]
    else:
        assert _add(add_months(month, later % 24 + 1), birth) == []


def sixteenth_birthday_inverse(day: date) -> date:
    """The birth date of someone who turns 16 on `day`."""
    try:
        return day.replace(year=day.year - 16)
    except ValueError:
        return date(day.year - 16, 2, 28)


def test_age_name_and_state_are_all_reported():
    state = PersonState(in_registry=True, name_matches=False, here_status=ACTIVE)
    assert check_addition("reduce_suspend", rules.INJURY, NOV, state, birth_date=date(2015, 1, 1)) == [
        MSG_UNDER_16, MSG_NAME, MSG_ALREADY_ACTIVE]


# --- additions -------------------------------------------------------------------------------

def test_new_person_new_enrolment_allowed():
    assert _add(NOV, ADULT) == []


def test_name_mismatch_refused_for_every_addition_kind():
    state = PersonState(in_registry=True, name_matches=False, ever_enrolled=True, enrolled_elsewhere=True)
    for kind in (ADD_NEW, ADD_CONTINUE, ADD_TRANSFER_IN):
        assert _add(NOV, ADULT, kind=kind, state=state)[0] == MSG_NAME


def test_name_mismatch_ignored_when_person_not_in_registry():
    assert _add(NOV, ADULT, state=PersonState(in_registry=False, name_matches=False)) == []


@pytest.mark.parametrize("kind", [ADD_NEW, ADD_CONTINUE, ADD_TRANSFER_IN])
def test_already_active_here_refused(kind):
    state = PersonState(in_registry=True, here_status=ACTIVE, here_start=date(2020, 1, 1), ever_enrolled=True,
                        enrolled_elsewhere=True)
    assert _add(NOV, ADULT, kind=kind, state=state) == [MSG_ALREADY_ACTIVE]


def test_new_refused_when_ever_enrolled():
    state = PersonState(in_registry=True, ever_enrolled=True, enrolled_elsewhere=True)
    assert _add(NOV, ADULT, state=state) == [MSG_NEW_BUT_ENROLLED]


def test_new_allowed_for_registered_person_without_this_insurance_type():
    assert _add(NOV, ADULT, state=PersonState(in_registry=True, ever_enrolled=False)) == []


def test_continue_refused_without_a_record_here():
    state = PersonState(in_registry=True, ever_enrolled=True, enrolled_elsewhere=True)
    assert _add(NOV, ADULT, kind=ADD_CONTINUE, state=state) == [MSG_CONTINUE_NOTHING_HERE]


@pytest.mark.parametrize("status", [SUSPENDED, TERMINATED, RETIRED])
def test_continue_allowed_after_any_non_active_status_here(status):
    state = PersonState(in_registry=True, here_status=status, here_start=date(2020, 1, 1), ever_enrolled=True)
    assert _add(NOV, ADULT, kind=ADD_CONTINUE, state=state) == []


def test_continue_not_before_the_start_here():
    state = PersonState(in_registry=True, here_status=SUSPENDED, here_start=date(2026, 12, 1), ever_enrolled=True)
    assert _add(NOV, ADULT, kind=ADD_CONTINUE, state=state) == [before_start(date(2026, 12, 1))]
    assert _add(date(2026, 12, 1), ADULT, kind=ADD_CONTINUE, state=state) == []


def test_transfer_in_refused_without_record_elsewhere():
    state = PersonState(in_registry=True, here_status=TERMINATED, ever_enrolled=True, enrolled_elsewhere=False)
    assert _add(NOV, ADULT, kind=ADD_TRANSFER_IN, state=state) == [MSG_TRANSFER_NOTHING_ELSEWHERE]


def test_transfer_in_injury_allowed_while_open_elsewhere():
    """劳社部函〔2004〕256号: each employer insures the same person against injury."""
    state = PersonState(in_registry=True, ever_enrolled=True, open_elsewhere=True, enrolled_elsewhere=True)
    assert _add(NOV, ADULT, kind=ADD_TRANSFER_IN, state=state, insurance_type=rules.INJURY) == []


@pytest.mark.parametrize("insurance_type", NON_INJURY_TYPES)
def test_transfer_in_other_types_blocked_while_open_elsewhere(insurance_type):
    state = PersonState(in_registry=True, ever_enrolled=True, open_elsewhere=True, enrolled_elsewhere=True)
    assert _add(NOV, ADULT, kind=ADD_TRANSFER_IN, state=state, insurance_type=insurance_type) == [
        MSG_TRANSFER_OPEN_ELSEWHERE]


@pytest.mark.parametrize("insurance_type", (rules.INJURY, *NON_INJURY_TYPES))
def test_transfer_in_allowed_once_closed_elsewhere(insurance_type):
    state = PersonState(in_registry=True, ever_enrolled=True, open_elsewhere=False, enrolled_elsewhere=True)
    assert _add(NOV, ADULT, kind=ADD_TRANSFER_IN, state=state, insurance_type=insurance_type) == []


@pytest.mark.parametrize("kind", [REDUCE_SUSPEND, "bogus", ""])
def test_addition_with_non_addition_kind(kind):
    assert _add(NOV, ADULT, kind=kind) == [MSG_NOT_ADDITION]


# --- reductions ------------------------------------------------------------------------------

def _here(status, start=date(2020, 1, 1), **kwargs):
    return PersonState(in_registry=True, here_status=status, here_start=start, ever_enrolled=True, **kwargs)


@pytest.mark.parametrize(("kind", "status"), [
    (REDUCE_SUSPEND, ACTIVE), (REDUCE_TERMINATE, ACTIVE), (REDUCE_TERMINATE, SUSPENDED), (REDUCE_RETIRE, ACTIVE),
])
def test_reduction_allowed(kind, status):
    assert check_reduction(kind, NOV, _here(status)) == []


@pytest.mark.parametrize("kind", [REDUCE_SUSPEND, REDUCE_RETIRE])
def test_suspend_or_retire_of_suspended_points_to_terminate(kind):
    assert check_reduction(kind, NOV, _here(SUSPENDED)) == [MSG_ALREADY_SUSPENDED]


@pytest.mark.parametrize("kind", [REDUCE_SUSPEND, REDUCE_TERMINATE, REDUCE_RETIRE])
@pytest.mark.parametrize("status", [None, TERMINATED, RETIRED])
def test_reduction_without_open_relation_here(kind, status):
    assert check_reduction(kind, NOV, _here(status)) == [MSG_NOT_ENROLLED_HERE]


def test_reduction_of_unknown_person():
    assert check_reduction(REDUCE_TERMINATE, NOV, PersonState()) == [MSG_NOT_ENROLLED_HERE]


def test_reduction_name_mismatch_and_kind_are_both_reported():
    state = _here(ACTIVE, name_matches=False)
    assert check_reduction(REDUCE_TERMINATE, NOV, state) == [MSG_NAME]
    assert check_reduction("bogus", NOV, state) == [MSG_NAME, MSG_NOT_REDUCTION]


@pytest.mark.parametrize("kind", [ADD_NEW, ADD_CONTINUE, "bogus"])
def test_reduction_with_non_reduction_kind(kind):
    assert check_reduction(kind, NOV, _here(ACTIVE)) == [MSG_NOT_REDUCTION]


def test_reduction_not_before_start_here():
    state = _here(ACTIVE, start=date(2026, 12, 1))
    assert check_reduction(REDUCE_TERMINATE, NOV, state) == [before_start(date(2026, 12, 1))]
    assert check_reduction(REDUCE_TERMINATE, date(2026, 12, 1), state) == []
    assert before_start(date(2026, 12, 1)) == ("effective_month", "生效月份不能早于本单位参保开始月份（2026年12月）。")


def test_reductions_ignore_open_enrolments_elsewhere():
    state = _here(ACTIVE, open_elsewhere=True, enrolled_elsewhere=True)
    assert check_reduction(REDUCE_SUSPEND, NOV, state) == []
