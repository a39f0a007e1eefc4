"""The case timeline for its readers: one Chinese sentence per event, the time as "YYYY-MM-DD HH:MM".

`shown_at` is the one time format of every timeline (cases, quick reports, recognition). Applicants
(workers, employers) see "经办机构" for staff and never the values of a correction (staff see the
old and new values, masked where they identify a person)."""

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from gongshang.accounts.choices import Audience
from gongshang.core.pii.masking import mask_id_number, mask_mobile

from . import selectors
from .choices import CaseEventType, CaseSource, CaseStatus

AGENCY_LABEL = "经办机构"
INJURED_LABELS = {"injured_name": "姓名", "injured_id_number": "身份证号", "injured_mobile": "手机号",
                  "body_part": "受伤部位", "injury_type": "伤害类型", "person_id": "参保人员", "employer_id": "用人单位"}
ACCIDENT_LABELS = {"occurred_at": "事故时间", "address": "事故地点", "latitude": "纬度", "longitude": "经度",
                   "location_accuracy_m": "定位精度", "description": "事故经过"}
MASKS = {"injured_id_number": mask_id_number, "injured_mobile": mask_mobile}
SHOWN_VALUES = ("injured_name", "injured_id_number", "injured_mobile", "body_part", "injury_type",
                "occurred_at", "address", "description")


def shown_at(value) -> str:
    """An aware datetime (or its ISO text) as local "YYYY-MM-DD HH:MM"; anything else as text."""
    parsed = parse_datetime(value) if isinstance(value, str) else value
    if hasattr(parsed, "hour"):
        return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(parsed) \
            else parsed.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def actor_shown(event, *, for_staff: bool) -> str:
    """Who did it: applicants see "经办机构" for any staff member, never a name."""
    staff = getattr(event.actor, "kind", None) == Audience.STAFF
    if staff and not for_staff:
        return AGENCY_LABEL
    return event.actor_label or (str(event.actor) if event.actor_id else "系统")


def label_of(choices, code) -> str:
    return str(dict(choices.choices).get(code, "")) if code else ""


def _value(field: str, value) -> str:
    if value in (None, ""):
        return "（空）"
    if field == "occurred_at":
        return shown_at(value)
    text = str(value)
    return MASKS[field](text) if field in MASKS else text


def _changes(details: dict, labels: dict, *, for_staff: bool) -> str:
    changes = details.get("changes") or {}
    fields = [f for f in labels if f in changes]
    if not for_staff:
        return "、".join(labels[f] for f in fields)
    parts = []
    for f in fields:
        old, new = (list(changes[f]) + [None, None])[:2]
        parts.append(f"{labels[f]}：{_value(f, old)} → {_value(f, new)}" if f in SHOWN_VALUES else labels[f])
    return "；".join(parts)


def case_event_sentence(event, *, for_staff: bool) -> str:
    d, kind = event.details or {}, event.event_type
    if kind == CaseEventType.CREATED:
        source = label_of(CaseSource, d.get("source"))
        return f"建立工伤案件（来源：{source}）" if source else "建立工伤案件"
    if kind == CaseEventType.STATUS_CHANGED:
        text = f"案件状态由“{label_of(CaseStatus, d.get('from')) or '—'}”变为“{label_of(CaseStatus, d.get('to')) or '—'}”"
        return f"{text}，原因：{d['reason']}" if d.get("reason") else text
    if kind == CaseEventType.GREEN_CHANNEL:
        days = d.get("decision_workdays")
        return f"开通绿色通道：受理后 {days} 个工作日内作出认定决定" if days else "开通绿色通道"
    if kind in (CaseEventType.INJURED_CORRECTED, CaseEventType.ACCIDENT_CORRECTED):
        labels = INJURED_LABELS if kind == CaseEventType.INJURED_CORRECTED else ACCIDENT_LABELS
        what = "受伤人员信息" if kind == CaseEventType.INJURED_CORRECTED else "事故信息"
        changed = _changes(d, labels, for_staff=for_staff)
        return f"更正{what}：{changed}" if changed else f"更正{what}"
    if kind == CaseEventType.DOCUMENT_ADDED:
        return "材料存入案件材料库"
    if kind == CaseEventType.DOCUMENT_RETIRED:
        return f"移除材料，原因：{d['reason']}" if d.get("reason") else "移除材料"
    if kind == CaseEventType.NOTE and d.get("text"):
        return f"补充说明：{d['text']}"
    return event.get_event_type_display()


def event_item(event, *, for_staff: bool) -> dict:
    return {"at": shown_at(event.created_at), "label": event.get_event_type_display(),
            "text": case_event_sentence(event, for_staff=for_staff), "by": actor_shown(event, for_staff=for_staff)}


def case_timeline(case, *, for_staff: bool) -> list[dict]:
    """The case's own events, oldest first, each as {at, label, text, by}."""
    return [event_item(e, for_staff=for_staff) for e in selectors.case_timeline(case=case)]
