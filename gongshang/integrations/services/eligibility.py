"""待遇领取资格认证 by people: the beneficiary certifies on the phone with a live photo, a 待遇审核员
compares it with the reference photo and confirms or rejects, a 待遇审核员 confirms at the window, a
designated institution confirms a beneficiary present in person (ID number and name). Whatever the
method, confirming a lapsed certification resumes exactly the entitlements its lapse suspended; the
next payroll run pays the months missed (benefits/services/payroll_sql.insert_arrears).

The cycle (data comparison, reminders, lapses) is services/eligibility_cycle.py."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from gongshang.accounts.access import require
from gongshang.accounts.choices import Audience
from gongshang.benefits.choices import EntitlementStatus, EventType
from gongshang.benefits.models import Entitlement
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.files.storage import IMAGE_TYPES, store_upload
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import register_template
from gongshang.core.pii.crypto import blind_index
from gongshang.core.ratelimit import hit
from gongshang.core.validators import is_valid_id_number
from gongshang.core.workflow import transition

from ..choices import CertificationMethod as M
from ..choices import CertificationStatus as S
from ..choices import ExchangeEventType as EV
from ..errors import ExchangeErrorCode as E
from ..models import Certification
from ..rules.eligibility import LAPSE_NOTE, names_match
from ..selectors import eligibility as selectors

KIND = "benefit_certification"
ACTOR_LABEL = "系统（资格认证）"
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MIN_SIDE = 240          # pixels: a face staff can compare, not a thumbnail or an icon
LOOKUPS_PER_HOUR = 60         # an institution confirming in person, not trying ID numbers

REJECTED_TEMPLATE = "sms_certification_rejected"
register_template(REJECTED_TEMPLATE, "【工伤保险】您提交的待遇领取资格认证未通过：{reason}。请登录工伤保险服务平台重新拍照认证，"
                                     "或到定点医疗机构、经办窗口办理。")


def _sms(certification: Certification, template: str, params: dict) -> str:
    """Queue an SMS to the beneficiary's registered mobile; "" when there is none."""
    mobile = selectors.beneficiary_mobile(certification)
    if mobile:
        enqueue_message(channel="sms", recipient=mobile, template=template, params=params,
                        region=certification.region)
    return mobile


def _refuse_if_dead(certification: Certification) -> None:
    if selectors.death_recorded(certification.beneficiary_id_index):
        raise DomainError(E.CERTIFICATION_DECEASED, status=409)


# --- the phone: a live photo ---------------------------------------------------------------------

def _check_photo(photo) -> None:
    """Refuse a missing photo, and an image too small to show a face (read from its header only;
    store_upload then checks the type and decodes the whole file)."""
    if photo is None:
        raise FieldErrors({"photo": "请用手机前置摄像头拍摄本人正面照片（JPG 或 PNG）后提交"})
    try:
        with Image.open(photo) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return  # not an image, or a decompression bomb's size: store_upload refuses it by name
    finally:
        photo.seek(0)
    if min(width, height) < PHOTO_MIN_SIDE:
        raise DomainError(E.CERTIFICATION_PHOTO_SMALL, status=422,
                          details=[{"field": "photo", "message": E.CERTIFICATION_PHOTO_SMALL.label}])


def certification_certify(*, actor, photo) -> Certification:
    """The beneficiary's own open certification (待认证, 未通过 or 逾期) → 已提交 with the live photo."""
    require(actor, KIND, "certify")
    certification = next((c for c in selectors.my_certifications(actor=actor) if c.status in selectors.CERTIFIABLE),
                         None)
    if certification is None:
        raise DomainError(E.CERTIFICATION_NONE, status=409)
    _refuse_if_dead(certification)
    _check_photo(photo)
    stored = store_upload(photo, allowed_types=set(IMAGE_TYPES), max_bytes=PHOTO_MAX_BYTES, prefix="certifications",
                          actor=actor, field="photo", label="现场照片")
    return transition(actor, certification, "certify", event_type=EV.CERTIFICATION_SUBMITTED,
                      code=E.INVALID_TRANSITION,
                      changes={"photo": stored, "submitted_at": timezone.now(), "method": M.SELF_SERVICE, "note": ""},
                      details={"photo_sha256": stored.sha256})


# --- staff: review, window -----------------------------------------------------------------------

def certification_review(*, actor, certification: Certification, decision: str, reason: str = "") -> Certification:
    """The reviewer compares the live photo with the reference photo: confirm, or reject with the
    reason the beneficiary is told by SMS (they certify again)."""
    reason = (reason or "").strip()
    if decision not in ("confirm", "reject"):
        raise FieldErrors({"decision": "审核结论（decision）请选择：confirm 认证通过，reject 不通过"})
    if decision == "reject" and not reason:
        raise FieldErrors({"reason": "请填写不通过的原因（如照片不是本人、面部不清晰），将短信告知受领人"})
    if len(reason) > 300:
        raise FieldErrors({"reason": "原因最多 300 字，请精简"})
    if decision == "confirm":
        _refuse_if_dead(certification)
    target = S.CONFIRMED if decision == "confirm" else S.REJECTED
    changes = {"status": target, "reviewed_by": actor, "note": reason}
    if decision == "confirm":
        changes["confirmed_at"] = timezone.now()
    with transaction.atomic():
        # The table's `review` keeps the status; the decision sets it (rules/workflow.py).
        locked = transition(actor, certification, "review", code=E.INVALID_TRANSITION, changes=changes,
                            event_type=EV.CERTIFICATION_CONFIRMED if decision == "confirm" else EV.CERTIFICATION_REJECTED,
                            details={"decision": decision, "to": target, "reason": reason, "method": certification.method or M.SELF_SERVICE})
        if decision == "confirm":
            resume_lapsed(locked, by=actor)
        else:
            _sms(locked, REJECTED_TEMPLATE, {"reason": reason})
    return locked


def certification_confirm(*, actor, certification: Certification, note: str = "") -> Certification:
    """Confirmed in person: at the window (a 待遇审核员 who has seen the beneficiary and their ID), or by
    the designated institution that confirmed it (its own rows only: Certification.access)."""
    note = (note or "").strip()[:300]
    _refuse_if_dead(certification)
    changes = {"confirmed_at": timezone.now(), "note": note}
    if actor.kind == Audience.INSTITUTION:
        changes.update(method=M.INSTITUTION, institution=_institution_of(actor))
    else:
        changes.update(method=M.WINDOW, reviewed_by=actor)
    with transaction.atomic():
        locked = transition(actor, certification, "confirm", event_type=EV.CERTIFICATION_CONFIRMED,
                            code=E.INVALID_TRANSITION, changes=changes,
                            details={"method": changes["method"], "note": note})
        resume_lapsed(locked, by=actor)
    return locked


# --- in person by ID number and name (a designated institution, or the window) ---------------------

def _institution_of(actor):
    """The institution the account acts for, its agreement in force today (403 otherwise)."""
    from gongshang.medical.models import AgreementInstitution

    today = timezone.localdate()
    for institution in AgreementInstitution.objects.filter(api_clients=actor).order_by("pk"):
        if institution.agreement_in_force(today):
            return institution
    raise Forbidden(E.CERTIFICATION_INSTITUTION.label)


def _clean_in_person(id_number: str, name: str) -> tuple[str, str]:
    id_number, name = (id_number or "").strip().upper(), (name or "").strip()
    errors = {}
    if not is_valid_id_number(id_number):
        errors["id_number"] = "身份证号（id_number）不正确，请核对受领人身份证上的 18 位号码"
    if not name or len(name) > 50:
        errors["name"] = "请填写受领人姓名（name），与身份证一致，最多 50 字"
    if errors:
        raise FieldErrors(errors)
    return id_number, name


def certification_confirm_in_person(*, actor, id_number: str, name: str, note: str = "") -> Certification:
    """A beneficiary present in person, found by ID number (blind index) in the actor's 统筹区 (an
    institution: its own institution's) and checked by name. Wrong number and wrong name answer
    alike (404), so the form cannot be used to find out who draws a benefit; lookups are counted."""
    require(actor, KIND, "confirm")
    id_number, name = _clean_in_person(id_number, name)
    hit(f"eligibility:in-person:{actor.pk}", limit=LOOKUPS_PER_HOUR, window_seconds=3600,
        message="查询次数过多，请一小时后再试；如需批量认证，请联系经办机构。")
    region = _institution_of(actor).region if actor.kind == Audience.INSTITUTION else actor.jurisdiction
    certification = (Certification.objects.filter(region=region, beneficiary_id_index=blind_index(id_number),
                                                  status__in=selectors.OPEN)
                     .order_by("-year", "-pk").first())
    if certification is None or not names_match(certification.beneficiary_name, name):
        raise DomainError(E.CERTIFICATION_NOT_FOUND, status=404)
    return certification_confirm(actor=actor, certification=certification, note=note)


# --- what a confirmation resumes -------------------------------------------------------------------

def resume_lapsed(certification: Certification, *, by=None) -> list[int]:
    """Resume the entitlements this certification's lapse suspended that are suspended still for
    that reason: not one suspended since for another (a death report, staff's own suspension), not
    one stopped or resumed meanwhile. The platform resumes (the one confirming may be an
    institution, which has no say over payments); the audit names who confirmed."""
    ids = list(certification.suspended_entitlements or [])
    if not ids:
        return []
    resumed = []
    rows = Entitlement.objects.filter(pk__in=ids, status=EntitlementStatus.SUSPENDED, note=LAPSE_NOTE).order_by("pk")
    for entitlement in rows:
        transition(None, entitlement, "resume", event_type=EventType.ENTITLEMENT_RESUMED, actor_label=ACTOR_LABEL,
                   details={"reason": "待遇领取资格认证通过", "certification": certification.pk,
                            "confirmed_by": str(by) if by is not None else ACTOR_LABEL})
        resumed.append(entitlement.pk)
    return resumed
