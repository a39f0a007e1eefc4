"""The dependants' route of an injured worker who died (《工伤保险条例》第三十九条) and the months a death stops."""

from datetime import date

import pytest

from ..rules import deaths as rules


@pytest.mark.parametrize(("kind", "grade", "recognised", "code"), [
    ("death", None, True, "death_registered"),          # 因工死亡 already registered: nothing to start
    ("death", 2, True, "death_registered"),             # a death recorded with the 1-4 grade (第三款)
    ("disability", 1, True, "grade_1_to_4"),
    ("disability", 4, True, "grade_1_to_4"),
    ("disability", 5, True, "grade_5_to_10"),
    ("disability", 10, True, "grade_5_to_10"),
    (None, None, True, "not_graded"),                  # recognised, not yet appraised: 第二款 may apply
    ("disability", None, True, "not_graded"),          # 未达级 conclusion without a grade
])
def test_route_for(kind, grade, recognised, code):
    assert rules.route_for(conclusion_kind=kind, grade=grade, recognised=recognised).code == code


def test_no_route_without_a_recognition():
    assert rules.route_for(conclusion_kind=None, grade=None, recognised=False) is None


def test_the_routes_name_what_may_be_claimed_and_the_article():
    third = rules.ROUTES[rules.GRADE_1_TO_4]
    assert third.items == ("funeral_subsidy", "dependant_pension") and third.basis.endswith("第三十九条第三款")
    assert "一次性工亡补助金" in third.text and "不含" in third.text
    assert rules.ROUTES[rules.NOT_GRADED].items == ("funeral_subsidy", "dependant_pension", "one_time_death_subsidy")
    assert rules.ROUTES[rules.GRADE_5_TO_10].items == ()
    assert all("seed" not in r.text.lower() and "RULES" not in r.text for r in rules.ROUTES.values())


def test_the_death_month_is_the_last_month_paid():
    assert rules.death_month(date(2026, 1, 31)) == date(2026, 1, 1)


def test_months_between_crosses_the_year_and_is_inclusive():
    assert rules.months_between(date(2025, 11, 1), date(2026, 2, 1)) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert rules.months_between(date(2026, 3, 1), date(2026, 2, 1)) == []
