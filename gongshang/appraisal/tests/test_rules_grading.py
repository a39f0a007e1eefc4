"""GB/T 16180-2014 grading rules (4.2 晋级原则, 4.3 原有伤残) and the item table (5.1.2～5.10.2)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongshang.appraisal.rules import codes
from gongshang.appraisal.rules.grading import (
    GradingInputError,
    apply_prior_disability,
    combine,
    grade_from_items,
    search,
)
from gongshang.appraisal.standard import loader

grade = st.integers(min_value=1, max_value=10)
grades = st.lists(grade, min_size=1, max_size=12)


# ---- 4.2 晋级原则: properties -------------------------------------------------------------


@given(grades)
def test_never_milder_than_the_most_severe_single_grade(gs):
    assert combine(gs).grade <= min(gs)


@given(grades)
def test_raised_by_one_grade_at_most(gs):
    assert combine(gs).grade >= min(gs) - 1


@given(grades)
def test_never_above_grade_one(gs):
    assert 1 <= combine(gs).grade <= 10


@given(grades, st.randoms())
def test_order_does_not_matter(gs, rnd):
    shuffled = list(gs)
    rnd.shuffle(shuffled)
    assert combine(shuffled).grade == combine(gs).grade


@given(grade)
def test_a_single_injury_is_its_own_grade(g):
    result = combine([g])
    assert (result.grade, result.promoted) == (g, False)


@given(grades, st.data())
def test_adding_a_milder_injury_changes_nothing(gs, data):
    milder = data.draw(st.integers(min_value=min(gs) + 1, max_value=11))
    if milder > 10:
        return
    assert combine([*gs, milder]).grade == combine(gs).grade


@given(grades)
def test_raised_exactly_when_two_or_more_share_the_most_severe_grade_below_one(gs):
    best = min(gs)
    expected = best - 1 if gs.count(best) >= 2 and best > 1 else best
    result = combine(gs)
    assert result.grade == expected
    assert result.promoted == (expected != best)


@given(grade)
def test_more_ties_raise_no_further(g):
    """最多晋升一级: a third or fourth injury of the same grade raises no further than two do."""
    assert combine([g, g, g, g]).grade == combine([g, g]).grade


@given(grades, grade)
def test_adding_an_injury_never_makes_the_grade_milder(gs, g):
    assert combine([*gs, g]).grade <= combine(gs).grade


# ---- 4.2: examples ------------------------------------------------------------------------


def test_different_grades_take_the_most_severe():
    """4.2「如果几项伤残等级不同，以重者定级」: 七级 and 九级 → 七级."""
    result = combine([7, 9])
    assert result.grade == 7
    assert not result.promoted
    assert "以最重的一项定级" in result.rule and "七级" in result.rule
    assert result.basis[0] == "GB/T 16180-2014 4.2 晋级原则"


def test_two_equal_most_severe_grades_raise_one_grade():
    """4.2「如果两项及以上等级相同，最多晋升一级」: two 十级 → 九级."""
    result = combine([10, 10])
    assert (result.grade, result.promoted) == (9, True)
    assert "晋升一级" in result.rule and "九级" in result.rule


def test_three_equal_grades_still_raise_one_grade_only():
    assert combine([10, 10, 10]).grade == 9


def test_equal_milder_grades_do_not_raise():
    """Only ties of the most severe grade count: 七级 + 九级 + 九级 stays 七级."""
    assert combine([9, 7, 9]).grade == 7


def test_two_grade_one_injuries_stay_grade_one():
    result = combine([1, 1])
    assert (result.grade, result.promoted) == (1, False)
    assert "不再晋升" in result.rule


@pytest.mark.parametrize("bad", [[], [0], [11], [7, "8"], [7.0], [True], None, "7"])
def test_bad_grades_name_the_field(bad):
    with pytest.raises(GradingInputError) as err:
        combine(bad)
    assert err.value.field == "grades"
    assert "等级" in err.value.message


# ---- items → grade ------------------------------------------------------------------------


def test_grade_from_items_uses_the_list_each_item_belongs_to():
    """5.7.2 第16项 (一手除拇指外…近侧指间关节离断) is 七级, 5.9.2 第15项 (一拇指末节部分1/2缺失) 九级."""
    result = grade_from_items(["5.7.2.16", "5.9.2.15"])
    assert result.grade == 7
    assert any("GB/T 16180-2014 5.7.2 第16项（七级）" in b for b in result.basis)


def test_grade_from_two_items_of_the_same_grade_raises_one():
    assert grade_from_items(["5.10.2.9", "5.10.2.5"]).grade == 9


@pytest.mark.parametrize("bad, words", [([], "至少选择"), (["5.11.2.1"], "不在"), (["5.7.2.16", "5.7.2.16"], "重复"),
                                        ([7], "不在"), ("5.7.2.16", "列表")])
def test_bad_items_name_the_field(bad, words):
    with pytest.raises(GradingInputError) as err:
        grade_from_items(bad)
    assert err.value.field == "items"
    assert words in err.value.message


# ---- 4.3 原有伤残 --------------------------------------------------------------------------


def test_prior_disability_aggravated_grades_the_actual_result():
    """4.3「如若加重原有伤残，鉴定时按事实的致残结局为依据」."""
    result = apply_prior_disability(prior_grade=8, new_grades=[9], kind=codes.INITIAL, aggravated=True, actual_grade=6)
    assert result.grade == 6
    assert "实际的致残结局" in result.rule
    assert result.basis[0] == "GB/T 16180-2014 4.3 对原有伤残及合并症的处理"


def test_prior_disability_not_aggravated_grades_this_injury():
    """4.3「若本次伤情轻于原有伤残，鉴定时则按本次伤情致残结局为依据」."""
    result = apply_prior_disability(prior_grade=5, new_grades=[9, 9], kind=codes.SECOND, aggravated=False)
    assert result.grade == 8
    assert "未加重原有伤残" in result.rule


def test_prior_disability_rule_is_not_applied_at_review():
    """4.3「复查鉴定不适用于本规则」: the new grades alone, under 4.2."""
    result = apply_prior_disability(prior_grade=3, new_grades=[7], kind=codes.REVIEW, aggravated=True, actual_grade=2)
    assert result.grade == 7
    assert "复查鉴定不适用" in result.rule


def test_no_prior_disability_is_plain_combination():
    result = apply_prior_disability(prior_grade=None, new_grades=[6, 6], kind=codes.INITIAL, aggravated=False)
    assert result.grade == 5


def test_aggravated_needs_the_actual_grade_no_milder_than_the_prior():
    with pytest.raises(GradingInputError) as err:
        apply_prior_disability(prior_grade=6, new_grades=[9], kind=codes.INITIAL, aggravated=True)
    assert err.value.field == "actual_grade"
    with pytest.raises(GradingInputError) as err:
        apply_prior_disability(prior_grade=6, new_grades=[9], kind=codes.INITIAL, aggravated=True, actual_grade=8)
    assert err.value.field == "actual_grade"


def test_prior_disability_refuses_a_kind_that_does_not_grade():
    with pytest.raises(GradingInputError) as err:
        apply_prior_disability(prior_grade=6, new_grades=[9], kind=codes.DEVICE, aggravated=False)
    assert err.value.field == "kind"


@given(grade, grades, st.booleans(), grade)
def test_prior_disability_takes_the_actual_result_or_this_injury(prior, gs, aggravated, actual):
    """Outside 复查: aggravated → the actual result (refused when milder than the prior); else this injury (4.2)."""
    try:
        result = apply_prior_disability(prior_grade=prior, new_grades=gs, kind=codes.INITIAL, aggravated=aggravated,
                                         actual_grade=actual)
    except GradingInputError:
        assert aggravated and actual > prior
        return
    assert result.grade == (actual if aggravated else combine(gs).grade)


# ---- the table ----------------------------------------------------------------------------

PUBLISHED_COUNTS = {1: 23, 2: 39, 3: 47, 4: 55, 5: 65, 6: 76, 7: 63, 8: 74, 9: 42, 10: 46}


def test_counts_per_grade():
    assert loader.counts() == PUBLISHED_COUNTS
    assert len(loader.items()) == 530


def test_every_item_has_a_grade_a_category_a_text_and_keywords():
    categories = set(loader.category_labels())
    assert categories == {"neuro", "ortho", "sensory", "visceral", "occupational"}
    for item in loader.items():
        assert 1 <= item.grade <= 10
        assert item.category in categories
        assert item.text.strip()
        assert item.keywords
        assert item.clause == f"5.{item.grade}.2"
        assert item.code == f"{item.clause}.{item.item}"


def test_codes_are_unique_and_numbered_from_one_in_each_grade():
    codes_ = [i.code for i in loader.items()]
    assert len(codes_) == len(set(codes_))
    for g, n in PUBLISHED_COUNTS.items():
        assert [i.item for i in loader.items() if i.grade == g] == list(range(1, n + 1))


def test_known_items():
    assert loader.get("5.1.2.1").text == "极重度智能损伤"
    assert loader.get("5.1.2.2").text == "四肢瘫肌力≤3级或三肢瘫肌力≤2级"
    assert loader.get("5.10.2.46").text == "职业性皮肤病久治不愈"
    assert loader.get("5.6.2.33").text == "双耳听力损失≥71dB"
    assert loader.get("5.6.2.33").category == "sensory"
    assert loader.get("5.1.2.1").citation == "GB/T 16180-2014 5.1.2 第1项"
    assert loader.get("nope") is None


def test_the_clauses_kept_with_the_table_are_the_standard_text():
    assert "如果两项及以上等级相同，最多晋升一级" in loader.clause_text("4.2")
    assert "复查鉴定不适用于本规则" in loader.clause_text("4.3")


def test_search_by_word_grade_and_category():
    hearing = search("听力")
    assert {i.grade for i in hearing} == set(range(4, 11))
    assert all(i.category == "sensory" for i in hearing)
    assert [i.code for i in search("听力", grade=6)] == ["5.6.2.33"]
    thumbs = search("拇指", category="ortho")
    assert thumbs and all("拇指" in i.text for i in thumbs)
    assert search("拇指", category="occupational") == []


def test_search_by_body_part_keyword_and_several_words():
    hand = search("手", grade=10)
    assert "5.10.2.5" in [i.code for i in hand]
    assert [i.code for i in search("肝 切除 1/2")] == ["5.4.2.41", "5.5.2.44"]
    assert len(search("")) == 530
    assert search("没有这个词") == []
