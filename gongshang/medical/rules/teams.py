"""异地交叉稽核: assigning the institutions of a campaign to teams so that no member checks an
institution of their own 区县, with the load balanced between teams.

Pure (no Django). Source: 济宁 2024 工伤保险协议机构专项稽核: teams drawn from the
counties' staff check the institutions of the other counties ("异地交叉检查"), so nobody audits the
institutions they deal with every day (回避, 医疗保障基金使用监督管理条例 第二十五条 by analogy).

Method: the institution with the fewest eligible teams goes first (most constrained), each to the
eligible team with the least load so far (ties: the team listed first). When no team is eligible
the institution is left out and the reason names its county and, for each team, the member from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Member:
    name: str
    county: str


@dataclass(frozen=True)
class Team:
    id: object
    name: str
    members: tuple[Member, ...]

    @property
    def counties(self) -> frozenset[str]:
        return frozenset(m.county for m in self.members)


@dataclass(frozen=True)
class Institution:
    id: object
    name: str
    county: str


@dataclass
class Assignment:
    teams: dict = field(default_factory=dict)      # institution id → team id
    problems: list = field(default_factory=list)   # (institution id, reason in Chinese)

    def load(self) -> dict:
        result: dict = {}
        for team_id in self.teams.values():
            result[team_id] = result.get(team_id, 0) + 1
        return result


def own_county_member(team: Team, county: str) -> Member | None:
    """The first member of `team` from `county`, or None (the team may check that county)."""
    return next((m for m in team.members if m.county == county), None)


def refusal(team: Team, institution_name: str, county: str, county_name: str = "") -> str | None:
    """The Chinese reason `team` may not check the institution, or None."""
    member = own_county_member(team, county)
    if member is None:
        return None
    where = county_name or county
    return (f"{team.name}的成员{member.name}来自{where}，不能检查本区县的“{institution_name}”，"
            f"请选择没有{where}成员的稽核组。")


def assign(institutions: Sequence[Institution], teams: Sequence[Team], *,
           county_names: dict | None = None) -> Assignment:
    """Assign every institution to a team with no member of its county, balancing the load."""
    names = county_names or {}
    result = Assignment()
    if not teams:
        for inst in institutions:
            result.problems.append((inst.id, f"“{inst.name}”：还没有稽核组，请先组建稽核组。"))
        return result
    load = {t.id: 0 for t in teams}
    order = {t.id: n for n, t in enumerate(teams)}
    eligible = {inst.id: [t for t in teams if own_county_member(t, inst.county) is None] for inst in institutions}
    for inst in sorted(institutions, key=lambda i: (len(eligible[i.id]), i.county, str(i.id))):
        candidates = eligible[inst.id]
        if not candidates:
            where = names.get(inst.county, inst.county)
            who = "、".join(f"{t.name}（{own_county_member(t, inst.county).name}）" for t in teams)
            result.problems.append((inst.id, f"“{inst.name}”（{where}）：每个稽核组都有{where}的成员——{who}，"
                                             f"请增加一个没有{where}成员的稽核组或调整成员。"))
            continue
        chosen = min(candidates, key=lambda t: (load[t.id], order[t.id]))
        result.teams[inst.id] = chosen.id
        load[chosen.id] += 1
    _rebalance(result, institutions, eligible, load, order)
    return result


def _rebalance(result: Assignment, institutions, eligible, load, order) -> None:
    """Move institutions from the busiest team to an eligible team with at least two fewer, while
    one such move exists (each move lowers the spread, so this ends)."""
    by_id = {i.id: i for i in institutions}
    for _round in range(len(institutions) * len(load) + 1):
        moved = False
        for busiest in sorted(load, key=lambda tid: (-load[tid], order[tid])):
            for iid in [i for i, tid in result.teams.items() if tid == busiest]:
                target = min((t for t in eligible[by_id[iid].id] if load[t.id] <= load[busiest] - 2),
                             key=lambda t: (load[t.id], order[t.id]), default=None)
                if target is not None:
                    result.teams[iid] = target.id
                    load[busiest] -= 1
                    load[target.id] += 1
                    moved = True
                    break
            if moved:
                break
        if not moved:
            return


def balanced(assignment: Assignment, team_ids: Iterable) -> bool:
    """Whether the loads differ by at most one between teams (for tests and the page's hint)."""
    load = assignment.load()
    values = [load.get(t, 0) for t in team_ids]
    return not values or max(values) - min(values) <= 1
