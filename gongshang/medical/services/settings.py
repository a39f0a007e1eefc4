"""工伤医疗地区参数: a new version from a date closes the open one the day before (never edited in place)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q

from gongshang.accounts.access import require
from gongshang.core.audit import record_event
from gongshang.core.errors import FieldErrors

from ..models import MedicalSetting

FIELDS = ("valid_from", "readmission_days", "idle_stay_hours", "remote_valid_months", "remote_lock_months",
          "review_working_days", "rectify_days", "source")
BOUNDS = {"readmission_days": (1, 90, "分解住院判定天数"), "idle_stay_hours": (1, 240, "挂床判定时长（小时）"),
          "remote_valid_months": (1, 60, "异地就医备案有效期（月）"),
          "remote_lock_months": (0, 6, "异地就医备案变更或取消的最短期限（月）"),
          "review_working_days": (1, 90, "费用审核时限（工作日）"), "rectify_days": (1, 365, "整改期限（日）")}


def setting_add(*, actor, data: dict) -> MedicalSetting:
    """A new version of the actor's 统筹区 parameters from `valid_from`."""
    require(actor, "medical_setting", "edit")
    region = actor.jurisdiction
    values = {name: data[name] for name in FIELDS if name in data}
    errors = {}
    start = values.get("valid_from")
    if start is None:
        errors["valid_from"] = "请填写生效日期"
    for name, (low, high, label) in BOUNDS.items():
        value = values.get(name)
        if value is None or not low <= int(value) <= high:
            errors[name] = f"{label}应为 {low}～{high} 的整数"
    # 异地就医: the national pilot allows at most 6 months before a change (工伤保险跨省异地就医直接结算试点).
    if not (values.get("source") or "").strip():
        errors["source"] = "请填写依据（文件名称和文号，或“演示值”）"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        rows = MedicalSetting.objects.select_for_update().filter(region=region)
        if rows.filter(valid_from__gte=start).exists():
            raise FieldErrors({"valid_from": "已有同日或更晚生效的参数版本；新版本的生效日期须晚于现有各版本"})
        current = rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start)).order_by("-valid_from").first()
        if current is not None:
            current.valid_to = start - timedelta(days=1)
            current.save(update_fields=["valid_to"])
        setting = MedicalSetting.objects.create(region=region, **values)
        record_event(actor=actor, event_type="medical.setting_added", target=setting, region=region,
                     details={name: str(values[name]) for name in FIELDS})
    return setting
