"""案件留言 (case messages): one thread per case between the applicant side (the worker, relatives on the
worker's account, the employer's handlers) and the staff working on it.

- `message_send`: text and/or one attachment (stored once in the case's vault, checked by content as
  every material is). The other side hears of it: the applicant side by SMS (no content in the SMS,
  at most one notice per side until it reads the thread); staff by their inbox count.
- `message_mark_read`: the reader's side has read the other side's messages.
- `message_to_correction`: staff turn an applicant's message into the one written 补正 notice of the
  application in the acceptance stage (认定办法 第八条; 鉴定办法 第九条).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import check, may, require, restrict
from gongshang.accounts.choices import Audience
from gongshang.cases.vault import vault_upload
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import register_template
from gongshang.core.validators import is_valid_mobile

from ..errors import ServiceErrorCode as E
from ..models.messages import CaseMessage

MAX_TEXT = 2000
ATTACHMENT_KIND = "message_attachment"  # a material of the vault (visible to the applicant side)
NOTICE_TEMPLATE = "sms_case_message_notice"
# The SMS says only that there is a message: its content stays behind the login (PIPL: no case
# details in a text message anyone holding the phone can read).
register_template(NOTICE_TEMPLATE, "【工伤保险】您的工伤案件有新的留言，请登录查看。")


class MessageEvent:
    SENT = "service.message_sent"
    TO_CORRECTION = "service.message_to_correction"


def is_staff_side(actor) -> bool:
    return getattr(actor, "kind", None) == Audience.STAFF


def author_label(actor) -> str:
    """How the thread names the author: staff by name and desk, a handler by the employer, the worker
    by name."""
    if is_staff_side(actor):
        roles = [str(r.label) for r in _roles(actor)]
        desk = roles[0] if roles else "经办人员"
        return f"{desk} {actor.display_name or actor.get_username()}"[:100]
    if actor.kind == Audience.EMPLOYER:
        employer = getattr(actor, "employer", None)
        name = actor.display_name or "经办人"
        return f"{employer.name}（{name}）"[:100] if employer else name[:100]
    return (actor.display_name or "职工本人")[:100]


def _roles(actor):
    from gongshang.accounts.choices import StaffRole
    from gongshang.accounts.rules.access import CASE_DESKS

    return [StaffRole(code) for code in CASE_DESKS if code in actor.role_codes]


def applicant_mobiles(case) -> list[str]:
    """The applicant side's phones: the worker's accounts bound to the case's person (else the mobile
    reported with the case) and the active handlers of the case's employer."""
    User = get_user_model()
    found: list[str] = []
    candidates = []
    if case.person_id:
        candidates += [u.mobile for u in User.objects.filter(kind=Audience.INDIVIDUAL, person_id=case.person_id,
                                                              is_active=True).order_by("pk")]
    if not candidates:
        candidates.append(case.injured_mobile)
    if case.employer_id:
        candidates += [u.mobile for u in User.objects.filter(kind=Audience.EMPLOYER, employer_id=case.employer_id,
                                                              is_active=True).order_by("pk")]
    for mobile in candidates:
        if mobile and is_valid_mobile(mobile) and mobile not in found:
            found.append(mobile)
    return found


def _notify_applicants(message: CaseMessage) -> list[str]:
    """SMS to the applicant side unless a staff message of this thread is still unread (then a notice
    already went out and the thread shows everything on opening)."""
    earlier_unread = (CaseMessage.objects.filter(case_id=message.case_id, from_staff=True, read_at__isnull=True)
                      .exclude(pk=message.pk).exists())
    if earlier_unread:
        return []
    sent = applicant_mobiles(message.case)
    for mobile in sent:
        enqueue_message(channel=OutboxChannel.SMS, recipient=mobile, template=NOTICE_TEMPLATE, params={},
                        region=message.case.region)
    return sent


def _clean_text(text) -> str:
    text = str(text or "").strip()
    if "\x00" in text:
        raise FieldErrors({"text": "留言内容包含不可见的控制字符，请删除后重试"}, "留言内容包含不可见的控制字符，请删除后重试。")
    if len(text) > MAX_TEXT:
        problem = f"留言内容不能超过 {MAX_TEXT} 个字（现有 {len(text)} 个字），请精简或分几次发送"
        raise FieldErrors({"text": problem}, problem + "。")
    return text


def _store_attachment(*, actor, case, upload):
    """The attachment as a material of the case's vault (JPG/PNG/PDF by content, ≤ 20 MB); a refusal
    names the field `attachment`."""
    name = getattr(upload, "name", "") or ""
    try:
        return vault_upload(actor=actor, case=case, kind=ATTACHMENT_KIND, upload=upload,
                            title=f"留言附件 {name}".strip(), label="留言附件")
    except FieldErrors as exc:
        renamed = {("attachment" if field == "file" else field): text for field, text in exc.errors.items()}
        raise FieldErrors(renamed, exc.message) from None
    except DomainError as exc:
        if isinstance(exc.details, list):
            exc.details = [{**d, "field": "attachment"} if d.get("field") == "file" else d for d in exc.details]
        raise


def _create(*, actor, case, text: str, attachment=None) -> CaseMessage:
    if is_staff_side(actor):
        # Two staff replies at once must not both see "no unread notice yet" and both send an SMS:
        # the case row serialises the staff side's notices (PostgreSQL; SQLite writes one at a time).
        type(case).objects.select_for_update().filter(pk=case.pk).first()
    message = CaseMessage.objects.create(case=case, author=actor, author_label=author_label(actor),
                                         from_staff=is_staff_side(actor), text=text, attachment=attachment)
    details = {"message_id": message.pk, "from_staff": message.from_staff, "attachment": bool(attachment),
               "length": len(text)}
    if message.from_staff:
        details["sms_to"] = len(_notify_applicants(message))
    record_event(actor=actor, event_type=MessageEvent.SENT, target=message, region=case.region, details=details)
    return message


def message_send(*, actor, case, text: str = "", upload=None) -> CaseMessage:
    """Post a message to `case`'s thread (the caller loaded the case through the access model). Text
    or an attachment is required; a refused attachment saves nothing."""
    require(actor, "case_message", "send")
    text = _clean_text(text)
    if not text and upload is None:
        raise FieldErrors({"text": "请填写留言内容，或添加一个附件（照片或 PDF）"}, str(E.MESSAGE_EMPTY.label))
    attachment = _store_attachment(actor=actor, case=case, upload=upload) if upload is not None else None
    with transaction.atomic():
        return _create(actor=actor, case=case, text=text, attachment=attachment)


@transaction.atomic
def message_mark_read(*, actor, case) -> int:
    """The other side's unread messages of `case` become read by the actor's side; returns how many."""
    require(actor, "case_message", "view")
    other_side = not is_staff_side(actor)
    unread = restrict(actor, CaseMessage.objects.filter(case=case, from_staff=other_side, read_at__isnull=True))
    return CaseMessage.objects.filter(pk__in=list(unread.values_list("pk", flat=True))).update(read_at=timezone.now())


# --- 补正 from a message --------------------------------------------------------------------------------

def _recognition_target(actor, case):
    """The case's recognition application the actor reaches that is in (or was in) the acceptance
    stage, newest first; None when there is none."""
    from gongshang.recognition.models import RecognitionApplication
    from gongshang.recognition.rules import workflow

    qs = restrict(actor, RecognitionApplication.objects.filter(case=case).select_related("case"), "view")
    return qs.exclude(status__in=[workflow.DRAFT, workflow.DELETED, workflow.WITHDRAWN]).order_by("-pk").first()


def _appraisal_target(actor, case):
    from gongshang.appraisal.models import AppraisalApplication
    from gongshang.appraisal.rules import workflow

    qs = restrict(actor, AppraisalApplication.objects.filter(case=case).select_related("case"), "view")
    return qs.exclude(status__in=[workflow.DRAFT, workflow.DELETED, workflow.WITHDRAWN]).order_by("-pk").first()


def _refused(application, reason: str) -> DomainError:
    return DomainError(E.MESSAGE_CORRECTION_REFUSED, reason, status=409,
                       details={"application_status": application.status,
                                "status_label": str(application.get_status_display())})


def _to_recognition(actor, message, items):
    # 工伤认定办法 第八条: materials incomplete → one written notice listing everything to supply.
    from gongshang.recognition.models import RecognitionApplication
    from gongshang.recognition.rules import workflow
    from gongshang.recognition.services.intake import application_request_correction

    application = _recognition_target(actor, message.case)
    if application is None:
        raise DomainError(E.MESSAGE_NO_APPLICATION, "本案件没有已提交的工伤认定申请，不能转为补正通知。", status=409)
    if not RecognitionApplication.workflow.can("request_correction", application.status):
        raise _refused(application, f"认定申请当前为“{application.get_status_display()}”："
                                    f"{workflow.message_for('request_correction', application.status)}")
    corrected = application_request_correction(actor=actor, application=application, items=items)
    message.correction_for = corrected
    message.save(update_fields=["correction_for"])
    return corrected, [str(i) for i in corrected.correction_items], "工伤认定"


def _to_appraisal(actor, message, items):
    # 工伤职工劳动能力鉴定管理办法 第九条: tell every missing material at once.
    from gongshang.appraisal.models import AppraisalApplication
    from gongshang.appraisal.services.applications import application_request_correction

    application = _appraisal_target(actor, message.case)
    if application is None:
        raise DomainError(E.MESSAGE_NO_APPLICATION, "本案件没有已提交的劳动能力鉴定申请，不能转为补正通知。", status=409)
    if not AppraisalApplication.workflow.can("request_correction", application.status):
        raise _refused(application, f"鉴定申请当前为“{application.get_status_display()}”："
                                    "只有已提交、尚未受理的申请可以一次性告知补正。")
    corrected = application_request_correction(actor=actor, application=application, items=items)
    message.correction_appraisal = corrected
    message.save(update_fields=["correction_appraisal"])
    return corrected, [str(i) for i in corrected.correction_items], "劳动能力鉴定"


@transaction.atomic
def message_to_correction(*, actor, message: CaseMessage, items=None) -> CaseMessage:
    """Turn an applicant's message into the 补正 notice of the case's application in the acceptance
    stage: a 受理员/审核员 the recognition application's (补正材料通知书), a 鉴定管理员 the appraisal
    application's. The thread gets a staff message listing what to supply (with its SMS notice).
    Returns that staff message."""
    check(actor, message, "to_correction")
    locked = CaseMessage.objects.select_for_update().select_related("case").get(pk=message.pk)
    if locked.from_staff:
        raise DomainError(E.MESSAGE_NOT_APPLICANT, status=409)
    if locked.turned_into_correction:
        raise DomainError(E.MESSAGE_ALREADY_CORRECTION, status=409)
    items = [str(i) for i in (items or [])]
    if locked.read_at is None:  # staff answer it now: it is read
        locked.read_at = timezone.now()
        locked.save(update_fields=["read_at"])
    if may(actor, "recognition_application", "request_correction"):
        application, listed, business = _to_recognition(actor, locked, items)
    else:
        application, listed, business = _to_appraisal(actor, locked, items)
    reply = _create(actor=actor, case=locked.case, text=(
        f"根据您的留言，已发出{business}补正材料通知（一次性告知），请补正：{'、'.join(listed)}。"
        "补正后请在申请页重新提交。"))
    record_event(actor=actor, event_type=MessageEvent.TO_CORRECTION, target=locked, region=locked.case.region,
                 details={"message_id": locked.pk, "business": business, "application_id": application.pk,
                          "items": listed, "reply_id": reply.pk})
    return reply
