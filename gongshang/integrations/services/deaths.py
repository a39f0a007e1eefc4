"""死亡信息: apply a death reported by 民政 or 公安, then a 待遇审核员 confirms or refutes it.

Applying one death (the platform acts: actor None, "系统（死亡信息比对）"), in one transaction:
- every monthly entitlement in force or waiting (active, suspended, pending) whose beneficiary is the
  deceased (as the insured person, or by the beneficiary's ID number: a dependant receiving 供养亲属抚恤金
  may die too) is halted from the month after death by BOUNDING it: its last month (end_month) becomes
  the death month, its status stays (the law owes the benefit through the month of death, and the
  payroll pays only active items: a suspension would lose the unpaid months up to the death). The next
  run then pays every unpaid month up to and including the death month as arrears (补发), once, and
  nothing after. The previous last month is kept in `effects["bounded"]`; the change goes through the
  transition machinery (timeline and audit, status unchanged);
- payments not yet released for the months after the death month are REMOVED from their unreleased
  run (a copy is kept in the record's `effects`, and an audit event on the run): the run's totals
  and bank file are then exactly what will be paid, the exactly-once constraint stays as it is, and
  if the death is refuted the next run pays those months as arrears (补发) — once, since the row is gone;
- payments already released (sent or paid) for the months after the death month become one
  Overpayment each (open, to recover or waive);
- the dependants' route of an injured worker is recorded (rules/deaths.py), a NOTE goes on each
  case's timeline, an audit event DEATH_APPLIED with counts only; no message to the family.
Staff (the 待遇审核员 of the 统筹区) are told by SMS once per batch (deaths_notify_staff).
Confirm stops the halted entitlements (reason death, end_month the death month) once every month up
to the death is paid (409 before: a stopped item is never paid again); refute restores each last
month the death set (the next run pays the months in between as arrears).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from gongshang.accounts.access import get_for
from gongshang.accounts.choices import Audience, StaffRole
from gongshang.benefits.choices import EntitlementStatus, PaymentStatus, RunStatus, StopReason
from gongshang.benefits.models import CaseConclusion, Entitlement, Payment, PayrollRun
from gongshang.benefits.services.entitlements import entitlement_stop
from gongshang.benefits.services.recognition_check import DECIDED, OPENS_BENEFITS
from gongshang.cases.choices import CaseEventType
from gongshang.cases.models import InjuryCase
from gongshang.cases.services import case_event_append
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.money import fen_str, to_fen
from gongshang.core.notifications.services import enqueue_messages
from gongshang.core.notifications.templates import register_template
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import is_valid_mobile
from gongshang.core.workflow import Workflow, step, transition
from gongshang.recognition.models import RecognitionApplication
from gongshang.registry.models import InsuredPerson

from ..choices import DeathStatus, ExchangeEventType, Partner, RecoveryStatus
from ..errors import ExchangeErrorCode
from ..models import DeathRecord, Overpayment
from ..rules import deaths as rules

LABEL = "系统（死亡信息比对）"
NOTICE_TEMPLATE = "sms_exchange_deaths_applied"
register_template(NOTICE_TEMPLATE, "【工伤保险】{source}报送的死亡信息中有{count}人正在享受按月工伤保险待遇，"
                                   "死亡次月起已停发，请登录平台“死亡信息”核实处理。")
UNRELEASED = (RunStatus.COMPUTING, RunStatus.COMPUTED, RunStatus.APPROVED)
PAID_OUT = (PaymentStatus.SENT, PaymentStatus.PAID)
SOURCE_SHORT = {Partner.CIVIL_AFFAIRS: "民政", Partner.PUBLIC_SECURITY: "公安"}
REFUTED_WAIVE_NOTE = "死亡信息有误"
NOTE_MAX = 300
HALTABLE = (EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED, EntitlementStatus.PENDING)
# The last month an entitlement is paid, set (and restored) by a death record; the status stays.
BOUND = Workflow(kind="entitlement", steps={"death_bound": step(HALTABLE, None),
                                            "death_unbound": step(HALTABLE, None)})


@dataclass(frozen=True)
class DeathRow:
    """One checked row of a partner's file (the adapter has validated every field)."""

    id_number: str
    name: str
    death_date: date
    certificate_number: str = ""
    registered_region: str = ""


@dataclass(frozen=True)
class Applied:
    """What one row did: "applied" (a new record), "duplicate" (known, same date) or "error"."""

    outcome: str
    death: DeathRecord | None = None
    message: str = ""


def _source_short(source: str) -> str:
    return SOURCE_SHORT.get(source, str(Partner(source).label) if source in Partner.values else source)


# --- apply --------------------------------------------------------------------------------------------

def death_apply(*, batch, row: DeathRow) -> Applied:
    """Record one reported death and apply it (see the module docstring). A person already recorded
    is a duplicate when the date agrees and a row error when it does not (never a silent change).
    Runs in a savepoint: a row that fails leaves nothing behind and the batch goes on."""
    index = blind_index(row.id_number)
    existing = DeathRecord.objects.filter(id_number_index=index).first()
    if existing is not None:
        return _repeat(existing, row)
    try:
        with transaction.atomic():
            death = _apply(batch, row, index)
    except IntegrityError:
        # Another batch recorded the same person in between (the unique blind index): judge against it.
        existing = DeathRecord.objects.filter(id_number_index=index).first()
        if existing is None:
            raise
        return _repeat(existing, row)
    return Applied("applied", death)


def _repeat(existing: DeathRecord, row: DeathRow) -> Applied:
    if existing.death_date == row.death_date:
        return Applied("duplicate", existing)
    return Applied("error", existing, (
        f"death_date（死亡日期）{row.death_date:%Y-%m-%d} 与已登记的死亡日期 {existing.death_date:%Y-%m-%d}"
        f"（{_source_short(existing.source)}报送，{existing.get_status_display()}）不一致，本行未处理："
        "请向报送方核实正确的死亡日期；如已登记的有误，请由待遇审核员在“死亡信息”中核实处理。"))


@dataclass
class _Plan:
    person: InsuredPerson | None
    entitlements: list
    withdraw: list
    overpay: list
    cases: list


def _plan(region: str, index: str, death_month: date) -> _Plan:
    """What the death touches. The payments are read after the region's unreleased runs are
    locked: a run being computed holds the same lock, so no payment slips in between the read and
    the removal."""
    person = InsuredPerson.objects.filter(id_number_index=index).first()
    beneficiary = Q(beneficiary_id_index=index) | (Q(person=person) if person else Q(pk__in=[]))
    entitlements = list(Entitlement.objects.filter(beneficiary, region=region, period_kind="monthly")
                        .select_related("case").order_by("pk"))
    ids = [e.pk for e in entitlements]
    if ids:
        list(PayrollRun.objects.select_for_update().filter(region=region, status__in=UNRELEASED).order_by("pk"))
    later = Payment.objects.filter(entitlement_id__in=ids, period_kind="monthly", period__gt=death_month)
    withdraw = list(later.filter(status=PaymentStatus.PENDING, run__status__in=UNRELEASED)
                    .select_related("run").order_by("period", "pk"))
    overpay = list(later.filter(status__in=PAID_OUT, overpayment__isnull=True).order_by("period", "pk"))
    own = Q(injured_id_number_index=index) | (Q(person=person) if person else Q(pk__in=[]))
    cases = list(InjuryCase.objects.filter(own, region=region).order_by("pk"))
    return _Plan(person, entitlements, withdraw, overpay, cases)


def _status(plan: _Plan) -> str:
    live = [e for e in plan.entitlements if e.status in (EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED)]
    if live or plan.withdraw or plan.overpay:
        return DeathStatus.APPLIED
    if plan.person is not None or plan.entitlements or plan.cases:
        return DeathStatus.NO_BENEFITS
    return DeathStatus.UNMATCHED


def _apply(batch, row: DeathRow, index: str) -> DeathRecord:
    month = rules.death_month(row.death_date)
    plan = _plan(batch.region, index, month)
    death = DeathRecord.objects.create(
        region=batch.region, batch=batch, source=batch.partner, id_number=row.id_number, name=row.name,
        death_date=row.death_date, certificate_number=row.certificate_number, person=plan.person,
        status=_status(plan))
    suspended, already, bounded = _suspend(death, plan.entitlements)
    effects = {
        "registered_region": row.registered_region,
        "name_matches": _name_matches(row.name, plan),
        "suspended": suspended, "already_suspended": already, "bounded": bounded,
        "pending_entitlements": [e.pk for e in plan.entitlements if e.status == EntitlementStatus.PENDING],
        "withdrawn": _withdraw(death, plan.withdraw),
        "overpayments": _flag_overpaid(death, plan.overpay),
        "routes": _routes(plan.cases),
    }
    effects["unpaid_through_death"] = _unpaid_through(month, [e for e in plan.entitlements
                                                              if e.pk in suspended or e.pk in already])
    death.effects = effects
    death.save(update_fields=["effects"])
    _note_cases(death, plan)
    record_event(actor=None, actor_label=LABEL, event_type=ExchangeEventType.DEATH_APPLIED, target=death,
                 region=death.region, details={
                     "status": death.status, "source": death.source, "suspended": len(suspended),
                     "already_suspended": len(already), "withdrawn": len(effects["withdrawn"]),
                     "overpayments": effects["overpayments"]["count"],
                     "routes": [r["code"] for r in effects["routes"]]})
    return death


def _name_matches(name: str, plan: _Plan) -> bool | None:
    """Whether the reported name is the registry's (or a beneficiary's): shown to staff, never a
    reason to stop (an ID number identifies; 曾用名 and rare characters differ)."""
    if plan.person is not None:
        return plan.person.name == name
    if plan.entitlements:
        return any(e.beneficiary_name == name for e in plan.entitlements)
    return None


def _suspend(death: DeathRecord, entitlements: list) -> tuple[list[int], list[int], dict]:
    """Halt every monthly entitlement in force or waiting from the month after death: its last month
    becomes the death month (the platform's transition, status unchanged, audited as 系统（死亡信息比对）).
    Returns (active ones halted, ones already suspended for another reason, {id: previous last month})."""
    month = rules.death_month(death.death_date)
    note = f"死亡信息：{death.death_date:%Y-%m-%d} 死亡（{_source_short(death.source)}），{month:%Y-%m} 以后停发"
    suspended, already, bounded = [], [], {}
    for entitlement in entitlements:
        if entitlement.status not in HALTABLE or (entitlement.end_month and entitlement.end_month <= month):
            continue  # ended already, or ends by the death month anyway
        previous = f"{entitlement.end_month:%Y-%m-%d}" if entitlement.end_month else None
        transition(None, entitlement, "death_bound", workflow=BOUND, event_type=ExchangeEventType.DEATH_APPLIED,
                   actor_label=LABEL, details={"reason": note, "death": death.pk, "end_month": f"{month:%Y-%m}",
                                               "previous_end_month": previous},
                   changes={"end_month": month, "note": note[:300]})
        bounded[str(entitlement.pk)] = {"end_month": previous, "note": entitlement.note}
        if entitlement.status == EntitlementStatus.ACTIVE:
            suspended.append(entitlement.pk)
        elif entitlement.status == EntitlementStatus.SUSPENDED:
            already.append(entitlement.pk)
    return suspended, already, bounded


def _withdraw(death: DeathRecord, payments: list) -> list[dict]:
    """Remove the not-yet-released payments of the months after death from their runs; keep a copy
    and tell each run's audit trail how many left it and for how much."""
    if not payments:
        return []
    kept = [{"payment": p.pk, "run": p.run_id, "run_period": f"{p.run.period:%Y-%m}", "entitlement": p.entitlement_id,
             "period": f"{p.period:%Y-%m}", "amount": fen_str(p.amount), "benefit_type": p.benefit_type,
             "attempts": p.attempts, "reissue_of": p.reissue_of_id} for p in payments]
    Payment.objects.filter(pk__in=[p.pk for p in payments], status=PaymentStatus.PENDING).delete()
    runs: dict[int, list] = {}
    for p in payments:
        runs.setdefault(p.run_id, [p.run, []])[1].append(p.amount)
    for run, amounts in runs.values():
        record_event(actor=None, actor_label=LABEL, event_type=ExchangeEventType.DEATH_APPLIED, target=run,
                     region=run.region, details={"death": death.pk, "withdrawn": len(amounts),
                                                 "amount": fen_str(to_fen(sum(amounts)))})
    return kept


def _flag_overpaid(death: DeathRecord, payments: list) -> dict:
    rows = [Overpayment(region=death.region, death=death, payment=p, amount=p.amount) for p in payments]
    Overpayment.objects.bulk_create(rows)
    return {"count": len(rows), "amount": fen_str(to_fen(sum((p.amount for p in payments), start=to_fen(0))))}


def _routes(cases: list) -> list[dict]:
    """The dependants' route of each case of the deceased as an injured worker (第三十九条)."""
    found = []
    for case in cases:
        conclusion = (CaseConclusion.objects.filter(case=case, superseded_by__isnull=True).order_by("-pk").first())
        recognised = conclusion is not None or RecognitionApplication.objects.filter(
            case=case, status__in=DECIDED, decision_result__in=OPENS_BENEFITS).exists()
        route = rules.route_for(conclusion_kind=conclusion.kind if conclusion else None,
                                grade=conclusion.disability_grade if conclusion else None, recognised=recognised)
        if route is not None:
            found.append({"case": case.pk, "case_number": case.number, "code": route.code,
                          "grade": conclusion.disability_grade if conclusion else None})
    return found


def _unpaid_through(month: date, entitlements: list) -> list[dict]:
    """Months up to the death month with no payment yet: the next run pays those of an active item
    as arrears (owed to the estate); staff see them, and confirm waits for them (a stopped item is
    never paid again)."""
    found = []
    for e in entitlements:
        if e.payer != "fund" or e.start_month > month:
            continue
        last = min(month, e.end_month) if e.end_month else month
        paid = set(Payment.objects.filter(entitlement=e, period__lte=last).values_list("period", flat=True))
        missing = [f"{m:%Y-%m}" for m in rules.months_between(e.start_month, last) if m not in paid]
        if missing:
            found.append({"entitlement": e.pk, "months": missing})
    return found


def _note_cases(death: DeathRecord, plan: _Plan) -> None:
    """A NOTE on the timeline of each case concerned: the deceased's own, and those of the
    entitlements still in force or waiting (not of items stopped long ago)."""
    cases = {c.pk: c for c in plan.cases}
    live = (EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED, EntitlementStatus.PENDING)
    cases.update({e.case_id: e.case for e in plan.entitlements if e.status in live})
    text = (f"收到{_source_short(death.source)}报送的死亡信息（死亡日期 {death.death_date:%Y-%m-%d}）"
            + ("，相关按月待遇死亡次月起停发，待待遇审核员核实" if death.status == DeathStatus.APPLIED else "，待待遇审核员核实"))
    for case in cases.values():
        case_event_append(case=case, event_type=CaseEventType.NOTE, actor=None, actor_label=LABEL,
                          details={"text": text, "exchange": "death", "death": death.pk})


def deaths_notify_staff(*, region: str, source: str, count: int) -> int:
    """One SMS to each active 待遇审核员 of the 统筹区 with a mobile: how many deaths of this batch
    halted benefits (no name, no ID number: the page shows them). None for a batch without any."""
    if count <= 0:
        return 0
    User = get_user_model()
    mobiles = []
    for user in (User.objects.filter(kind=Audience.STAFF, jurisdiction=region, is_active=True,
                                     role_assignments__role=StaffRole.BENEFITS_REVIEWER).distinct().order_by("pk")):
        if user.mobile and is_valid_mobile(user.mobile) and user.mobile not in mobiles:
            mobiles.append(user.mobile)
    params = {"source": _source_short(source) + "部门", "count": count}
    return enqueue_messages({"channel": OutboxChannel.SMS, "recipient": m, "template": NOTICE_TEMPLATE,
                             "params": params, "region": region} for m in mobiles)


# --- confirm / refute (待遇审核员) -----------------------------------------------------------------------

def _halted(death: DeathRecord) -> list[int]:
    effects = death.effects or {}
    return [*effects.get("suspended", []), *effects.get("already_suspended", [])]


def _unpaid_or_none(death: DeathRecord, pks: list[int]) -> None:
    """409 while an active item still has a month up to the death without a payment: stopping it
    now would lose those months (the payroll pays active items only). The next run pays them."""
    month = rules.death_month(death.death_date)
    active = list(Entitlement.objects.filter(pk__in=pks, status=EntitlementStatus.ACTIVE).order_by("pk"))
    missing = sorted({m for row in _unpaid_through(month, active) for m in row["months"]})
    if missing:
        shown = "、".join(missing[:12]) + ("等" if len(missing) > 12 else "")
        raise DomainError(ExchangeErrorCode.DEATH_UNPAID_MONTHS, (
            f"该人员死亡当月及以前尚有 {shown} 的待遇未发放，将在下一次待遇发放时补发；"
            "请在补发后再核实终止，以免少发。"), status=409, details={"months": missing})


@transaction.atomic
def death_confirm(*, actor, death_id: int, note: str = "") -> DeathRecord:
    """核实死亡: every entitlement the death halted is stopped (reason death, last month the death
    month) once the months up to the death are paid; overpayments stay open for recovery; the
    dependants' route is then the case's."""
    death = get_for(actor, DeathRecord, death_id, "confirm")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise FieldErrors({"note": f"核实说明最多 {NOTE_MAX} 字，请精简后提交"})
    stoppable = list(Entitlement.objects.filter(pk__in=_halted(death), status__in=[
        EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED]).order_by("pk").values_list("pk", flat=True))
    if death.status == DeathStatus.APPLIED:
        _unpaid_or_none(death, stoppable)
    effects = {**(death.effects or {}), "confirmed": {"stopped": stoppable}}
    locked = transition(actor, death, "confirm", event_type=ExchangeEventType.DEATH_CONFIRMED,
                        code=ExchangeErrorCode.INVALID_TRANSITION, details={"stopped": len(stoppable)},
                        changes={"handled_by": actor, "handled_at": timezone.now(), "note": note, "effects": effects})
    for pk in stoppable:
        entitlement_stop(actor=actor, entitlement_id=pk, reason=StopReason.DEATH,
                         last_month=rules.death_month(death.death_date))
    return locked


def _unbound(actor, death: DeathRecord) -> list[int]:
    """Give back each last month the death set, where it still holds (not stopped or changed since)."""
    month = rules.death_month(death.death_date)
    bounded = (death.effects or {}).get("bounded", {})
    restored = []
    for row in Entitlement.objects.filter(pk__in=[int(k) for k in bounded], status__in=HALTABLE,
                                          end_month=month).order_by("pk"):
        before = bounded[str(row.pk)]
        previous = date.fromisoformat(before["end_month"]) if before.get("end_month") else None
        transition(actor, row, "death_unbound", workflow=BOUND, check_access=False,
                   event_type=ExchangeEventType.DEATH_REFUTED,
                   details={"death": death.pk, "end_month": f"{previous:%Y-%m}" if previous else None},
                   changes={"end_month": previous, "note": before.get("note") or ""})
        restored.append(row.pk)
    return restored


@transaction.atomic
def death_refute(*, actor, death_id: int, note: str) -> DeathRecord:
    """核实有误: each last month the death set is given back (the next run pays the months in
    between as arrears, including those removed from an unreleased run), its open overpayments are
    waived ("死亡信息有误"). Entitlements suspended for another reason stay suspended."""
    death = get_for(actor, DeathRecord, death_id, "refute")
    note = (note or "").strip()
    if not note:
        raise FieldErrors({"note": "请填写核实情况（例如：经电话和社区核实，本人健在），说明死亡信息为何有误"})
    if len(note) > NOTE_MAX:
        raise FieldErrors({"note": f"核实说明最多 {NOTE_MAX} 字，请精简后提交"})
    suspended = (death.effects or {}).get("suspended", [])
    open_rows = list(death.overpayments.filter(status=RecoveryStatus.OPEN).order_by("pk"))
    locked = transition(actor, death, "refute", event_type=ExchangeEventType.DEATH_REFUTED,
                        code=ExchangeErrorCode.INVALID_TRANSITION, details={"waived": len(open_rows)},
                        changes={"handled_by": actor, "handled_at": timezone.now(), "note": note})
    restored = _unbound(actor, locked)
    resumed = [pk for pk in suspended if pk in restored]
    locked.effects = {**(locked.effects or {}), "refuted": {
        "resumed": resumed, "not_resumed": [pk for pk in suspended if pk not in restored],
        "restored": restored, "waived": [o.pk for o in open_rows]}}
    locked.save(update_fields=["effects"])
    for row in open_rows:
        # Part of the refutation the 待遇审核员 is allowed: not a separate decision to check again.
        transition(actor, row, "waive", event_type=ExchangeEventType.RECOVERY_RECORDED, check_access=False,
                   code=ExchangeErrorCode.INVALID_TRANSITION, details={"action": "waive", "reason": "death_refuted"},
                   changes={"handled_by": actor, "handled_at": timezone.now(), "note": REFUTED_WAIVE_NOTE})
    return locked


# --- overpayments -------------------------------------------------------------------------------------

@transaction.atomic
def overpayment_settle(*, actor, overpayment_id: int, action: str, note: str) -> Overpayment:
    """追回 (recover: the money is back, from the estate or the bank) or 核销 (waive, with the
    reason). Recovery needs the death confirmed first; both need a note."""
    if action not in ("recover", "waive"):
        raise ValueError(action)
    row = get_for(actor, Overpayment.objects.select_related("death"), overpayment_id, action)
    note = (note or "").strip()
    if not note:
        what = "追回的方式和日期（例如：2026-12-05 由银行退回）" if action == "recover" else "核销的原因和依据"
        raise FieldErrors({"note": f"请填写说明：{what}"})
    if len(note) > NOTE_MAX:
        raise FieldErrors({"note": f"说明最多 {NOTE_MAX} 字，请精简后提交"})
    if action == "recover" and row.death.status != DeathStatus.CONFIRMED and row.status == RecoveryStatus.OPEN:
        raise DomainError(ExchangeErrorCode.DEATH_UNCONFIRMED, status=409, details={"death": row.death_id})
    return transition(actor, row, action, event_type=ExchangeEventType.RECOVERY_RECORDED,
                      code=ExchangeErrorCode.INVALID_TRANSITION,
                      details={"action": action, "amount": fen_str(row.amount)},
                      changes={"handled_by": actor, "handled_at": timezone.now(), "note": note})
