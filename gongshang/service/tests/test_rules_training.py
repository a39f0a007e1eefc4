"""Pure rules of 工伤预防培训: the sign-in window, the questionnaire and evaluation-form scores, the
session's score."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from gongshang.service.rules import training as rules

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 10, 9, 0, tzinfo=TZ)
END = datetime(2026, 11, 10, 11, 30, tzinfo=TZ)


def test_sign_in_window_is_half_an_hour_before_to_two_hours_after():
    assert rules.sign_in_window(START, END) == (datetime(2026, 11, 10, 8, 30, tzinfo=TZ),
                                                 datetime(2026, 11, 10, 13, 30, tzinfo=TZ))
    assert rules.sign_in_open(START, END, datetime(2026, 11, 10, 8, 30, tzinfo=TZ))
    assert rules.sign_in_open(START, END, datetime(2026, 11, 10, 13, 30, tzinfo=TZ))
    assert not rules.sign_in_open(START, END, datetime(2026, 11, 10, 8, 29, 59, tzinfo=TZ))
    assert not rules.sign_in_open(START, END, datetime(2026, 11, 10, 13, 30, 1, tzinfo=TZ))


def test_questionnaire_scores_from_0_to_100():
    assert rules.questionnaire_score({q.code: 1 for q in rules.QUESTIONS}) == Decimal("0.00")
    assert rules.questionnaire_score({q.code: 5 for q in rules.QUESTIONS}) == Decimal("100.00")
    # (4 + 3 + 4 + 2 + 3) / 20 = 80%
    answers = {"relevance": 5, "clarity": 4, "usefulness": 5, "organisation": 3, "overall": 4}
    assert rules.questionnaire_score(answers) == Decimal("80.00")
    # 13 / 20 → 65.00; 1/3 shares round half up at the hundredth
    assert rules.questionnaire_score({"relevance": 4, "clarity": 4, "usefulness": 4, "organisation": 3,
                                      "overall": 3}) == Decimal("65.00")


def test_questionnaire_problems_name_each_question():
    problems = rules.questionnaire_problems({"relevance": 0, "clarity": True, "usefulness": "5", "extra": 3})
    assert set(problems) == {"relevance", "clarity", "usefulness", "organisation", "overall", "extra"}
    assert "第 4 题" in problems["organisation"] and "1 到 5" in problems["relevance"]
    assert rules.questionnaire_problems({q.code: 3 for q in rules.QUESTIONS}) == {}


def test_evaluation_form_weights_add_up_to_100():
    assert sum(item.weight for item in rules.FORM_ITEMS) == 100
    assert rules.form_score({i.code: 10 for i in rules.FORM_ITEMS}) == Decimal("100.00")
    assert rules.form_score({i.code: 0 for i in rules.FORM_ITEMS}) == Decimal("0.00")
    # 25×9 + 20×10 + 20×8 + 15×7 + 20×9 = 870 → 87.00
    marks = {"content": 9, "trainer": 10, "turnout": 8, "organisation": 7, "records": 9}
    assert rules.form_score(marks) == Decimal("87.00")


def test_form_problems():
    problems = rules.form_problems({"content": 11, "trainer": -1, "turnout": 5, "organisation": 5})
    assert set(problems) == {"content", "trainer", "records"}
    assert "0 到 10" in problems["content"]


def test_session_score_weighs_forms_60_questionnaires_40():
    score = rules.session_score([Decimal("80"), Decimal("90")], [Decimal("87")])
    assert score.questionnaire_average == Decimal("85.00") and score.form_average == Decimal("87.00")
    assert score.score == Decimal("86.20") and (score.questionnaire_count, score.form_count) == (2, 1)
    assert rules.session_score([], [Decimal("70")]).score == Decimal("70.00")
    assert rules.session_score([Decimal("90")], []).score is None


@settings(deadline=None)  # no timing: the machine is shared
@given(st.fixed_dictionaries({q.code: st.integers(1, 5) for q in rules.QUESTIONS}))
def test_questionnaire_score_stays_in_range(answers):
    score = rules.questionnaire_score(answers)
    assert Decimal(0) <= score <= Decimal(100) and score == score.quantize(Decimal("0.01"))


@settings(deadline=None)
@given(st.fixed_dictionaries({i.code: st.integers(0, 10) for i in rules.FORM_ITEMS}),
       st.lists(st.decimals(0, 100, places=2), max_size=5))
def test_session_score_between_its_parts(marks, questionnaires):
    form = rules.form_score(marks)
    result = rules.session_score(questionnaires, [form])
    low = min([form, *(questionnaires and [rules.average(questionnaires)])])
    high = max([form, *(questionnaires and [rules.average(questionnaires)])])
    assert low - Decimal("0.01") <= result.score <= high + Decimal("0.01")



def test_project_score_is_the_mean_of_its_sessions_scores():
    # Each session counts once, however many questionnaires it collected; a session without an
    # evaluation form has no score and does not count.
    assert rules.project_score([Decimal("94.00"), Decimal("70.00"), None]) == Decimal("82.00")
    assert rules.project_score([Decimal("85.005")]) == Decimal("85.01")
    assert rules.project_score([None]) is None and rules.project_score([]) is None
