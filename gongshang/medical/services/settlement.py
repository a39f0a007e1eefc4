"""PLACEHOLDER (part C): a minimal stand-in for part B's settlement service, with exactly the names
B's module exposes, so the encounter API can be built and tested. The lead replaces this file by
part B's at merge. It applies one rule only: a line whose code has no CatalogueItem is not paid by
the fund (rule "out_of_catalogue"); every other line is paid in full.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongshang.core.errors import DomainError
from gongshang.core.money import to_fen
from gongshang.core.workflow import transition

from ..choices import EncounterStatus, EventType
from ..errors import MedicalErrorCode
from ..models import BillLine, CatalogueItem, Encounter, LineFlag

ZERO = Decimal("0.00")


@dataclass
class Flag:
    rule: str
    reason: str
    amount: Decimal
    line_nos: list[int] = field(default_factory=list)
    source: str = ""


@dataclass
class LineResult:
    line_no: int
    fund_amount: Decimal
    self_amount: Decimal
    flags: list[Flag] = field(default_factory=list)


@dataclass
class SettleResult:
    total: Decimal
    fund_amount: Decimal
    self_amount: Decimal
    lines: list[LineResult] = field(default_factory=list)
    encounter_flags: list[Flag] = field(default_factory=list)


def encounter_settle(*, actor, encounter: Encounter) -> SettleResult:
    """出院直接结算 (placeholder): OPEN → SETTLED; an already settled encounter answers its stored result."""
    if encounter.status != EncounterStatus.OPEN:
        return settlement_result(encounter)
    day = timezone.localdate()
    if not encounter.institution.agreement_in_force(day):
        raise DomainError(MedicalErrorCode.NO_AGREEMENT, status=403)
    with transaction.atomic():
        lines = list(encounter.lines.all())
        known = set(CatalogueItem.objects.filter(code__in={line.catalogue_code for line in lines})
                    .values_list("code", flat=True))
        flags = []
        for line in lines:
            if line.catalogue_code in known:
                line.fund_amount, line.self_amount = to_fen(line.amount), ZERO
            else:
                line.fund_amount, line.self_amount = ZERO, to_fen(line.amount)
                flags.append(LineFlag(encounter=encounter, line=line, rule="out_of_catalogue", amount=line.amount,
                                      reason=f"“{line.catalogue_code}”不在工伤保险目录内，工伤保险基金不予支付",
                                      source="settle"))
        BillLine.objects.bulk_update(lines, ["fund_amount", "self_amount"], batch_size=1000)
        encounter.flags.filter(source="settle").delete()
        LineFlag.objects.bulk_create(flags)
        total = to_fen(sum((line.amount for line in lines), ZERO))
        fund = to_fen(sum((line.fund_amount for line in lines), ZERO))
        transition(actor, encounter, "settle", event_type=EventType.ENCOUNTER_SETTLED,
                   changes={"total": total, "fund_amount": fund, "self_amount": total - fund,
                            "flagged": bool(flags), "settled_at": timezone.now()},
                   details={"total": str(total), "fund_amount": str(fund)})
    return settlement_result(encounter)


def settlement_result(encounter: Encounter) -> SettleResult:
    """The stored result of a settled encounter (lines, flags) read back."""
    by_line: dict[int, list[Flag]] = {}
    encounter_flags = []
    for flag in encounter.flags.select_related("line").order_by("pk"):
        item = Flag(rule=flag.rule, reason=flag.reason, amount=flag.amount,
                    line_nos=[flag.line.line_no] if flag.line_id else [], source=flag.source)
        if flag.line_id:
            by_line.setdefault(flag.line.line_no, []).append(item)
        else:
            encounter_flags.append(item)
    lines = [LineResult(line_no=no, fund_amount=fund, self_amount=own, flags=by_line.get(no, []))
             for no, fund, own in encounter.lines.order_by("line_no").values_list("line_no", "fund_amount",
                                                                                    "self_amount")]
    return SettleResult(total=encounter.total, fund_amount=encounter.fund_amount, self_amount=encounter.self_amount,
                        lines=lines, encounter_flags=encounter_flags)


__all__ = ["Flag", "LineResult", "SettleResult", "encounter_settle", "settlement_result"]
