"""Reads of 待遇领取资格认证: the staff queue with its filters, one's own certification on the phone,
the reference photo staff compare the live photo with, the beneficiary's mobile for reminders, and
the read model the pages and the API show (personal data masked)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from gongshang.accounts.access import get_for, restrict
from gongshang.core.pii.crypto import blind_index
from gongshang.core.pii.masking import mask_id_number, mask_mobile, mask_name
from gongshang.registry.models import InsuredPerson

from ..choices import CertificationStatus as S
from ..choices import DeathStatus
from ..models import Certification, DeathRecord

OPEN = (S.DUE, S.SUBMITTED, S.REJECTED, S.LAPSED)
CERTIFIABLE = (S.DUE, S.REJECTED, S.LAPSED)
NO_MOBILE = "无手机号，请电话或上门通知"

# The review queue: what waits for staff first, then what has stopped payments, then what is due.
QUEUE_ORDER = Case(When(status=S.SUBMITTED, then=Value(0)), When(status=S.LAPSED, then=Value(1)),
                   When(status=S.REJECTED, then=Value(2)), When(status=S.DUE, then=Value(3)),
                   default=Value(4), output_field=IntegerField())

VIEWS = {
    "": "待办（待审核、已暂停、待认证）",
    "submitted": "待审核",
    "lapsed": "逾期已暂停待遇",
    "due": "待认证",
    "no_mobile": "无手机号需通知",
    "all": "全部",
}


def certification_list(*, actor, filters: dict | None = None) -> QuerySet[Certification]:
    """The certifications `actor` may see, in queue order. Filters: `view` (VIEWS), `status`, `year`,
    `id_number` (exact, by blind index), `name` (part of it), `due_before` (a date)."""
    filters = filters or {}
    qs = restrict(actor, Certification, "view").select_related("person", "institution")
    view = filters.get("view") or ""
    if view in ("submitted", "lapsed", "due"):
        qs = qs.filter(status=view)
    elif view == "no_mobile":
        # a reminder that could not be sent (JSON icontains runs on SQLite and PostgreSQL alike)
        qs = qs.filter(status__in=CERTIFIABLE, reminders__icontains="no_mobile")
    elif view != "all":
        qs = qs.filter(status__in=OPEN)
    if filters.get("status") in S.values:
        qs = qs.filter(status=filters["status"])
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    id_number = (filters.get("id_number") or "").strip()
    if id_number:
        qs = qs.filter(beneficiary_id_index=blind_index(id_number))
    name = (filters.get("name") or "").strip()
    if name:
        qs = qs.filter(beneficiary_name__contains=name[:50])
    if filters.get("due_before"):
        qs = qs.filter(due_on__lte=filters["due_before"])
    return qs.annotate(queue=QUEUE_ORDER).order_by("queue", "due_on", "pk")


def certification_get(*, actor, certification_id, action: str = "view") -> Certification:
    return get_for(actor, Certification.objects.select_related("person", "institution", "photo"),
                   certification_id, action)


def my_certifications(*, actor) -> list[Certification]:
    """The signed-in beneficiary's certifications: the open ones first (the one to act on), then
    the latest confirmed."""
    qs = restrict(actor, Certification, "view").annotate(queue=QUEUE_ORDER)
    return list(qs.order_by(Case(When(status__in=CERTIFIABLE, then=Value(0)), default=Value(1)), "-year", "pk"))


def death_recorded(index: str | None) -> bool:
    """A death reported by 民政 or 公安 for this ID number and not refuted (DeathRecord, any region)."""
    if not index:
        return False
    return DeathRecord.objects.filter(id_number_index=index).exclude(status=DeathStatus.REFUTED).exists()


def beneficiary_person(certification: Certification) -> InsuredPerson | None:
    if certification.person_id:
        return certification.person
    return InsuredPerson.objects.filter(id_number_index=certification.beneficiary_id_index).first()


def beneficiary_mobile(certification: Certification) -> str:
    """The beneficiary's mobile: the registry's (the worker, or a dependant who is insured too); ""
    when nobody registered one (many dependants)."""
    person = beneficiary_person(certification)
    return (person.mobile or "") if person is not None else ""


# --- the reference photo ---------------------------------------------------------------------------

def reference_photo(certification: Certification):
    """(StoredFile | None, where it comes from). The registry keeps no portrait, so the reference is
    the last photo of this beneficiary that staff accepted: an earlier year's confirmed self-service
    certification, or the live photo of a 劳动能力鉴定 check-in whose identity staff verified."""
    earlier = (Certification.objects.filter(beneficiary_id_index=certification.beneficiary_id_index,
                                            status=S.CONFIRMED, photo__isnull=False)
               .exclude(pk=certification.pk).select_related("photo").order_by("-year", "-pk").first())
    if earlier is not None:
        return earlier.photo, f"{earlier.year} 年度资格认证通过时的现场照片"
    exam = _verified_exam(certification)
    if exam is not None:
        return exam.live_photo.file, f"劳动能力鉴定现场核验身份时的照片（{timezone.localtime(exam.checked_in_at):%Y-%m-%d}）"
    return None, ""


def _verified_exam(certification: Certification):
    from gongshang.appraisal.models import ExamRecord

    index = certification.beneficiary_id_index
    person = Q(application__case__person_id=certification.person_id) if certification.person_id else Q(pk__in=[])
    return (ExamRecord.objects.filter(person | Q(application__case__injured_id_number_index=index),
                                      identity_verified=True, live_photo__isnull=False)
            .select_related("live_photo__file").order_by("-checked_in_at", "-pk").first())


# --- the read model (masked) -----------------------------------------------------------------------

def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def last_reminder(certification: Certification) -> dict | None:
    return certification.reminders[-1] if certification.reminders else None


def reminder_text(entry: dict | None) -> str:
    if not entry:
        return ""
    if entry.get("result") == "no_mobile":
        return f"{entry.get('on', '')} 应提醒（到期前 {entry.get('days')} 天）：{NO_MOBILE}"
    return f"{entry.get('on', '')} 已短信提醒 {entry.get('to', '')}（到期前 {entry.get('days')} 天）"


def evidence_text(evidence: dict | None) -> str:
    if not evidence:
        return ""
    return f"{evidence.get('label', '')}（{evidence.get('date', '')}）"


def certification_row(c: Certification, today=None) -> dict:
    """What a list line shows: the name and ID number masked, the state, the dates, the reminders."""
    today = today or timezone.localdate()
    reminder = last_reminder(c)
    return {
        "id": c.pk, "region": c.region, "year": c.year,
        "beneficiary_name": mask_name(c.beneficiary_name),
        "beneficiary_id_number": mask_id_number(c.beneficiary_id_number),
        "due_on": c.due_on.isoformat(), "days_left": (c.due_on - today).days if c.status in CERTIFIABLE else None,
        "status": c.status, "status_label": c.get_status_display(),
        "method": c.method or None, "method_label": c.get_method_display() or None,
        "evidence": evidence_text(c.evidence) or None,
        "reminder": reminder_text(reminder) or None,
        "no_mobile": bool(reminder and reminder.get("result") == "no_mobile"),
        "has_photo": bool(c.photo_id),
        "submitted_at": _iso(c.submitted_at), "confirmed_at": _iso(c.confirmed_at), "lapsed_at": _iso(c.lapsed_at),
        "institution": c.institution.name if c.institution_id else None,
        "note": c.note or None,
        "suspended_entitlements": len(c.suspended_entitlements or []),
    }


def certification_detail(c: Certification, actions, today=None, *, full: bool = True) -> dict:
    """A line, and what the detail page adds: every reminder, the entitlements a lapse suspended.
    `full=False` (a designated institution, which confirmed a person present): no benefit amounts,
    no mobile, no reminders — what the fund pays whom is not its business."""
    from gongshang.benefits.models import Entitlement

    row = certification_row(c, today)
    if not full:
        return {**row, "reminders": [], "entitlements": [], "mobile": None, "actions": sorted(actions)}
    ids = list(c.suspended_entitlements or [])
    entitlements = [{"id": e.pk, "benefit_type_label": e.get_benefit_type_display(), "status": e.status,
                     "status_label": e.get_status_display(), "amount": str(e.amount)}
                    for e in Entitlement.objects.filter(pk__in=ids).order_by("pk")] if ids else []
    return {**row, "reminders": [reminder_text(r) for r in c.reminders or []],
            "entitlements": entitlements, "mobile": mask_mobile(beneficiary_mobile(c)) or None,
            "actions": sorted(actions)}


def my_message(c: Certification | None) -> str:
    """What the beneficiary's phone page says about their certification, and what to do."""
    if c is None:
        return "您目前没有需要办理的待遇领取资格认证。认证开始前会短信通知您。"
    due = f"{c.due_on.year}年{c.due_on.month}月{c.due_on.day}日"
    return {
        S.DUE: f"请于{due}前完成{c.year}年度认证：用手机前置摄像头拍摄本人正面照片提交。也可以到定点医疗机构或经办窗口办理。",
        S.SUBMITTED: "照片已提交，经办人员核对后会短信通知您结果，请耐心等待。",
        S.CONFIRMED: f"{c.year}年度已认证（{c.get_method_display()}），待遇正常发放，无需再办理。",
        S.REJECTED: f"认证未通过：{c.note or '照片无法确认是本人'}。请重新拍照认证，或到定点医疗机构、经办窗口办理。",
        S.LAPSED: "您未在截止日期前认证，待遇已暂停发放。请尽快拍照认证；认证通过后恢复发放，并补发暂停期间的待遇。",
    }[c.status]
