"""跨统筹区转移 of monthly benefits (a worker moves city and keeps their entitlements).

Into this 统筹区: the items the former 统筹区 paid continue here from a month, at the amounts it
transferred, as PENDING entitlements: a second 待遇审核员 approves them on the case's benefits page as
for any other item (maker-checker). Out of this 统筹区: only when the province confirms that the
target took the items over do they stop here, the month before the target's first month, so that no
month is paid twice and none is skipped (a worker is never left without payment while it waits).
Called by the 数据交换 province area (integrations/services/province_answers.py)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongshang.accounts.access import require
from gongshang.cases.choices import CaseEventType
from gongshang.cases.services import case_event_append
from gongshang.core.audit import record_event
from gongshang.core.errors import FieldErrors
from gongshang.core.money import to_fen
from gongshang.core.workflow import transition

from ..choices import BenefitType, EntitlementStatus, EventType, Payer, PeriodKind, StopReason
from ..models import Entitlement
from ..rules.leave import add_months

MAX_AMOUNT = Decimal("100000000")  # Entitlement.amount: 12 digits, 2 of them decimals
# The items that are paid monthly and so move with the worker (one-time items were paid where they arose).
MONTHLY_TYPES = frozenset({BenefitType.DISABILITY_ALLOWANCE, BenefitType.NURSING_ALLOWANCE,
                           BenefitType.DEPENDANT_PENSION, BenefitType.RETIREMENT_DIFFERENCE})


@dataclass(frozen=True)
class ContinuedItem:
    """One monthly item as the former 统筹区 paid it."""

    benefit_type: str
    amount: Decimal
    payer: str = Payer.FUND
    basis: str = ""
    beneficiary_name: str = ""
    beneficiary_relation: str = "本人"


def _check(items: list[ContinuedItem]) -> None:
    errors = {}
    for i, item in enumerate(items):
        if item.benefit_type not in MONTHLY_TYPES:
            errors[f"items[{i}].benefit_type"] = "只有按月支付的待遇（伤残津贴、生活护理费、供养亲属抚恤金、养老金差额）可以转移接续"
        elif not isinstance(item.amount, Decimal) or not item.amount.is_finite() or not 0 < item.amount < MAX_AMOUNT:
            errors[f"items[{i}].amount"] = "月金额应为大于 0、小于 1 亿的金额（元），请核对转移内容"
        elif item.payer not in Payer.values:
            errors[f"items[{i}].payer"] = "支付方应为工伤保险基金或用人单位"
    if not items:
        errors["items"] = "转移内容中没有按月支付的待遇，无需接续"
    if errors:
        raise FieldErrors(errors)


def entitlements_continue(*, actor, case, person, items: list[ContinuedItem], start_month: date,
                          from_region: str, reference: str, bank_name: str = "",
                          bank_account: str = "") -> list[Entitlement]:
    """Create the transferred items on `case` (this 统筹区's) from `start_month`, pending approval by
    a second 待遇审核员. Runs in the caller's transaction."""
    require(actor, "entitlement", "create")
    _check(items)
    start = start_month.replace(day=1)
    name = person.name if person is not None else case.injured_name
    rows = [Entitlement(
        case=case, region=case.region, person=person if item.beneficiary_relation == "本人" else None,
        beneficiary_name=item.beneficiary_name or name, beneficiary_relation=item.beneficiary_relation or "本人",
        beneficiary_id_number=(case.injured_id_number or "") if item.beneficiary_relation == "本人" else "",
        benefit_type=item.benefit_type, period_kind=PeriodKind.MONTHLY, payer=item.payer, amount=to_fen(item.amount),
        start_month=start, basis=item.basis or "跨统筹区转移接续：按转出统筹区核定的待遇继续支付",
        formula=f"按转出统筹区（{from_region}）核定的月金额接续，转移编号 {reference}",
        bank_name=bank_name, bank_account=bank_account, created_by=actor) for item in items]
    Entitlement.objects.bulk_create(rows)
    details = {"count": len(rows), "transfer": reference, "from_region": from_region, "start_month": str(start)}
    case_event_append(case=case, event_type=CaseEventType.NOTE, actor=actor,
                      details={"benefits": str(EventType.ENTITLEMENTS_CREATED), **details})
    record_event(actor=actor, event_type=EventType.ENTITLEMENTS_CREATED, target=case, region=case.region,
                 details=details)
    return rows


def entitlements_transfer_out(*, entitlement_ids, target_start: date, target_name: str,
                              actor_label: str) -> list[Entitlement]:
    """The province confirmed the target took the items over from `target_start`: each of these still
    ACTIVE monthly items stops here with the month before as its last month (终止原因 其他). The
    platform acts (actor None): the province's confirmation is the decision."""
    last_month = add_months(target_start.replace(day=1), -1)
    stopped = []
    rows = Entitlement.objects.filter(pk__in=list(entitlement_ids), status=EntitlementStatus.ACTIVE,
                                      period_kind=PeriodKind.MONTHLY).order_by("pk")
    for row in rows:
        note = f"转至 {target_name}"
        stopped.append(transition(None, row, "stop", event_type=Entitlement.EVENTS["stop"], actor_label=actor_label,
                                  details={"reason": StopReason.OTHER, "last_month": str(last_month), "note": note},
                                  changes={"stop_reason": StopReason.OTHER, "end_month": max(last_month, add_months(
                                      row.start_month, -1)), "note": note[:300]}))
    return stopped
