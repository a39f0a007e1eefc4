"""好差评 rules (no database): the five levels, bad ratings, finished statuses, timeliness, figures."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongshang.service.rules import ratings as rules


def test_five_levels_best_first():
    assert list(rules.LEVELS) == [5, 4, 3, 2, 1]
    assert [rules.level_label(s) for s in (5, 4, 3, 2, 1)] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]


@given(st.integers(min_value=1, max_value=5))
def test_only_the_two_lowest_levels_open_a_follow_up(score):
    assert rules.opens_follow_up(score) == (score <= 2)
    assert rules.is_good(score) == (score >= 4)
    assert rules.score_error(score) is None


@given(st.one_of(st.integers().filter(lambda n: not 1 <= n <= 5), st.none(), st.text(), st.booleans(),
                 st.floats(allow_nan=True)))
def test_anything_else_is_refused_in_chinese(value):
    assert rules.score_error(value) == "请选择 1 到 5 分（1 非常不满意，5 非常满意）。"


def test_finished_statuses():
    assert rules.RECOGNITION_FINISHED == {"decided", "delivered"}
    assert rules.APPRAISAL_FINISHED == {"concluded", "delivered"}
    assert rules.WINDOW_FINISHED == {"closed", "follow_ons_created"}
    assert rules.TICKET_FINISHED == {"closed"}


def test_text_limits():
    assert rules.text_error("", limit=5, label="核实整改情况", required=True) == "请填写核实整改情况。"
    assert rules.text_error("   ", limit=5, label="核实整改情况", required=True) == "请填写核实整改情况。"
    assert rules.text_error("", limit=5, label="评价内容") is None
    assert rules.text_error("好\x00", limit=5, label="评价内容") == "评价内容包含不可见的控制字符，请删除后重新提交。"
    assert "最多 5 个字" in rules.text_error("六个字的内容", limit=5, label="评价内容")


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), st.integers(-30, 30), st.integers(-30, 30))
def test_timeliness(due, closed_offset, today_offset):
    today = due + timedelta(days=today_offset)
    closed = due + timedelta(days=closed_offset)
    assert rules.timeliness(due, closed, today) == (rules.ON_TIME if closed_offset <= 0 else rules.LATE)
    assert rules.timeliness(due, None, today) == (rules.OPEN if today_offset <= 0 else rules.OVERDUE)


def test_figures_shares_and_average_round_half_up():
    f = rules.Figures(count=3, score_total=10, good=2, bad=1, follow_ups_on_time=1, follow_ups_late=0,
                      follow_ups_open=0)
    assert f.average == Decimal("3.33") and f.good_share == Decimal("66.7") and f.bad_share == Decimal("33.3")
    assert f.on_time_share == Decimal("100.0") and f.follow_ups == 1
    assert rules.average(7, 2) == Decimal("3.50") and rules.share(1, 8) == Decimal("12.5")


def test_figures_without_ratings_have_no_shares():
    assert rules.ZERO.average is None and rules.ZERO.good_share is None and rules.ZERO.on_time_share is None


@given(st.lists(st.integers(1, 5), min_size=1, max_size=60))
def test_sum_of_figures_matches_the_whole(scores):
    def figures(part):
        return rules.Figures(len(part), sum(part), sum(s >= 4 for s in part), sum(s <= 2 for s in part), 0, 0,
                             sum(s <= 2 for s in part))

    half = len(scores) // 2
    whole = figures(scores[:half]) + figures(scores[half:])
    assert whole == figures(scores)
    assert Decimal(0) <= whole.good_share <= Decimal(100)
    assert Decimal(1) <= whole.average <= Decimal(5)
