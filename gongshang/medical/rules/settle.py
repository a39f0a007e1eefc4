"""出院直接结算: how much of each bill line the fund pays (《工伤保险条例》第三十条: the fund pays
only what passes the audit rules), pure (no Django).

Every amount is rounded to the fen, half-up (core/money.to_fen, which imports no Django). For each
line, the rules' flags are applied in RULE_ORDER on what remains of the line: a flag's proposed
amount is what it withholds from the whole line, i.e. it lets the fund pay at most
`amount − proposed`; the part applied is what remains above that ceiling (never below 0). So a line
never loses more than its amount, two partial rules (串换 and 限价) do not withhold the same excess
twice, and the first rule in the order is credited with a whole-line refusal. Encounter flags that
name lines (挂床住院, 非工伤治疗) withhold those lines in full; 分解住院 names none (amount 0).
Per line: amount = fund_amount + self_amount; the totals are the sums of the lines.
Line amounts are ≥ 0 (negative lines are refused when the bill is uploaded)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from gongshang.core.money import to_fen

from .audit import Catalogue, run_all
from .audit.inputs import BillLineIn, EncounterIn, Flag, Injury, Params, PreviousStay

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineResult:
    line_no: int
    amount: Decimal
    fund_amount: Decimal
    self_amount: Decimal
    flags: tuple = ()


@dataclass(frozen=True)
class SettleResult:
    total: Decimal
    fund_amount: Decimal
    self_amount: Decimal
    lines: list = field(default_factory=list)
    encounter_flags: list = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.encounter_flags) or any(line.flags for line in self.lines)


def _note(reason: str, proposed: Decimal, applied: Decimal) -> str:
    if applied == proposed:
        return reason
    if applied == 0:
        return reason + "（该行已按前述规则不予支付，本项不再重复计算，计0.00元）"
    return reason + f"（该行已按前述规则不予支付部分金额，本项按剩余部分计{applied}元）"


def settle(lines: list[BillLineIn], catalogue: Catalogue, encounter: EncounterIn,
           previous_stays: list[PreviousStay], params: Params, injury: Injury) -> SettleResult:
    lines = sorted(lines, key=lambda line: line.line_no)
    amounts = {line.line_no: to_fen(line.amount) for line in lines}
    remaining = dict(amounts)
    per_line: dict[int, list[Flag]] = {line.line_no: [] for line in lines}
    encounter_flags: list[Flag] = []
    for flag in run_all(lines, catalogue, encounter, previous_stays, params, injury):
        if flag.encounter_level:
            applied_total = ZERO
            for no in flag.line_nos:
                applied = remaining[no]
                remaining[no] = ZERO
                applied_total += applied
                per_line[no].append(replace(flag, line_nos=(no,), amount=applied, encounter_level=False))
            encounter_flags.append(replace(flag, amount=to_fen(applied_total)))
            continue
        for no in flag.line_nos:
            proposed = to_fen(flag.amount)
            ceiling = amounts[no] - proposed
            applied = min(max(remaining[no] - ceiling, ZERO), remaining[no])
            remaining[no] -= applied
            per_line[no].append(replace(flag, amount=applied, reason=_note(flag.reason, proposed, applied)))
    results = [LineResult(line_no=no, amount=amounts[no], fund_amount=remaining[no],
                          self_amount=amounts[no] - remaining[no], flags=tuple(per_line[no]))
               for no in amounts]
    total = sum((r.amount for r in results), ZERO)
    fund = sum((r.fund_amount for r in results), ZERO)
    return SettleResult(total=total, fund_amount=fund, self_amount=total - fund, lines=results,
                        encounter_flags=encounter_flags)


__all__ = ["LineResult", "SettleResult", "settle"]
