"""Cross-county assignment of institutions to teams (pure)."""

from hypothesis import given
from hypothesis import strategies as st

from ..rules import teams as t

A, B, C = "370202", "370203", "370211"


def team(tid, *counties):
    return t.Team(id=tid, name=f"第{tid}组", members=tuple(t.Member(f"员{tid}{n}", c) for n, c in enumerate(counties)))


def inst(iid, county):
    return t.Institution(id=iid, name=f"机构{iid}", county=county)


def test_no_member_checks_own_county_and_load_is_balanced():
    teams = [team(1, A), team(2, B), team(3, C)]
    insts = [inst(i, (A, B, C)[i % 3]) for i in range(9)]
    result = t.assign(insts, teams)
    assert not result.problems and len(result.teams) == 9
    by_id = {x.id: x for x in teams}
    for i in insts:
        assert i.county not in by_id[result.teams[i.id]].counties
    assert t.balanced(result, [1, 2, 3])


def test_impossible_institution_is_named_with_reason():
    teams = [team(1, A, B), team(2, A, C)]
    result = t.assign([inst(1, A), inst(2, B)], teams, county_names={A: "市南区"})
    assert result.teams == {2: 2}
    [(iid, reason)] = result.problems
    assert iid == 1 and "机构1" in reason and "市南区" in reason and "员10" in reason and "员20" in reason


def test_no_teams():
    result = t.assign([inst(1, A)], [])
    assert result.problems and "稽核组" in result.problems[0][1]


def test_most_constrained_first():
    # Institution 1 (county A) can go only to team 2; the others anywhere: greedy by load must not
    # fill team 2 first and then starve institution 1.
    teams = [team(1, A), team(2, B)]
    result = t.assign([inst(2, C), inst(3, C), inst(1, A)], teams)
    assert result.teams[1] == 2 and not result.problems


def test_refusal_names_member_and_county():
    assert t.refusal(team(1, B), "甲医院", A) is None
    message = t.refusal(team(1, A), "甲医院", A, "市南区")
    assert "员10" in message and "市南区" in message and "甲医院" in message


@given(st.lists(st.sampled_from([A, B, C]), min_size=1, max_size=30),
       st.lists(st.sets(st.sampled_from([A, B, C]), min_size=1, max_size=2), min_size=1, max_size=5))
def test_property_never_own_county_every_institution_accounted(counties, team_counties):
    teams = [team(n, *sorted(cs)) for n, cs in enumerate(team_counties)]
    insts = [inst(n, c) for n, c in enumerate(counties)]
    result = t.assign(insts, teams)
    assert len(result.teams) + len(result.problems) == len(insts)
    by_id = {x.id: x for x in teams}
    for i in insts:
        if i.id in result.teams:
            assert i.county not in by_id[result.teams[i.id]].counties
        else:
            assert all(i.county in x.counties for x in teams)  # refused only when truly impossible
