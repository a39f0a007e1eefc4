"""辅助器具配置与工伤康复: from the appraisal's confirmation to the settlement and the replacement
reminder (every write here; the amounts and dates are rules/referrals.py).

1. `referral_from_conclusion` (called by the appraisal conclusion service): a 配置辅助器具确认 or
   工伤康复确认 concluded as agreed becomes a Referral (confirmed) with its catalogue item when the
   confirmation names one (by code, else by name);
2. the worker chooses an agreement supplier or rehabilitation institution in force (`referral_choose`);
3. that institution settles (`referral_settle`): the fund pays up to the catalogue cap, the excess is
   the worker's, and a device may be replaced from settled_on + its minimum service life;
4. a daily task reminds the worker 30 days before that date, once (`referral_remind_due`).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent
from gongshang.core.money import to_fen
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import TEMPLATES, register_template
from gongshang.core.workflow import transition

from ..choices import CatalogueKind, EventType, InstitutionKind, ReferralKind, ReferralStatus
from ..errors import MedicalErrorCode
from ..models import AgreementInstitution, CatalogueItem, Referral
from ..rules import referrals as rules

REMIND_DAYS_BEFORE = 30
REMINDED_EVENT = "medical.referral_replace_reminded"
# No medical content in an SMS (PIPL: 医疗健康信息 is sensitive): the worker reads what on the platform.
REMINDER_TEMPLATE = "sms_medical_replace_due"
if REMINDER_TEMPLATE not in TEMPLATES:
    register_template(REMINDER_TEMPLATE, "【工伤保险】您有一项工伤保险待遇将于{due_on}起可以再次办理，请登录平台查看。")

INSTITUTION_KIND = {ReferralKind.DEVICE: InstitutionKind.DEVICE, ReferralKind.REHABILITATION: InstitutionKind.REHABILITATION}
CATALOGUE_KIND = {ReferralKind.DEVICE: CatalogueKind.DEVICE, ReferralKind.REHABILITATION: CatalogueKind.REHABILITATION}
APPRAISAL_KINDS = {"device": ReferralKind.DEVICE, "rehabilitation": ReferralKind.REHABILITATION}


def _catalogue(kind: str, region: str, on: date):
    """Catalogue rows of `kind` valid on `on`, of the province's unified catalogue only (region
    empty): 辅助器具配置目录 and 康复项目 follow the province, not a 统筹区's own rows (济宁's
    工伤保险省内异地就医直接结算; docs/medical.md). `region` is kept for the callers' signature."""
    return (CatalogueItem.objects.filter(kind=CATALOGUE_KIND[kind], valid_from__lte=on, region="")
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from"))


def catalogue_item(kind: str, code: str, region: str, on: date) -> CatalogueItem | None:
    if not code:
        return None
    return _catalogue(kind, region, on).filter(code=code).first()


def match_item(kind: str, detail: str, region: str, on: date) -> CatalogueItem | None:
    """The catalogue item the confirmation names: a word that is an item's code, else the longest
    item name found in the text (e.g. "左小腿假肢一具" names 小腿假肢)."""
    detail = (detail or "").strip()
    if not detail:
        return None
    rows = _catalogue(kind, region, on)
    words = [w for w in detail.replace("，", " ").replace(",", " ").split() if w]
    by_code = rows.filter(code__in=words).first() if words else None
    if by_code is not None:
        return by_code
    named = [r for r in rows.only("pk", "name", "code", "region", "valid_from") if r.name and r.name in detail]
    return max(named, key=lambda r: len(r.name)) if named else None


def referral_from_conclusion(conclusion) -> Referral | None:
    """A concluded 配置辅助器具确认 / 工伤康复确认 agreed: its Referral (confirmed), once per
    application. Called from the appraisal conclusion service in its transaction; never raises for a
    conclusion of another kind or a refusal (nothing to do)."""
    application = conclusion.application
    kind = APPRAISAL_KINDS.get(application.kind)
    if kind is None or not conclusion.confirmed:
        return None
    existing = Referral.objects.filter(appraisal=application).first()
    if existing is not None:
        return existing
    case = conclusion.case
    detail = (conclusion.confirmation_detail or "").strip()
    item = match_item(kind, detail, case.region, conclusion.concluded_on)
    previous = None
    if item is not None:
        previous = (Referral.objects.filter(case=case, kind=kind, item_code=item.code, status=ReferralStatus.SETTLED)
                    .order_by("-settled_on", "-pk").first())
    row = Referral.objects.create(
        case=case, region=case.region, kind=kind, item_code=item.code if item else "",
        item_name=(item.name if item else detail)[:200] or ReferralKind(kind).label,
        confirmed_on=conclusion.concluded_on, appraisal=application, replaces=previous,
        created_by=conclusion.concluded_by)
    record_event(actor=conclusion.concluded_by, event_type=EventType.REFERRAL_SAVED, target=row, region=row.region,
                 details={"action": "confirmed", "kind": kind, "item_code": row.item_code,
                          "conclusion": conclusion.pk, "replaces": previous.pk if previous else None})
    return row


def _replacement_check(referral: Referral, today: date) -> None:
    previous = referral.replaces
    if previous is None:
        return
    problem = rules.replacement_error(previous.replace_due_on, today)
    if problem:
        raise DomainError(MedicalErrorCode.REPLACEMENT_TOO_EARLY, problem, status=422,
                          details={"replace_due_on": previous.replace_due_on.isoformat()})


def institutions_for(referral: Referral, on: date):
    """Agreement institutions of the referral's kind whose agreement is in force on `on`, of the
    case's 统筹区 first (the worker may choose any in the province)."""
    from gongshang.core.regions import province_of

    province = province_of(referral.region) or ""
    return (AgreementInstitution.objects.filter(kind=INSTITUTION_KIND[referral.kind], status="in_force",
                                                agreement_from__lte=on, agreement_to__gte=on,
                                                region__startswith=province[:2])
            .order_by("region", "code"))


@transaction.atomic
def referral_choose(*, actor, referral: Referral, institution_code: str) -> Referral:
    """The worker (or staff for them) chooses an agreement institution in force of the right kind."""
    today = timezone.localdate()
    institution = institutions_for(referral, today).filter(code=str(institution_code or "").strip()).first()
    if institution is None:
        kind_label = InstitutionKind(INSTITUTION_KIND[referral.kind]).label
        raise FieldErrors({"institution_code": f"请选择协议有效的{kind_label}（机构编码见可选机构列表）。"})
    _replacement_check(referral, today)
    row = transition(actor, referral, "choose", event_type=EventType.REFERRAL_SAVED,
                     changes={"institution": institution}, code=MedicalErrorCode.INVALID_TRANSITION,
                     details={"action": "chosen", "institution": institution.code})
    return row


@dataclass(frozen=True)
class Settled:
    referral: Referral
    share: rules.Share
    cap: Decimal | None


def _amount(value) -> Decimal:
    message = "金额请填写数字，单位元，最多两位小数，例如 \"12800.00\"。"
    try:
        raw = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        amount = to_fen(raw)
    except (TypeError, ValueError, InvalidOperation):
        raise FieldErrors({"amount": message}) from None
    if amount != raw:       # a third decimal is not rounded away silently: the bill is to the fen
        raise FieldErrors({"amount": message})
    if amount <= 0:
        raise FieldErrors({"amount": "金额应大于0元。"})
    if amount >= Decimal("1000000000"):
        raise FieldErrors({"amount": "金额过大，请核对。"})
    return amount


@transaction.atomic
def referral_settle(*, actor, referral: Referral, amount) -> Settled:
    """The chosen institution settles: the fund pays up to the catalogue's cap (the excess is the
    worker's), a device may be replaced from settled_on + its minimum service life."""
    require(actor, "medical_referral", "settle")
    amount = _amount(amount)
    today = timezone.localdate()
    institution = referral.institution
    if institution is None or not institution.agreement_in_force(today):
        raise DomainError(MedicalErrorCode.NO_AGREEMENT, status=422)
    _replacement_check(referral, today)
    item = catalogue_item(referral.kind, referral.item_code, referral.region, today)
    if item is None and referral.kind == ReferralKind.DEVICE:
        # no cap and no minimum service life to settle within (配置管理办法 第十八条、第二十条)
        raise DomainError(MedicalErrorCode.ITEM_NOT_IN_CATALOGUE,
                          f"“{referral.item_name}”不在当日有效的辅助器具配置目录内，不能按目录限额结算；"
                          "请联系参保地经办机构核对配置项目后再结算。", status=422,
                          details={"item_code": referral.item_code})
    cap = item.price_cap if item is not None else None
    share = rules.fund_share(amount, cap)
    due = rules.replace_due_on(today, item.service_life_months if item is not None else None)
    row = transition(actor, referral, "settle", event_type=EventType.REFERRAL_SAVED,
                     changes={"amount": amount, "fund_amount": share.fund, "settled_on": today, "replace_due_on": due},
                     code=MedicalErrorCode.INVALID_TRANSITION,
                     details={"action": "settled", "amount": str(amount), "fund_amount": str(share.fund),
                              "self_amount": str(share.worker), "cap": str(cap) if cap is not None else None,
                              "replace_due_on": due.isoformat() if due else None})
    return Settled(referral=row, share=share, cap=cap)


@transaction.atomic
def referral_cancel(*, actor, referral: Referral) -> Referral:
    return transition(actor, referral, "cancel", event_type=EventType.REFERRAL_SAVED,
                      code=MedicalErrorCode.INVALID_TRANSITION, details={"action": "cancelled"})


def referral_remind_due(*, today: date | None = None) -> int:
    """Daily: an SMS to each worker whose device may be replaced within 30 days, once per referral
    (the audit event marks it sent; a day the task did not run is caught up the next day)."""
    today = today or timezone.localdate()
    rows = (Referral.objects.filter(status=ReferralStatus.SETTLED, replace_due_on__isnull=False,
                                    replace_due_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
                                    replace_due_on__gte=today)
            .select_related("case__person"))
    done = set(AuditEvent.objects.filter(event_type=REMINDED_EVENT, target_type="medical.referral",
                                         target_id__in=[str(r.pk) for r in rows]).values_list("target_id", flat=True))
    sent = 0
    for referral in rows:
        if str(referral.pk) in done:
            continue
        person = referral.case.person
        mobile = (getattr(person, "mobile", "") or referral.case.injured_mobile or "").strip()
        with transaction.atomic():
            if mobile:
                due = referral.replace_due_on
                enqueue_message(channel="sms", recipient=mobile, template=REMINDER_TEMPLATE, region=referral.region,
                                params={"due_on": f"{due.year}年{due.month}月{due.day}日"})
            record_event(actor=None, event_type=REMINDED_EVENT, target=referral, region=referral.region,
                         actor_label="系统（更换提醒）", details={"replace_due_on": referral.replace_due_on.isoformat(),
                                                               "sms": bool(mobile)})
        sent += 1
    return sent
