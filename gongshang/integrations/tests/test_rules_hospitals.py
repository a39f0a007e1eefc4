"""Which open case a hospital notice belongs to: pure rules, no database."""

from datetime import date

from ..rules.hospitals import ADMISSION, DISCHARGE, Candidate, choose_case, kind_of, timeline_text

A = Candidate(case_id=1, number="GS370200-2025-000001", accident_date=date(2025, 6, 10))
B = Candidate(case_id=2, number="GS370200-2026-000007", accident_date=date(2026, 2, 20))
C = Candidate(case_id=3, number="GS370200-2026-000009", accident_date=date(2026, 3, 5))


def test_kind_words_in_chinese_or_english():
    assert [kind_of(w) for w in ("入院", "出院", "admission", " Discharge ", "转院", "")] == [
        ADMISSION, DISCHARGE, ADMISSION, DISCHARGE, None, None]


def test_no_open_case():
    choice = choose_case([], date(2026, 3, 2))
    assert choice.case_id is None and choice.note == "该人员在本统筹区没有在办的工伤案件"


def test_the_only_case_on_or_before_the_day():
    choice = choose_case([B], date(2026, 2, 20))
    assert choice.case_id == 2 and choice.note == "关联该人员唯一的在办工伤案件（事故日期 2026-02-20）"


def test_an_accident_after_the_admission_cannot_be_its_cause():
    choice = choose_case([C], date(2026, 3, 2))
    assert choice.case_id is None and "事故日期均晚于入院日期" in choice.note


def test_several_cases_the_most_recent_accident_on_or_before_and_why():
    choice = choose_case([A, C, B], date(2026, 3, 2))
    assert choice.case_id == 2
    assert choice.note == ("该人员有 2 件事故日期不晚于入院日期的在办工伤案件，关联事故日期最近的 GS370200-2026-000007"
                           "（事故日期 2026-02-20）")


def test_same_accident_day_the_later_case_wins():
    twin = Candidate(case_id=5, number="GS370200-2026-000010", accident_date=B.accident_date)
    assert choose_case([twin, B], date(2026, 3, 2)).case_id == 5


def test_a_discharge_follows_its_admission_whatever_the_other_cases():
    choice = choose_case([A, B, C], date(2026, 3, 20), kind=DISCHARGE, admission_case_id=1)
    assert choice.case_id == 1 and choice.note == "与同一医院的入院通知关联同一工伤案件"


def test_a_discharge_without_linked_admission_is_chosen_like_an_admission():
    choice = choose_case([A, B], date(2026, 3, 20), kind=DISCHARGE)
    assert choice.case_id == 2 and "不晚于出院日期" in choice.note


def test_an_admission_ignores_the_admission_case():
    assert choose_case([B], date(2026, 3, 2), kind=ADMISSION, admission_case_id=1).case_id == 2


def test_timeline_text():
    assert timeline_text("青岛市市立医院", ADMISSION, date(2026, 3, 2)) == "卫健：青岛市市立医院 入院 2026-03-02"
    assert timeline_text("青岛市市立医院", DISCHARGE, date(2026, 3, 9)) == "卫健：青岛市市立医院 出院 2026-03-09"


def test_a_discharge_after_a_dismissed_admission_is_left_for_staff():
    choice = choose_case([A, B], date(2026, 3, 20), kind=DISCHARGE, admission_dismissed=True)
    assert choice.case_id is None and "入院通知已核查排除" in choice.note
