"""服务地区参数: a new version from a date closes the open one the day before (never edited in place)."""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.accounts.rules.access import HOT, PRV
from gongshang.core.audit import record_event
from gongshang.core.errors import FieldErrors

from ..models import ServiceSetting
from ..selectors.settings import setting_for

DAY_FIELDS = {
    "consultation_days": "政策咨询答复时限（工作日）",
    "complaint_days": "投诉办结时限（工作日）",
    "suggestion_days": "意见建议答复时限（工作日）",
    "accident_filing_days": "事故备案转办时限（工作日）",
    "help_days": "求助答复时限（工作日）",
    "rating_follow_up_days": "差评整改时限（工作日）",
}
MAX_DAYS = 60
FIELDS = ("valid_from", *DAY_FIELDS, "prevention_cap_percent", "source")


def _clean(data: dict) -> dict:
    errors, values = {}, {}
    start = data.get("valid_from")
    if start is None:
        errors["valid_from"] = "请填写生效日期"
    elif start < timezone.localdate():
        # A version never starts in the past: the figures already applied to tickets and plans stand.
        errors["valid_from"] = "生效日期不能早于今天；已经执行的参数不能追溯修改"
    values["valid_from"] = start
    for name, label in DAY_FIELDS.items():
        value = data.get(name)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool) or not 1 <= number <= MAX_DAYS:
            errors[name] = f"{label}应为 1～{MAX_DAYS} 的整数"
        values[name] = number
    try:
        cap = Decimal(str(data.get("prevention_cap_percent"))).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        cap = None
    # 工伤预防费使用管理暂行办法 第五条: 3% unless the province, with approval, sets a higher share.
    if cap is None or not Decimal("0") < cap <= Decimal("10"):
        errors["prevention_cap_percent"] = "工伤预防费上限应为大于 0、不超过 10 的百分比（如 3.00）"
    values["prevention_cap_percent"] = cap
    source = (data.get("source") or "").strip()
    if not source:
        errors["source"] = "请填写依据（文件名称和文号，或“演示值”）"
    elif len(source) > 200:
        errors["source"] = "依据最多 200 字"
    values["source"] = source
    if errors:
        raise FieldErrors(errors)
    return values


# Who answers for which figures: the 热线坐席 for the time limits of tickets and follow-ups, the
# 工伤预防专管员 for the prevention cap (one form, two owners: each changes only its own figures).
OWNERS = {**{name: (HOT, "热线坐席") for name in DAY_FIELDS}, "prevention_cap_percent": (PRV, "工伤预防专管员")}


def _check_owners(actor, values: dict, before: ServiceSetting) -> None:
    """Each changed figure needs the role that answers for it (422 on that field, nothing saved)."""
    roles = set(getattr(actor, "role_codes", ()))
    errors = {}
    for name, (role, label) in OWNERS.items():
        if values[name] != getattr(before, name) and role not in roles:
            errors[name] = f"该项由{label}调整；您的角色不能修改，请保持原值（{getattr(before, name)}）"
    if errors:
        raise FieldErrors(errors)


def service_setting_add(*, actor, data: dict) -> ServiceSetting:
    """A new version of the actor's 统筹区 服务参数 from `valid_from`; the open one ends the day before."""
    require(actor, "service_setting", "edit")
    region = actor.jurisdiction
    values = _clean(data)
    start = values["valid_from"]
    _check_owners(actor, values, setting_for(region, start))
    with transaction.atomic():
        rows = ServiceSetting.objects.select_for_update().filter(region=region)
        if rows.filter(valid_from__gte=start).exists():
            raise FieldErrors({"valid_from": "已有同日或更晚生效的参数版本；新版本的生效日期须晚于现有各版本"})
        current = rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start)).order_by("-valid_from").first()
        if current is not None:
            current.valid_to = start - timedelta(days=1)
            current.save(update_fields=["valid_to"])
        # What the form does not edit (the prevention payment bands) carries over from the latest version.
        latest = rows.order_by("-valid_from").first()
        kept = {"prevention_payment_bands": latest.prevention_payment_bands} if latest is not None else {}
        setting = ServiceSetting.objects.create(region=region, **kept, **values)
        # Tickets of the region registered from `valid_from` on (today's, when it starts today) now
        # have this version's periods: their stored due times follow at once, not at the nightly run.
        from .tickets import ticket_due_dates_refresh

        ticket_due_dates_refresh(region=region, since=start)
        record_event(actor=actor, event_type="service.setting_added", target=setting, region=region,
                     details={name: str(values[name]) for name in FIELDS})
    return setting
