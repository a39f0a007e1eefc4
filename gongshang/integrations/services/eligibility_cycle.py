"""待遇领取资格认证, the daily cycle (the platform, actor None, "系统（资格认证）"), one 统筹区 at a time:

1. open: one certification per beneficiary and year, when its anniversary is within the horizon
   (the beneficiaries: the distinct ID numbers of the region's active monthly fund entitlements);
2. compare: an open certification is confirmed by data when the data shows the beneficiary in
   person recently (rules/eligibility.py says which data, and why payments are not proof);
3. remind: an SMS to the beneficiary's registered mobile at each reminder step, once per step; a
   beneficiary without one is listed for staff to phone or visit;
4. lapse: past its due date, every active monthly fund entitlement of the beneficiary is suspended
   and the certification keeps their ids; confirming it later resumes exactly those.

Idempotent: a second run the same day finds nothing to open, to compare, to remind or to lapse. The
reads are set-based (one query per source for the whole region); only the rows that change are
written one by one, each in its own transaction with its audit event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.benefits.choices import EntitlementStatus, EventType, Payer, PeriodKind
from gongshang.benefits.models import Entitlement
from gongshang.core.audit import record_event
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import register_template
from gongshang.core.pii.masking import mask_mobile
from gongshang.core.workflow import transition

from ..choices import CertificationMethod as M
from ..choices import CertificationStatus as S
from ..choices import DeathStatus
from ..choices import ExchangeEventType as EV
from ..models import Certification, DeathRecord, HospitalNotice
from ..rules import eligibility as rules
from ..selectors import eligibility as selectors
from .eligibility import ACTOR_LABEL, resume_lapsed

CYCLE_EVENT = "integrations.certification_cycle"
REMINDER_TEMPLATE = "sms_certification_reminder"
LAPSED_TEMPLATE = "sms_certification_lapsed"
register_template(REMINDER_TEMPLATE, "【工伤保险】请于{due_on}前完成本年度工伤保险待遇领取资格认证：登录工伤保险服务平台“资格认证”"
                                     "用手机拍照认证，或到定点医疗机构、经办窗口办理。逾期将暂停发放待遇。")
register_template(LAPSED_TEMPLATE, "【工伤保险】您未在{due_on}前完成待遇领取资格认证，工伤保险待遇已暂停发放。完成认证后恢复发放，"
                                   "并补发暂停期间的待遇。")


@dataclass
class CycleResult:
    opened: int = 0
    confirmed: int = 0
    reminded: int = 0
    no_mobile: int = 0
    lapsed: int = 0
    suspended: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        return (f"新建认证 {self.opened} 条，数据比对认证通过 {self.confirmed} 条，短信提醒 {self.reminded} 条，"
                f"无手机号待人工通知 {self.no_mobile} 条，逾期暂停 {self.lapsed} 人（暂停待遇 {self.suspended} 项）")


def reminder_days() -> tuple[int, ...]:
    return tuple(sorted({int(d) for d in getattr(settings, "ELIGIBILITY_REMINDER_DAYS", rules.REMINDER_DAYS)},
                        reverse=True))


def horizon_days() -> int:
    return int(getattr(settings, "ELIGIBILITY_HORIZON_DAYS", rules.HORIZON_DAYS))


def evidence_months() -> int:
    return int(getattr(settings, "ELIGIBILITY_EVIDENCE_MONTHS", rules.EVIDENCE_MONTHS))


def _moment(today: date) -> datetime:
    """When the cycle of `today` acted: now, or that morning for a cycle run for another day."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(today, time(8)))


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- who: the beneficiaries --------------------------------------------------------------------------

# A worker's own items carry no beneficiary ID number (the person is linked); a dependant's do.
BENEFICIARY_KEY = Coalesce("beneficiary_id_index", "person__id_number_index")


def _monthly_fund(region: str):
    return Entitlement.objects.filter(region=region, period_kind=PeriodKind.MONTHLY, payer=Payer.FUND)


def beneficiary_entitlements(region: str, key: str):
    """The beneficiary's active monthly fund entitlements of the region (what a lapse suspends)."""
    return (_monthly_fund(region).filter(status=EntitlementStatus.ACTIVE)
            .filter(Q(beneficiary_id_index=key) | Q(beneficiary_id_index__isnull=True, person__id_number_index=key)))


def _beneficiaries(region: str, only: set[str] | None):
    """One row per beneficiary with an active item: its key, the first month and the first approval
    of any of its granted monthly fund items, stopped ones included (the anniversary stays put across
    re-appraisals)."""
    active = _monthly_fund(region).filter(status=EntitlementStatus.ACTIVE).annotate(key=BENEFICIARY_KEY)
    if only is not None:
        active = active.filter(key__in=list(only))
    granted = _monthly_fund(region).exclude(status__in=(EntitlementStatus.PENDING, EntitlementStatus.REJECTED))
    rows = (granted.annotate(key=BENEFICIARY_KEY)
            .filter(key__in=Subquery(active.exclude(key=None).values("key")))
            .values("key").annotate(first_start=Min("start_month"), first_approved=Min("approved_at"), sample=Max("pk"))
            .order_by("key"))
    return rows


def open_due(*, region: str, today: date, only: set[str] | None = None) -> int:
    """Open this year's certification of every beneficiary whose anniversary is within the horizon."""
    wanted = {}
    for row in _beneficiaries(region, only):
        approved = timezone.localtime(row["first_approved"]).date() if row["first_approved"] else date.min
        year = rules.year_to_open(row["first_start"], approved, today, horizon_days())
        if year is not None:
            wanted[row["key"]] = (year, row)
    if not wanted:
        return 0
    existing = set(Certification.objects.filter(region=region, beneficiary_id_index__in=list(wanted))
                   .values_list("beneficiary_id_index", "year"))
    notice = max(reminder_days(), default=0)
    new = []
    for key, (year, row) in wanted.items():
        if (key, year) in existing:
            continue
        sample = Entitlement.objects.select_related("person").get(pk=row["sample"])
        id_number = sample.beneficiary_id_number or (sample.person.id_number if sample.person_id else "")
        new.append(Certification(region=region, year=year, person=sample.person, beneficiary_name=sample.beneficiary_name,
                                 beneficiary_id_number=id_number,
                                 due_on=rules.due_date(row["first_start"], year, opened_on=today, notice_days=notice)))
    # The unique (region, beneficiary, year) constraint makes a concurrent run's rows win quietly.
    Certification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- data comparison ---------------------------------------------------------------------------------

def _local_day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _evidence(keys, today: date) -> dict[str, list[rules.Evidence]]:
    """Every datum of the sources in rules.PROOF_OF_LIFE for these beneficiaries within the window."""
    from gongshang.appraisal.models import ExamRecord
    from gongshang.medical.models import Encounter

    earliest = rules.add_months(today, -evidence_months())
    since = timezone.make_aware(datetime.combine(earliest, time.min))
    found: dict[str, list[rules.Evidence]] = {}

    def add(key, source, day, record):
        if key and day is not None:
            found.setdefault(key, []).append(rules.Evidence(source, day, record))

    for key, day, pk in HospitalNotice.objects.filter(id_number_index__in=keys, event_date__gte=earliest,
                                                      event_date__lte=today).values_list("id_number_index",
                                                                                         "event_date", "pk"):
        add(key, rules.HOSPITAL_NOTICE, day, f"integrations.hospitalnotice:{pk}")
    case_key = Coalesce("case__person__id_number_index", "case__injured_id_number_index")
    encounters = (Encounter.objects.annotate(key=case_key).filter(key__in=keys)
                  .filter(Q(admitted_at__gte=since) | Q(discharged_at__gte=since)))
    for key, admitted, discharged, pk in encounters.values_list("key", "admitted_at", "discharged_at", "pk"):
        days = [d for d in (_local_day(admitted), _local_day(discharged)) if d is not None and d <= today]
        add(key, rules.MEDICAL_ENCOUNTER, max(days, default=None), f"medical.encounter:{pk}")
    exam_key = Coalesce("application__case__person__id_number_index", "application__case__injured_id_number_index")
    exams = (ExamRecord.objects.annotate(key=exam_key).filter(key__in=keys, identity_verified=True,
                                                             checked_in_at__gte=since))
    for key, checked_in, pk in exams.values_list("key", "checked_in_at", "pk"):
        add(key, rules.APPRAISAL_EXAM, _local_day(checked_in), f"appraisal.examrecord:{pk}")
    return found


def _dead(keys, *, region: str = "") -> set[str]:
    """The beneficiaries (blind indexes) with a death recorded and not refuted, in `region` or any."""
    deaths = DeathRecord.objects.filter(id_number_index__in=keys).exclude(status=DeathStatus.REFUTED)
    if region:
        deaths = deaths.filter(region=region)
    return set(deaths.values_list("id_number_index", flat=True))


def compare(*, region: str, today: date, only: set[str] | None = None) -> int:
    """Confirm by data every open certification whose beneficiary the data shows in person."""
    candidates = Certification.objects.filter(region=region, status__in=selectors.OPEN)
    if only is not None:
        candidates = candidates.filter(beneficiary_id_index__in=list(only))
    keys = Subquery(candidates.values("beneficiary_id_index"))
    dead = _dead(keys)
    found = _evidence(keys, today)
    confirmed = 0
    for certification in candidates.filter(beneficiary_id_index__in=list(found)).order_by("pk"):
        evidence = rules.confirming_evidence(found[certification.beneficiary_id_index], today=today,
                                             death_recorded=certification.beneficiary_id_index in dead,
                                             months=evidence_months())
        if evidence is not None:
            confirm_by_data(certification, evidence, today=today)
            confirmed += 1
    return confirmed


@transaction.atomic
def confirm_by_data(certification: Certification, evidence: rules.Evidence, *, today: date) -> Certification:
    locked = transition(None, certification, "confirm", event_type=EV.CERTIFICATION_CONFIRMED, actor_label=ACTOR_LABEL,
                        changes={"method": M.DATA, "evidence": evidence.as_dict(), "confirmed_at": _moment(today)},
                        details={"method": M.DATA, "evidence": evidence.as_dict()})
    resume_lapsed(locked)
    return locked


# --- reminders ---------------------------------------------------------------------------------------

def remind(*, region: str, today: date, only: set[str] | None = None) -> tuple[int, int]:
    """(sent, without a mobile): each certification still to certify, once per reminder step."""
    steps = reminder_days()
    if not steps:
        return 0, 0
    qs = Certification.objects.filter(region=region, status__in=(S.DUE, S.REJECTED), due_on__gte=today,
                                      due_on__lte=today + timedelta(days=max(steps)))
    if only is not None:
        qs = qs.filter(beneficiary_id_index__in=list(only))
    # No SMS asks a family to certify the dead: the death is staff's to verify (死亡信息).
    qs = qs.exclude(beneficiary_id_index__in=_dead(Subquery(qs.values("beneficiary_id_index"))))
    sent = missing = 0
    for certification in qs.select_related("person").order_by("due_on", "pk"):
        last = _local_day(certification.reminded_at)
        step = rules.reminder_step(certification.due_on, today, last, steps)
        if step is None:
            continue
        if _remind_one(certification, step, today):
            sent += 1
        else:
            missing += 1
    return sent, missing


@transaction.atomic
def _remind_one(certification: Certification, step: int, today: date) -> bool:
    locked = Certification.objects.select_for_update().get(pk=certification.pk)
    if rules.reminder_step(locked.due_on, today, _local_day(locked.reminded_at), (step,)) is None:
        return True  # another run got there first
    mobile = selectors.beneficiary_mobile(locked)
    if mobile:
        enqueue_message(channel="sms", recipient=mobile, template=REMINDER_TEMPLATE,
                        params={"due_on": _date_text(locked.due_on)}, region=locked.region)
    entry = {"days": step, "on": today.isoformat(), "to": mask_mobile(mobile), "result": "sms" if mobile else "no_mobile"}
    locked.reminders = [*(locked.reminders or []), entry]
    locked.reminded_at = _moment(today)
    locked.save(update_fields=["reminders", "reminded_at"])
    return bool(mobile)


# --- lapse -------------------------------------------------------------------------------------------

def lapse_overdue(*, region: str, today: date, only: set[str] | None = None) -> tuple[int, int]:
    """(certifications lapsed, entitlements suspended): past the due date, not certified."""
    qs = Certification.objects.filter(region=region, status__in=(S.DUE, S.REJECTED), due_on__lt=today)
    if only is not None:
        qs = qs.filter(beneficiary_id_index__in=list(only))
    keys = Subquery(qs.values("beneficiary_id_index"))
    dead = _dead(keys)
    dead_here = _dead(keys, region=region)
    lapsed = suspended = 0
    for certification in qs.order_by("due_on", "pk"):
        deceased = certification.beneficiary_id_index in dead
        # A death recorded in this 统筹区 governs the items (it ends them at the month of death; staff
        # confirm or refute it): the lapse waits, and lapses after a refutation. Items a death reported
        # in another 统筹区 left untouched are still suspended, without an SMS to the family.
        if certification.beneficiary_id_index in dead_here or (
                deceased and not beneficiary_entitlements(certification.region,
                                                          certification.beneficiary_id_index).exists()):
            continue
        suspended += len(lapse(certification, today=today, notify=not deceased))
        lapsed += 1
    return lapsed, suspended


@transaction.atomic
def lapse(certification: Certification, *, today: date, notify: bool = True) -> list[int]:
    """逾期: suspend the beneficiary's active monthly fund entitlements (the platform's transition,
    note LAPSE_NOTE), keep their ids with those of an earlier lapse of the same year, tell the
    beneficiary. Returns the ids suspended now."""
    ids = []
    for entitlement in beneficiary_entitlements(certification.region, certification.beneficiary_id_index).order_by("pk"):
        transition(None, entitlement, "suspend", event_type=EventType.ENTITLEMENT_SUSPENDED, actor_label=ACTOR_LABEL,
                   changes={"note": rules.LAPSE_NOTE},
                   details={"reason": rules.LAPSE_NOTE, "certification": certification.pk})
        ids.append(entitlement.pk)
    kept = sorted({*(certification.suspended_entitlements or []), *ids})
    locked = transition(None, certification, "lapse", event_type=EV.CERTIFICATION_LAPSED, actor_label=ACTOR_LABEL,
                        changes={"lapsed_at": certification.lapsed_at or _moment(today), "suspended_entitlements": kept},
                        details={"due_on": certification.due_on.isoformat(), "suspended": ids})
    mobile = selectors.beneficiary_mobile(locked) if notify else ""
    if mobile:
        enqueue_message(channel="sms", recipient=mobile, template=LAPSED_TEMPLATE,
                        params={"due_on": _date_text(locked.due_on)}, region=locked.region)
    return ids


# --- the whole cycle ---------------------------------------------------------------------------------

def run_cycle(*, region: str, today: date | None = None, only: set[str] | None = None) -> CycleResult:
    """Open, compare, remind, lapse — in that order, so data that arrived in time confirms before
    anyone is reminded or suspended. `only`: these beneficiaries' keys (blind indexes) alone."""
    today = today or timezone.localdate()
    result = CycleResult(opened=open_due(region=region, today=today, only=only))
    result.confirmed = compare(region=region, today=today, only=only)
    result.reminded, result.no_mobile = remind(region=region, today=today, only=only)
    result.lapsed, result.suspended = lapse_overdue(region=region, today=today, only=only)
    return result


def cycle_regions() -> list[str]:
    """The 统筹区 with a monthly fund beneficiary or an open certification."""
    regions = set(Entitlement.objects.filter(status=EntitlementStatus.ACTIVE, period_kind=PeriodKind.MONTHLY,
                                             payer=Payer.FUND).values_list("region", flat=True).distinct())
    regions |= set(Certification.objects.filter(status__in=selectors.OPEN).values_list("region", flat=True).distinct())
    return sorted(r for r in regions if r)


def run_daily(*, today: date | None = None, region: str = "") -> dict[str, CycleResult]:
    """The daily command: every region (or one), each recorded as one audit event with its figures."""
    results = {}
    for code in ([region] if region else cycle_regions()):
        results[code] = run_cycle(region=code, today=today)
        record_event(actor=None, event_type=CYCLE_EVENT, actor_label=ACTOR_LABEL, region=code,
                     details=results[code].as_dict())
    return results


def certifications_run(*, actor) -> CycleResult:
    """A 待遇审核员 runs the cycle of their 统筹区 now (the daily command does the same each morning)."""
    require(actor, "benefit_certification", "run")
    result = run_cycle(region=actor.jurisdiction)
    record_event(actor=actor, event_type=CYCLE_EVENT, region=actor.jurisdiction, details=result.as_dict())
    return result
