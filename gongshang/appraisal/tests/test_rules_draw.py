"""The pure draw (rules/draw.py) and the 门类 mapping (rules/categories.py): no database."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ..rules import categories as c
from ..rules.draw import (
    LOAD_SLACK,
    DrawApplication,
    PoolExpert,
    commitment,
    draw,
    load_cap,
    snapshot_sha256,
    verify,
)

SEED = "0f" * 32
CATS = c.CATEGORIES


def pool_of(n, *, per_cat=None, employer=None):
    return [PoolExpert(id=i + 1, categories=(per_cat or CATS[i % 5],), employer_id=employer) for i in range(n)]


def app(i, cats=("ortho",), **kw):
    return DrawApplication(id=i, categories=tuple(cats), **kw)


def members(result, app_id):
    return [m["expert"] for r in result if r["application"] == app_id for m in r["members"]]


def test_same_seed_same_result_and_input_order_does_not_matter():
    pool = pool_of(40)
    apps = [app(i, ("ortho", "neuro")) for i in range(1, 11)]
    one = draw(apps, pool, panel_size=3, seed=SEED)
    again = draw(list(reversed(apps)), list(reversed(pool)), panel_size=3, seed=SEED)
    assert one == again
    assert draw(apps, pool, panel_size=3, seed="1e" * 32) != one


def test_panel_size_and_chair():
    pool = pool_of(50)
    for size in (3, 5):
        result = draw([app(1), app(2)], pool, panel_size=size, seed=SEED)
        for panel in result:
            assert len(panel["members"]) == size
            assert len({m["expert"] for m in panel["members"]}) == size
            assert [m["chair"] for m in panel["members"]].count(True) == 1


def test_each_needed_category_is_covered():
    pool = pool_of(50)
    result = draw([app(1, ("neuro", "sensory", "visceral"))], pool, panel_size=3, seed=SEED)
    by_id = {e.id: e for e in pool}
    covered = {by_id[m["expert"]].categories[0] for m in result[0]["members"]}
    assert covered == {"neuro", "sensory", "visceral"}
    assert [m["category"] for m in result[0]["members"]] == ["neuro", "sensory", "visceral"]


def test_recusal_by_conflict_and_earlier_appraisal_are_excluded():
    pool = pool_of(10, per_cat="ortho")
    excluded = frozenset(range(1, 8))       # conflicts and earlier panels folded in by the service
    result = draw([app(1, excluded=excluded)], pool, panel_size=3, seed=SEED)
    assert sorted(members(result, 1)) == [8, 9, 10]


def test_recusal_by_same_employer():
    pool = [PoolExpert(id=i, categories=("ortho",), employer_id=77 if i <= 5 else None) for i in range(1, 9)]
    result = draw([app(1, employer_id=77)], pool, panel_size=3, seed=SEED)
    assert sorted(members(result, 1)) == [6, 7, 8]


def test_failure_names_application_and_missing_category():
    pool = pool_of(10, per_cat="ortho")
    result = draw([app(5, ("sensory",), label="案件 GS1 的鉴定申请")], pool, panel_size=3, seed=SEED)
    assert result[0]["members"] == []
    assert "案件 GS1 的鉴定申请" in result[0]["failure"]
    assert "眼科、耳鼻喉科、口腔科门" in result[0]["failure"]


def test_failure_when_not_enough_experts_after_recusal():
    pool = pool_of(4, per_cat="ortho")
    result = draw([app(1, excluded=frozenset({1, 2}))], pool, panel_size=3, seed=SEED)
    assert "还差 1 名" in result[0]["failure"]


def test_load_is_spread():
    pool = pool_of(30)
    apps = [app(i, (CATS[i % 5],)) for i in range(1, 61)]
    result = draw(apps, pool, panel_size=3, seed=SEED)
    assert all(not r["failure"] for r in result)
    load = {}
    for r in result:
        for m in r["members"]:
            load[m["expert"]] = load.get(m["expert"], 0) + 1
    assert max(load.values()) <= math.ceil(60 * 3 / 30) + LOAD_SLACK == load_cap(60, 3, 30)


def test_verify_recorded_draw():
    pool = pool_of(20)
    apps = [app(i, ("ortho",), excluded=frozenset({i})) for i in range(1, 6)]
    result = draw(apps, pool, panel_size=3, seed=SEED)
    pool_json = [e.as_json() for e in pool]
    apps_json = [a.as_json() for a in apps]
    assert verify(seed=SEED, commitment_hex=commitment(SEED), applications_json=apps_json, pool_json=pool_json,
                  panel_size=3, result=result, pool_sha256=snapshot_sha256(pool_json)) == []
    tampered = [dict(r) for r in result]
    tampered[0] = {**tampered[0], "members": list(reversed(tampered[0]["members"]))}
    problems = verify(seed=SEED, commitment_hex=commitment("00" * 32), applications_json=apps_json,
                      pool_json=pool_json, panel_size=3, result=tampered)
    assert len(problems) == 2


def test_categories_mapping():
    assert c.categories_for("右手", "挤压伤", "右手食指挤压伤") == ("ortho",)
    assert c.categories_for("头部", "", "颅脑损伤 左眼外伤") == ("neuro", "sensory")
    assert c.categories_for("", "", "矽肺一期") == ("occupational",)
    assert c.categories_for("", "", "视神经损伤") == ("sensory",)
    assert c.categories_for("", "", "脾破裂") == ("visceral",)
    assert c.categories_for("", "", "") == ("ortho",)
    assert c.categories_for("右腿", kind="dependant") == ("occupational",)


experts_st = st.lists(st.tuples(st.sampled_from(CATS), st.one_of(st.none(), st.integers(1, 3))),
                      min_size=3, max_size=40)
apps_st = st.lists(st.tuples(st.lists(st.sampled_from(CATS), min_size=1, max_size=3, unique=True),
                             st.one_of(st.none(), st.integers(1, 3)),
                             st.frozensets(st.integers(1, 40), max_size=8)),
                   min_size=1, max_size=15)


@settings(max_examples=80, deadline=None)
@given(experts_st, apps_st, st.sampled_from([3, 5]), st.binary(min_size=1, max_size=32))
def test_property_no_recused_expert_and_deterministic(expert_rows, app_rows, size, seed):
    pool = [PoolExpert(id=i + 1, categories=(cat,), employer_id=emp) for i, (cat, emp) in enumerate(expert_rows)]
    apps = [DrawApplication(id=i + 1, categories=tuple(cats), employer_id=emp, excluded=excl)
            for i, (cats, emp, excl) in enumerate(app_rows)]
    result = draw(apps, pool, panel_size=size, seed=seed)
    assert result == draw(apps, pool, panel_size=size, seed=seed)
    employer = {e.id: e.employer_id for e in pool}
    cap = load_cap(len(apps), size, len(pool))
    load = {}
    for a, r in zip(apps, result, strict=True):
        got = [m["expert"] for m in r["members"]]
        assert (len(got) == size and not r["failure"]) or (got == [] and r["failure"])
        for e in got:
            assert e not in a.excluded
            assert a.employer_id is None or employer[e] != a.employer_id
            load[e] = load.get(e, 0) + 1
    assert all(v <= cap for v in load.values())
