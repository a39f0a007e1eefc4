"""Exam day (现场鉴定) and the green channel: check-in with identity verification decided by staff,
each expert's signed opinion, the recording of the session in the case's vault, the panel's proposal;
no-shows (鉴定办法 第二十三条, the count is the regional setting), termination, and the approved
home or remote visit of a green-channel application (潍坊's 绿色通道)."""

import hashlib
import json
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import check
from gongshang.cases.models_vault import DocumentSource
from gongshang.cases.vault import vault_add_stored
from gongshang.core.errors import CoreErrorCode, DomainError, FieldErrors
from gongshang.core.files.storage import IMAGE_TYPES, store_upload

from ..choices import SelfCareLevel, VisitMode
from ..errors.batches import BatchErrorCode as E
from ..models import AppraisalBatch, ExamRecord, Expert, ExpertOpinion, HomeVisit
from ..notifications import batches as notices
from ..rules import codes, workflow
from ..rules import grading as grading_rules
from ..rules.codes import VISIT_MODES
from .batches import panel_of, setting_for
from .transition import lock, move

LIVE_PHOTO_KIND = "appraisal_live_photo"
RECORDING_KIND = "appraisal_recording"
RECORDING_TYPES = {"video/mp4", "video/quicktime", "video/webm", "audio/mpeg", "audio/mp4", "audio/x-wav",
                   "audio/ogg", "audio/aac", "audio/amr"}
PHOTO_MAX_BYTES = 15 * 1024 * 1024
SECOND_IS_PROVINCIAL = ("再次鉴定由省级劳动能力鉴定委员会作出（条例第二十六条），本委员会不能安排现场鉴定或作出结论，"
                        "请报送省级鉴定委员会并导入其结论。")
TERMINATION_NO_SHOW = "无正当理由不参加现场鉴定（《工伤职工劳动能力鉴定管理办法》第二十三条）"


def recording_max_bytes() -> int:
    return int(getattr(settings, "APPRAISAL_RECORDING_MAX_BYTES", 2 * 1024 * 1024 * 1024))


def _exam(application) -> ExamRecord:
    record, _ = ExamRecord.objects.get_or_create(application=application)
    return record


def exam_check_in(*, actor, application, photo, verified: bool, note: str = "") -> ExamRecord:
    """签到: the live photo goes into the case's vault; staff decide whether it matches the person
    (the registry photo, or the ID document when the registry has none) and say why."""
    check(actor, application, "check_in")
    if not workflow.WORKFLOW.can("check_in", application.status):  # before storing anything
        raise DomainError(CoreErrorCode.CONFLICT, workflow.message_for("check_in"), status=409,
                          details={"status": application.status})
    if photo is None:
        raise FieldErrors({"photo": "请拍摄或上传被鉴定人的现场照片（JPG 或 PNG）"})
    note = (note or "").strip()
    if "\x00" in note:
        raise FieldErrors({"note": "核验说明包含不可见的控制字符，请删除后重试"})
    if not verified and not note:
        raise FieldErrors({"note": "核验不一致时请写明情况（如与身份证照片不符、由他人代替等）"})
    stored = store_upload(photo, allowed_types=set(IMAGE_TYPES), max_bytes=PHOTO_MAX_BYTES,
                          prefix="appraisal", actor=actor, field="photo", label="现场照片")
    with transaction.atomic():
        locked = move(actor, lock(application), "check_in",
                      details={"identity_verified": bool(verified), "note": note[:300]})
        document = vault_add_stored(actor=actor, case=locked.case, kind=LIVE_PHOTO_KIND, stored=stored,
                                    title="劳动能力鉴定现场照片", source=DocumentSource.UPLOAD)
        record = _exam(locked)
        record.checked_in_at = timezone.now()
        record.live_photo = document
        record.identity_verified = bool(verified)
        record.identity_note = note[:300]
        record.verified_by = actor
        record.save()
    return record


def recording_attach(*, actor, application, upload) -> ExamRecord:
    """The recording of the session (鉴定现场全程录音、录像, as in 潍坊) into the case's vault."""
    check(actor, application, "check_in")
    if application.status not in (workflow.SCHEDULED, workflow.EXAMINED, workflow.CONCLUDED):
        raise DomainError(CoreErrorCode.CONFLICT, "只有已安排或已完成现场鉴定的申请可以上传鉴定过程录音录像。", status=409,
                          details={"status": application.status})
    if upload is None:
        raise FieldErrors({"file": "请选择鉴定过程的录音或录像文件（MP4、MOV、MP3 等）"})
    stored = store_upload(upload, allowed_types=RECORDING_TYPES, max_bytes=recording_max_bytes(),
                          prefix="appraisal", actor=actor, field="file", label="录音录像文件")
    with transaction.atomic():
        locked = lock(application)
        document = vault_add_stored(actor=actor, case=locked.case, kind=RECORDING_KIND, stored=stored,
                                    title="劳动能力鉴定过程录音录像", source=DocumentSource.UPLOAD)
        record = _exam(locked)
        record.recording = document
        record.save(update_fields=["recording"])
        from .transition import event_append

        event_append(application=locked, event_type="appraisal.recording_attached", actor=actor,
                     details={"document_id": document.pk, "sha256": stored.sha256})
    return record


# --- opinions ------------------------------------------------------------------------------------------

def _choice(value, allowed, field, message):
    if value in (None, ""):
        return ""
    if value not in allowed:
        raise FieldErrors({field: message})
    return value


def _grade(value, field="grade"):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise FieldErrors({field: "伤残等级应为 1 至 10 的整数，未达级填 0"})
    return value


def opinion_content(*, application_id: int, expert_id: int, grade, self_care: str, standard_items: list,
                    confirmations: dict, text: str, signed_at: datetime) -> str:
    """The canonical JSON an opinion's signature is computed over (sorted keys, no spaces, UTF-8)."""
    return json.dumps({"application": application_id, "expert": expert_id, "grade": grade, "self_care": self_care,
                       "standard_items": standard_items, "confirmations": confirmations, "text": text,
                       "signed_at": signed_at.isoformat()}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def opinion_signature(**content) -> str:
    return hashlib.sha256(opinion_content(**content).encode("utf-8")).hexdigest()


def opinion_sign(*, actor, application, grade=None, self_care: str = "", standard_items=None,
                 confirmations=None, text: str = "") -> ExpertOpinion:
    """An expert's own opinion, signed once: SHA-256 of the canonical content with the expert and time."""
    check(actor, application, "opinion")
    expert = Expert.objects.filter(user=actor).first()
    if expert is None:
        raise DomainError(E.NOT_EXPERT, E.NOT_EXPERT.label, status=403)
    grade = _grade(grade)
    self_care = _choice(self_care, SelfCareLevel.values, "self_care",
                        f"生活自理障碍程度请从以下选择：{'、'.join(SelfCareLevel.labels)}，无障碍留空")
    items = [str(i).strip()[:40] for i in (standard_items or []) if str(i).strip()][:30]
    if items:
        # the opinion cites items of GB/T 16180-2014 by their numbers (the grading aid finds them)
        try:
            grading_rules.lookup_items(items, field="standard_items")
        except grading_rules.GradingInputError as exc:
            raise FieldErrors({exc.field: exc.message}) from exc
    confirmations = {str(k)[:40]: v for k, v in (confirmations or {}).items()} if isinstance(confirmations, dict) else {}
    text = (text or "").strip()
    if not text:
        raise FieldErrors({"text": "请填写鉴定意见（检查所见、依据的标准条款及理由）"})
    with transaction.atomic():
        locked = move(actor, lock(application), "opinion", details={"expert": expert.pk})
        if ExpertOpinion.objects.filter(application=locked, expert=expert).exists():
            raise DomainError(E.OPINION_SIGNED, E.OPINION_SIGNED.label, status=409)
        now = timezone.now().replace(microsecond=0)
        signature = opinion_signature(application_id=locked.pk, expert_id=expert.pk, grade=grade, self_care=self_care,
                                      standard_items=items, confirmations=confirmations, text=text, signed_at=now)
        opinion = ExpertOpinion.objects.create(application=locked, expert=expert, grade=grade, self_care=self_care,
                                               standard_items=items, confirmations=confirmations, text=text,
                                               signature=signature)
        ExpertOpinion.objects.filter(pk=opinion.pk).update(signed_at=now)
        opinion.signed_at = now
    return opinion


def opinion_verify(opinion: ExpertOpinion) -> bool:
    return opinion.signature == opinion_signature(
        application_id=opinion.application_id, expert_id=opinion.expert_id, grade=opinion.grade,
        self_care=opinion.self_care, standard_items=opinion.standard_items, confirmations=opinion.confirmations,
        text=opinion.text, signed_at=opinion.signed_at)


def opinions_missing(application) -> list[str]:
    signed = set(application.opinions.values_list("expert_id", flat=True))
    return [m.expert.name for m in panel_of(application) if m.expert_id not in signed]


def exam_examine(*, actor, application, grade=None, self_care: str = "", text: str = "",
                 confirmations=None) -> ExamRecord:
    """The panel's proposal (专家组意见), once every member has signed their opinion."""
    check(actor, application, "examine")
    grade = _grade(grade)
    self_care = _choice(self_care, SelfCareLevel.values, "self_care",
                        f"生活自理障碍程度请从以下选择：{'、'.join(SelfCareLevel.labels)}，无障碍留空")
    text = (text or "").strip()
    if not text:
        raise FieldErrors({"text": "请填写专家组意见"})
    with transaction.atomic():
        locked = lock(application)
        if not panel_of(locked).exists():
            raise DomainError(E.NO_PANEL, E.NO_PANEL.label, status=409)
        if locked.kind == codes.SECOND:
            raise DomainError(CoreErrorCode.CONFLICT, SECOND_IS_PROVINCIAL, status=409)
        missing = opinions_missing(locked)
        if missing:
            raise DomainError(E.OPINIONS_MISSING, f"专家组成员尚未全部签署意见：{'、'.join(missing)}。", status=409,
                              details={"missing": missing})
        record = ExamRecord.objects.filter(application=locked).first()
        if record is None or record.checked_in_at is None or not record.identity_verified:
            # whose injury did the panel examine? the proposal follows a check-in whose identity staff
            # confirmed (at the site, or at the green-channel visit, where staff check in the same way)
            raise DomainError(CoreErrorCode.CONFLICT, "被鉴定人尚未签到或身份核验不一致，不能形成专家组意见。"
                              "请先在签到时核验被鉴定人身份（与身份证照片一致）。", status=409)
        locked = move(actor, locked, "examine", details={"grade": grade, "self_care": self_care})
        record = _exam(locked)
        record.proposed_grade = grade
        record.proposed_self_care = self_care
        record.proposal = {"text": text, "confirmations": confirmations or {},
                           "opinions": list(locked.opinions.values_list("pk", flat=True))}
        record.examined_at = timezone.now()
        record.save()
    return record


# --- absence, termination ----------------------------------------------------------------------------

def _exam_day(application):
    """The day the worker was to appear: the green-channel visit's date, else the batch's exam day."""
    visit = application.visits.filter(done_at__isnull=True).order_by("-scheduled_at").first()
    if visit is not None:
        return timezone.localdate(visit.scheduled_at)
    return application.batch.exam_on if application.batch_id else None


def exam_no_show(*, actor, application, note: str = ""):
    """无正当理由未到场: below the regional limit the application returns to accepted for the next
    batch; at the limit the appraisal ends (鉴定办法 第二十三条). The applicant is told either way."""
    check(actor, application, "record_no_show")
    with transaction.atomic():
        locked = lock(application)
        exam_day = _exam_day(locked)
        if exam_day is None or timezone.localdate() < exam_day:
            when = f"（{exam_day:%Y年%m月%d日}）" if exam_day else ""
            raise DomainError(CoreErrorCode.CONFLICT, f"现场鉴定日{when}尚未到，不能登记未到场。", status=409,
                              details={"exam_on": exam_day.isoformat() if exam_day else None})
        count = locked.no_show_count + 1
        limit = setting_for(locked.region).no_show_limit or 1
        details = {"no_show_count": count, "limit": limit, "note": (note or "")[:300]}
        if count >= limit:
            locked = move(actor, locked, "terminate", details=details,
                          changes={"no_show_count": count, "termination_reason": TERMINATION_NO_SHOW})
            text = (f"您未按通知参加现场鉴定（第 {count} 次），依照《工伤职工劳动能力鉴定管理办法》第二十三条，"
                    "本次劳动能力鉴定终止。如有正当理由，请联系劳动能力鉴定委员会。")
        else:
            locked = move(actor, locked, "record_no_show", details=details,
                          changes={"no_show_count": count, "batch": None})
            text = (f"您未按通知参加现场鉴定（第 {count} 次，满 {limit} 次将终止鉴定），"
                    "我们将为您安排下一批次，届时另行通知。")
        notices.notify_text(actor=actor, application=locked, text=text)
    return locked


def application_terminate(*, actor, application, reason: str):
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": "请写明终止鉴定的理由（如无正当理由拒不参加检查，鉴定办法第二十三条）"})
    with transaction.atomic():
        locked = move(actor, application, "terminate", details={"reason": reason[:500]},
                      changes={"termination_reason": reason[:500]})
        notices.notify_text(actor=actor, application=locked, text=f"您的劳动能力鉴定已终止，理由：{reason[:200]}。")
    return locked


# --- green channel -----------------------------------------------------------------------------------

def visit_approve(*, actor, application, mode: str, scheduled_at: datetime, address: str = "",
                  batch: AppraisalBatch | None = None) -> HomeVisit:
    """绿色通道: approve a home or remote visit; the application is scheduled in a planned batch of its
    统筹区, whose draw gives it a panel (the experts of that panel examine at the visit). A batch is
    required: without one no draw would ever include the application and no panel could propose."""
    check(actor, application, "approve_visit")
    errors = {}
    if mode not in VISIT_MODES:
        errors["mode"] = f"方式请从以下选择：{'、'.join(VISIT_MODES.values())}"
    if scheduled_at is None or timezone.is_naive(scheduled_at) or scheduled_at <= timezone.now():
        errors["scheduled_at"] = "预约时间应晚于现在（含时区）"
    address = (address or "").strip()
    if mode == "home" and not address:
        errors["address"] = "上门鉴定请填写上门地址"
    if batch is None and application.batch_id is None:
        errors["batch_id"] = "请选择编入的计划中批次：专家组随该批次抽取，未编入批次将无法组成专家组"
    elif batch is not None and (batch.region != application.region or batch.status != workflow.PLANNED):
        errors["batch_id"] = "只能编入本统筹区计划中的批次"
    if errors:
        raise FieldErrors(errors)
    if not application.green_channel:
        raise DomainError(E.NOT_GREEN_CHANNEL, E.NOT_GREEN_CHANNEL.label, status=409)
    if application.kind == codes.SECOND:
        raise DomainError(CoreErrorCode.CONFLICT, SECOND_IS_PROVINCIAL, status=409)
    with transaction.atomic():
        locked = move(actor, lock(application), "approve_visit",
                      details={"mode": mode, "scheduled_at": scheduled_at.isoformat()})
        if locked.status == workflow.ACCEPTED:
            changes = {"batch": batch} if batch is not None else {}
            locked = move(actor, locked, "schedule", changes=changes,
                          details={"visit": mode, **({"batch": batch.number} if batch else {})})
        visit = HomeVisit.objects.create(application=locked, mode=mode, scheduled_at=scheduled_at,
                                         address=address[:300], approved_by=actor)
        when = timezone.localtime(scheduled_at)
        notices.notify_text(actor=actor, application=locked,
                            text=f"您的绿色通道申请已批准，安排{VisitMode(mode).label}，时间 {when:%Y-%m-%d %H:%M}。",
                            template=notices.VISIT_TEMPLATE,
                            params={"name": notices._name(locked), "mode": VisitMode(mode).label,
                                    "when": f"{when:%Y-%m-%d %H:%M}"})
    return visit
