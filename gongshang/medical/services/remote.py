"""异地就医备案: register, change, cancel (every write here; the dates are rules/remote.py).

A registration belongs to a recognised case (a decided 认定工伤/视同工伤); the worker files it on the
phone, or a 稽核员 of the case's 统筹区 at the window. `region` is the case's own 统筹区 (the fund that
pays), `treatment_region` the place of treatment. 待遇 follow the place of treatment: the settle
service reads `treatment_region` to pick that region's catalogue caps (see docs/medical.md).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import in_scope, require
from gongshang.cases.models import InjuryCase
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors, NotFound
from gongshang.core.regions import full_name, get_region, pooling_region_of
from gongshang.core.workflow import transition

from ..choices import EventType, RemoteReason, RemoteStatus
from ..errors import MedicalErrorCode
from ..models import RemoteRegistration
from ..rules import remote as rules
from ..selectors.institutions import setting_for

DECIDED = ("decided", "delivered")
RECOGNISED = ("recognized", "deemed")


def is_recognised(case) -> bool:
    """The case has a decided recognition as 工伤 or 视同工伤 (条例 第十四、十五条); the latest
    decision counts."""
    from gongshang.recognition.models import RecognitionApplication

    latest = (RecognitionApplication.objects.filter(case=case, status__in=DECIDED).exclude(decision_result="")
              .order_by("-decided_on", "-pk").values_list("decision_result", flat=True).first())
    return latest in RECOGNISED


def current_registration(case, on: date) -> RemoteRegistration | None:
    """The registration that blocks a new one: ACTIVE and not yet expired (it may start later)."""
    return (RemoteRegistration.objects.filter(case=case, status=RemoteStatus.ACTIVE, valid_until__gte=on)
            .order_by("-start_date", "-pk").first())


def lock_ends_on(registration: RemoteRegistration) -> date:
    setting = setting_for(registration.region, registration.start_date)
    return rules.lock_ends_on(registration.start_date, setting.remote_lock_months)


def region_choices(exclude: str = "") -> list[tuple[str, str]]:
    """统筹区 of the province of `exclude` first, then none other: 省内异地就医 (the registration's
    destination list on the phone)."""
    from gongshang.core.regions import children, province_of

    province = province_of(exclude) if exclude else None
    found = []
    if province:
        for city in children(province):
            code = pooling_region_of(city.code) if not city.is_placeholder else None
            if code and code == city.code and code != exclude:
                found.append((code, full_name(code)))
    return found


def _clean(case, data: dict, today: date) -> dict:
    errors = {}
    reason = str(data.get("reason") or "")
    if reason not in RemoteReason.values:
        errors["reason"] = "备案类型只能是：" + "、".join(f"{v}（{label}）" for v, label in RemoteReason.choices)
    region = str(data.get("region") or "").strip()
    if get_region(region) is None or pooling_region_of(region) != region:
        errors["region"] = "就医地请填写统筹区（地级市）的6位行政区划代码，例如济南市 370100。"
    elif region == case.region:
        errors["region"] = f"就医地与参保地（{full_name(case.region)}）相同，不需要办理异地就医备案。"
    start = data.get("start_date")
    if not isinstance(start, date):
        errors["start_date"] = "请填写开始日期（YYYY-MM-DD）。"
    else:
        problem = rules.start_date_error(start, today)
        if problem:
            errors["start_date"] = problem
    if errors:
        raise FieldErrors(errors)
    return {"reason": reason, "treatment_region": region, "start_date": start}


def _case_for(actor, case_number: str) -> InjuryCase:
    """The caller's case by number: the worker's own, or one of the 稽核员's 统筹区 (404 otherwise)."""
    case = in_scope(actor, InjuryCase.objects.select_related("person")).filter(number=str(case_number or "")).first()
    if case is None:
        raise FieldErrors({"case_number": "没有找到该案件编号，或该案件不属于您，请核对案件编号。"})
    return case


def _new(actor, case, clean: dict, today: date, *, replaces=None) -> RemoteRegistration:
    setting = setting_for(case.region, clean["start_date"])
    return RemoteRegistration.objects.create(
        case=case, region=case.region, treatment_region=clean["treatment_region"], reason=clean["reason"],
        start_date=clean["start_date"], valid_until=rules.valid_until(clean["start_date"], setting.remote_valid_months),
        replaces=replaces, created_by=actor)


@transaction.atomic
def remote_registration_create(*, actor, case_number: str = "", case=None, data: dict) -> RemoteRegistration:
    """备案: one active registration per case (422 remote_registration_exists), a recognised case."""
    require(actor, "remote_registration", "create")
    if case is None:
        case = _case_for(actor, case_number)
    elif not in_scope(actor, InjuryCase).filter(pk=case.pk).exists():
        raise NotFound("没有找到该案件，或该案件不属于您。")
    InjuryCase.objects.select_for_update().filter(pk=case.pk).first()  # one registration at a time per case
    if not is_recognised(case):
        raise DomainError(MedicalErrorCode.NOT_ELIGIBLE, "该案件尚未认定为工伤（或视同工伤），不能办理异地就医备案。",
                          status=422, details={"field": "case_number"})
    today = timezone.localdate()
    clean = _clean(case, data, today)
    existing = current_registration(case, today)
    if existing is not None:
        raise DomainError(MedicalErrorCode.REMOTE_ACTIVE, status=422,
                          details={"id": existing.pk, "valid_until": existing.valid_until.isoformat()})
    row = _new(actor, case, clean, today)
    record_event(actor=actor, event_type=EventType.REMOTE_REGISTERED, target=row, region=row.region,
                 details={"case": case.number, "treatment_region": row.treatment_region, "reason": row.reason,
                          "start_date": row.start_date.isoformat(), "valid_until": row.valid_until.isoformat()})
    return row


def _check_lock(registration: RemoteRegistration, today: date) -> None:
    ends = lock_ends_on(registration)
    if today < ends:
        raise DomainError(MedicalErrorCode.REMOTE_LOCKED,
                          f"异地就医备案满{setting_for(registration.region, registration.start_date).remote_lock_months}"
                          f"个月后才能变更或取消，{ends.year}年{ends.month}月{ends.day}日起可以办理。",
                          status=422, details={"possible_from": ends.isoformat()})


def _check_active(registration: RemoteRegistration, today: date) -> None:
    if registration.status != RemoteStatus.ACTIVE or registration.valid_until < today:
        raise DomainError(MedicalErrorCode.INVALID_TRANSITION,
                          "该备案已变更、取消或已过有效期，不能再变更或取消；如需异地就医请重新备案。", status=409)


@transaction.atomic
def remote_registration_change(*, actor, registration: RemoteRegistration, data: dict) -> RemoteRegistration:
    """变更: a new registration replaces the old one (old → changed), only after the lock."""
    today = timezone.localdate()
    _check_active(registration, today)
    _check_lock(registration, today)
    clean = _clean(registration.case, data, today)
    old = transition(actor, registration, "change", event_type=EventType.REMOTE_CHANGED,
                     changes={"ended_at": timezone.now()}, code=MedicalErrorCode.INVALID_TRANSITION,
                     details={"treatment_region": clean["treatment_region"]})
    row = _new(actor, registration.case, clean, today, replaces=old)
    record_event(actor=actor, event_type=EventType.REMOTE_REGISTERED, target=row, region=row.region,
                 details={"replaces": old.pk, "treatment_region": row.treatment_region,
                          "start_date": row.start_date.isoformat(), "valid_until": row.valid_until.isoformat()})
    return row


@transaction.atomic
def remote_registration_cancel(*, actor, registration: RemoteRegistration, note: str = "") -> RemoteRegistration:
    """取消: only after the lock."""
    today = timezone.localdate()
    _check_active(registration, today)
    _check_lock(registration, today)
    return transition(actor, registration, "cancel", event_type=EventType.REMOTE_CANCELLED,
                      changes={"ended_at": timezone.now(), "note": (note or "")[:300]},
                      code=MedicalErrorCode.INVALID_TRANSITION)
