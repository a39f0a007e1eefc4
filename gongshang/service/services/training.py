"""工伤预防培训: the trainer pool (师资库), courses reviewed in advance (课程预审), training sessions of a
project with QR sign-in on the phone, the trainees' questionnaires, the organiser's evaluation forms
and the session's media kept unchanged.

Staff writes check the matrix here as well as in the views (load-and-check, then `check` again on
the locked row). The trainee's two writes are public: the sign-in code on the QR is their access
check, counted per client network (core.ratelimit), and the questionnaire is bound to the attendance
by a signed token handed out at sign-in.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongshang.accounts.access import check, get_for, require
from gongshang.core.audit import record_event
from gongshang.core.audit.context import current
from gongshang.core.errors import CoreErrorCode, DomainError, FieldErrors, NotFound
from gongshang.core.files.storage import SNIFF_BYTES, TYPE_LABELS, detect_type, store_upload
from gongshang.core.pii.access import reveal
from gongshang.core.pii.crypto import blind_index
from gongshang.core.ratelimit import hit
from gongshang.core.validators import validate_mobile
from gongshang.core.workflow import transition

from ..choices import CourseStatus, EvaluationKind, MediaKind, ProjectStatus, SessionStatus, VenueKind
from ..errors import ServiceErrorCode as E
from ..models import Attendance, Course, Evaluation, PreventionProject, SessionMedia, Trainer, TrainingSession
from ..rules import training as rules

# Projects that may hold sessions: 立项 (preparing) and 已签订合同 (delivering).
OPEN_PROJECT_STATUSES = (ProjectStatus.APPROVED, ProjectStatus.CONTRACTED)
TOKEN_BYTES = 12  # 96 random bits; token_urlsafe gives 16 characters
QUESTIONNAIRE_SALT = "gongshang.service.training.questionnaire"
QUESTIONNAIRE_MAX_AGE = 24 * 3600  # the trainee answers on the day
MEDIA_PREFIX = "evidence/training"
SIGN_IN_WINDOW_SECONDS = 3600

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
AUDIO_TYPES = frozenset({"audio/mpeg", "audio/mp4", "audio/x-wav", "audio/aac", "audio/amr", "audio/ogg"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm"})
MEDIA_TYPES = {MediaKind.PHOTO: PHOTO_TYPES, MediaKind.AUDIO: AUDIO_TYPES, MediaKind.VIDEO: VIDEO_TYPES}
MEDIA_MAX_BYTES = {MediaKind.PHOTO: ("TRAINING_PHOTO_MAX_BYTES", 20 * 1024 * 1024),
                   MediaKind.AUDIO: ("TRAINING_AUDIO_MAX_BYTES", 200 * 1024 * 1024),
                   MediaKind.VIDEO: ("TRAINING_VIDEO_MAX_BYTES", 1024 * 1024 * 1024)}


class Events:
    TRAINER_SAVED = "training.trainer_saved"
    TRAINER_ACTIVE = "training.trainer_active"
    COURSE_SUBMITTED = "training.course_submitted"
    COURSE_REVIEWED = "training.course_reviewed"
    SESSION_CREATED = "training.session_created"
    SIGNED_IN = "training.signed_in"
    QUESTIONNAIRE = "training.questionnaire"
    EVALUATION_FORM = "training.evaluation_form"
    MEDIA_UPLOADED = "training.media_uploaded"


def _check(actor, obj, action: str) -> None:
    """Load-and-check again here (not only in the view): another 统筹区's row answers 404 whoever calls."""
    get_for(actor, type(obj), obj.pk, action)


def _text(data: dict, name: str, label: str, max_length: int, *, required: bool, errors: dict) -> str:
    value = str(data.get(name) or "").strip()
    if required and not value:
        errors[name] = f"请填写{label}。"
    elif len(value) > max_length:
        errors[name] = f"{label}最多 {max_length} 个字，请精简后重新填写。"
    return value


def _mobile(value, errors: dict, *, required: bool, field: str = "mobile") -> str:
    if not str(value or "").strip() and not required:
        return ""
    try:
        return validate_mobile(value)
    except ValidationError as exc:
        errors[field] = exc.messages[0] + "。"
        return ""


# --- 师资库 ---------------------------------------------------------------------------------------------

def _trainer_values(data: dict) -> dict:
    errors: dict[str, str] = {}
    values = {
        "name": _text(data, "name", "姓名", 50, required=True, errors=errors),
        "organisation": _text(data, "organisation", "工作单位", 100, required=False, errors=errors),
        "specialty": _text(data, "specialty", "专业领域", 100, required=True, errors=errors),
        "title": _text(data, "title", "职称或资格", 100, required=False, errors=errors),
        "mobile": _mobile(data.get("mobile"), errors, required=False),
    }
    if errors:
        raise FieldErrors(errors)
    return values


def trainer_add(*, actor, data: dict) -> Trainer:
    """A trainer joins the actor's 统筹区 pool (济宁: 按专业领域建立专家库, 动态管理)."""
    require(actor, "prevention_trainer", "manage")
    values = _trainer_values(data)
    with transaction.atomic():
        trainer = Trainer.objects.create(region=actor.jurisdiction, **values)
        record_event(actor=actor, event_type=Events.TRAINER_SAVED, target=trainer, region=trainer.region,
                     details={"action": "add", "name": trainer.name})
    return trainer


def trainer_edit(*, actor, trainer: Trainer, data: dict) -> Trainer:
    _check(actor, trainer, "manage")
    values = _trainer_values(data)
    with transaction.atomic():
        locked = Trainer.objects.select_for_update().get(pk=trainer.pk)
        changed = sorted(name for name, value in values.items() if getattr(locked, name) != value)
        for name in changed:
            setattr(locked, name, values[name])
        if changed:
            locked.save(update_fields=changed)
            # Field names only: the mobile is personal information.
            record_event(actor=actor, event_type=Events.TRAINER_SAVED, target=locked, region=locked.region,
                         details={"action": "edit", "fields": changed})
    return locked


def _set_active(actor, trainer: Trainer, active: bool) -> Trainer:
    _check(actor, trainer, "manage")
    with transaction.atomic():
        locked = Trainer.objects.select_for_update().get(pk=trainer.pk)
        if locked.active != active:
            locked.active = active
            locked.save(update_fields=["active"])
            record_event(actor=actor, event_type=Events.TRAINER_ACTIVE, target=locked, region=locked.region,
                         details={"active": active})
    return locked


def trainer_deactivate(*, actor, trainer: Trainer) -> Trainer:
    """Out of the pool: no new session may use the trainer's courses (sessions held stay)."""
    return _set_active(actor, trainer, False)


def trainer_activate(*, actor, trainer: Trainer) -> Trainer:
    return _set_active(actor, trainer, True)


def trainer_mobile_reveal(*, actor, trainer: Trainer) -> str:
    """The trainer's full mobile (view_pii); the view is logged (PiiAccessLog)."""
    _check(actor, trainer, "view_pii")
    return reveal(actor=actor, obj=trainer, field="mobile", purpose="查看工伤预防师资联系电话")


# --- 课程预审 -------------------------------------------------------------------------------------------

def _course_values(data: dict) -> dict:
    errors: dict[str, str] = {}
    values = {
        "title": _text(data, "title", "课程名称", 100, required=True, errors=errors),
        "outline": _text(data, "outline", "课程大纲", 5000, required=True, errors=errors),
    }
    try:
        hours = Decimal(str(data.get("hours") or "").strip())
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite() or hours <= 0 or hours > 100 or hours != hours.quantize(Decimal("0.1")):
        errors["hours"] = "学时应为大于 0、不超过 100 的数，最多一位小数（如 2 或 1.5）。"
    else:
        values["hours"] = hours
    if errors:
        raise FieldErrors(errors)
    return values


def course_submit(*, actor, trainer: Trainer, data: dict) -> Course:
    """A trainer's course sent for review (课件统一论证): pending until a 专管员 approves it."""
    _check(actor, trainer, "manage")
    values = _course_values(data)
    if not trainer.active:
        raise DomainError(E.TRAINER_INACTIVE, status=409)
    with transaction.atomic():
        course = Course.objects.create(region=trainer.region, trainer=trainer, status=CourseStatus.PENDING, **values)
        record_event(actor=actor, event_type=Events.COURSE_SUBMITTED, target=course, region=course.region,
                     details={"title": course.title, "trainer": trainer.name})
    return course


def course_edit(*, actor, course: Course, data: dict) -> Course:
    """Change a pending or rejected course; it goes (back) to review. An approved course is fixed:
    the sessions held on it were evaluated against that outline."""
    _check(actor, course, "manage")
    values = _course_values(data)
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if locked.status == CourseStatus.APPROVED:
            raise DomainError(E.COURSE_LOCKED, status=409)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.status = CourseStatus.PENDING
        locked.save(update_fields=[*values, "status"])
        record_event(actor=actor, event_type=Events.COURSE_SUBMITTED, target=locked, region=locked.region,
                     details={"title": locked.title, "resubmitted": True})
    return locked


def course_review(*, actor, course: Course, approve: bool, note: str = "") -> Course:
    """Approve or reject a pending course; a rejection says why (the trainer revises and resubmits)."""
    _check(actor, course, "review_course")
    note = (note or "").strip()
    if not approve and not note:
        raise FieldErrors({"note": "不通过时请填写审核意见，说明需要修改的内容。"})
    if len(note) > 300:
        raise FieldErrors({"note": "审核意见最多 300 个字。"})
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if locked.status != CourseStatus.PENDING:
            raise DomainError(E.COURSE_NOT_PENDING, status=409, details={"status": locked.status})
        check(actor, locked, "review_course")
        locked.status = CourseStatus.APPROVED if approve else CourseStatus.REJECTED
        locked.reviewed_by, locked.reviewed_at, locked.review_note = actor, timezone.now(), note
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        record_event(actor=actor, event_type=Events.COURSE_REVIEWED, target=locked, region=locked.region,
                     details={"from": CourseStatus.PENDING.value, "to": locked.status, "note": note})
    return locked


# --- 培训班次 -------------------------------------------------------------------------------------------

def new_sign_in_token() -> str:
    """A random code for the QR (96 bits, never derived from ids or time), not used by any session."""
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not TrainingSession.objects.filter(sign_in_token=token).exists():
            return token


def _aware(value):
    if isinstance(value, datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def session_create(*, actor, project: PreventionProject, course: Course, data: dict) -> TrainingSession:
    """A training session of a project (立项 or under contract) on an approved course."""
    require(actor, "training_session", "create")
    _check(actor, project, "view")
    _check(actor, course, "view")
    errors: dict[str, str] = {}
    venue = _text(data, "venue", "培训地点", 200, required=True, errors=errors)
    industry = _text(data, "industry", "参训行业", 100, required=False, errors=errors)
    venue_kind = str(data.get("venue_kind") or "")
    if venue_kind not in VenueKind.values:
        errors["venue_kind"] = "请选择培训场所类别（企业、项目工地、学校、医院或社区）。"
    starts_at, ends_at = _aware(data.get("starts_at")), _aware(data.get("ends_at"))
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = "请填写开始时间。"
    if not isinstance(ends_at, datetime):
        errors["ends_at"] = "请填写结束时间。"
    elif isinstance(starts_at, datetime) and ends_at <= starts_at:
        errors["ends_at"] = "结束时间应晚于开始时间。"
    elif isinstance(starts_at, datetime) and ends_at - starts_at > rules.MAX_SESSION_LENGTH:
        errors["ends_at"] = "一个培训班次最长 12 小时；多日培训请按天分别登记班次。"
    expected = data.get("expected_trainees") or 0
    if isinstance(expected, bool) or not isinstance(expected, int) or not 0 <= expected <= 10000:
        errors["expected_trainees"] = "计划人数应为 0 到 10000 之间的整数。"
    if errors:
        raise FieldErrors(errors)
    if course.region != project.region:
        raise FieldErrors({"course_id": "请选择本统筹区审核通过的课程。"})
    if project.status not in OPEN_PROJECT_STATUSES:
        raise DomainError(E.PROJECT_NOT_OPEN, status=409, details={"status": project.status})
    if course.status != CourseStatus.APPROVED:
        raise DomainError(E.COURSE_NOT_APPROVED, status=409, details={"status": course.status})
    if not course.trainer.active:
        raise DomainError(E.TRAINER_INACTIVE, status=409)
    with transaction.atomic():
        session = TrainingSession.objects.create(
            project=project, region=project.region, course=course, venue_kind=venue_kind, venue=venue,
            industry=industry, starts_at=starts_at, ends_at=ends_at, expected_trainees=expected,
            sign_in_token=new_sign_in_token(), status=SessionStatus.PLANNED, created_by=actor)
        record_event(actor=actor, event_type=Events.SESSION_CREATED, target=session, region=session.region,
                     details={"project": project.pk, "course": course.pk, "venue_kind": venue_kind})
    return session


def session_open(*, actor, session: TrainingSession) -> TrainingSession:
    """开班: the organiser opens the session (the first sign-in opens it too)."""
    _check(actor, session, "record_session")
    return transition(actor, session, "record_session", event_type="training_session.open",
                      code=E.SESSION_CLOSED, message=E.SESSION_CLOSED.label)


def session_close(*, actor, session: TrainingSession) -> TrainingSession:
    """结班: no more sign-ins, forms or media; the scores are final for the project's evaluation."""
    _check(actor, session, "close")
    if session.status == SessionStatus.HELD and not session.attendances.exists():
        raise DomainError(E.SESSION_EMPTY, status=409)
    return transition(actor, session, "close", message="该培训班次尚未开班或已结班，请刷新页面查看最新状态。")


# --- 扫码签到 (public) ----------------------------------------------------------------------------------

def _network() -> str:
    return current().network or "unknown"


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _count_lookup() -> None:
    # A whole workshop signs in from one company Wi-Fi: the per-network ceiling is generous; wrong
    # codes are counted apart, so guessing codes stops long before it could find one.
    hit(f"training-sign-in:{_network()}", limit=_limit("TRAINING_SIGN_IN_PER_NETWORK_HOUR", 600),
        window_seconds=SIGN_IN_WINDOW_SECONDS, message="签到过于频繁，请稍后再试。")


def session_by_token(token: str) -> TrainingSession:
    """The session of a sign-in code, or 404 (malformed and unknown codes answer alike); counted."""
    _count_lookup()
    token = str(token or "")[:64]
    session = (TrainingSession.objects.select_related("course", "course__trainer")
               .filter(sign_in_token=token).first() if token else None)
    if session is None:
        hit(f"training-sign-in-miss:{_network()}", limit=_limit("TRAINING_SIGN_IN_MISSES_PER_NETWORK_HOUR", 20),
            window_seconds=SIGN_IN_WINDOW_SECONDS, message="签到码错误次数过多，请一小时后再扫码。")
        raise NotFound("没有找到该培训班次，请重新扫描培训现场的二维码。")
    return session


SETTLED_PROJECT = frozenset({ProjectStatus.ACCEPTED, ProjectStatus.EVALUATED, ProjectStatus.PAID})


def sign_in_state(session: TrainingSession, now: datetime | None = None) -> str:
    """"open", "not_yet", "over", "closed" (the organiser closed it) or "settled" (the project was
    accepted, evaluated or paid: a sign-in could no longer change what was decided)."""
    now = now or timezone.now()
    if session.status == SessionStatus.CLOSED:
        return "closed"
    if session.project.status in SETTLED_PROJECT:
        return "settled"
    first, last = rules.sign_in_window(session.starts_at, session.ends_at)
    if now < first:
        return "not_yet"
    if now > last:
        return "over"
    return "open"


def _closed_message(session: TrainingSession, state: str) -> str:
    first, last = rules.sign_in_window(session.starts_at, session.ends_at)
    if state == "not_yet":
        return f"签到尚未开始：本次培训于 {timezone.localtime(first):%m月%d日 %H:%M} 开始签到，请届时再扫码。"
    if state == "over":
        return f"签到已结束（截止 {timezone.localtime(last):%m月%d日 %H:%M}）。如确已参训，请联系培训组织方补登。"
    if state == "settled":
        return "该培训所属的预防项目已验收，不能再签到。如确已参训，请联系培训组织方。"
    return "该培训班次已结班，不能再签到。如确已参训，请联系培训组织方。"


def attendance_sign_in(*, session: TrainingSession, data: dict, now: datetime | None = None) -> Attendance:
    """A trainee signs in on the phone (name, mobile, employer). Only in the window (30 minutes
    before the start to 2 hours after the end), once per mobile; the first sign-in opens the session."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    name = _text(data, "name", "姓名", 50, required=True, errors=errors)
    employer = _text(data, "employer_name", "工作单位", 100, required=False, errors=errors)
    mobile = _mobile(data.get("mobile"), errors, required=True)
    if errors:
        raise FieldErrors(errors)
    state = sign_in_state(session, now)
    if state != "open":
        raise DomainError(E.SIGN_IN_CLOSED, _closed_message(session, state), status=409, details={"state": state})
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.status == SessionStatus.CLOSED:
            raise DomainError(E.SIGN_IN_CLOSED, _closed_message(locked, "closed"), status=409,
                              details={"state": "closed"})
        if Attendance.objects.filter(session=locked, mobile_index=blind_index(mobile)).exists():
            raise DomainError(E.ALREADY_SIGNED_IN, status=409)
        if locked.status == SessionStatus.PLANNED:
            transition(None, locked, "record_session", event_type="training_session.open",
                       actor_label="学员扫码签到", details={"by": "first_sign_in"})
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(session=locked, name=name, mobile=mobile,
                                                       employer_name=employer)
        except IntegrityError as exc:  # the same mobile at the same moment
            raise DomainError(E.ALREADY_SIGNED_IN, status=409) from exc
        # The mobile stays out of the audit log; the attendance row holds it encrypted.
        record_event(actor=None, actor_label="学员扫码签到", event_type=Events.SIGNED_IN, target=attendance,
                     region=locked.region, details={"session": locked.pk})
    session.status = locked.status
    return attendance


def questionnaire_token(attendance: Attendance) -> str:
    """The signed token that binds the questionnaire to the attendance (kept in the browser's session,
    or returned to an API client)."""
    return signing.dumps({"a": attendance.pk, "s": attendance.session_id}, salt=QUESTIONNAIRE_SALT, compress=True)


def attendance_by_token(token: str) -> Attendance:
    """The attendance a questionnaire token was issued for; 422 when it is forged or expired."""
    try:
        payload = signing.loads(str(token or ""), salt=QUESTIONNAIRE_SALT, max_age=QUESTIONNAIRE_MAX_AGE)
        attendance = Attendance.objects.select_related("session").filter(
            pk=int(payload["a"]), session_id=int(payload["s"])).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        attendance = None
    if attendance is None:
        raise DomainError(E.QUESTIONNAIRE_EXPIRED, status=422,
                          details=[{"field": "questionnaire_token", "message": E.QUESTIONNAIRE_EXPIRED.label}])
    return attendance


def has_answered(attendance: Attendance) -> bool:
    return attendance.evaluations.filter(kind=EvaluationKind.QUESTIONNAIRE).exists()


def questionnaire_submit(*, attendance: Attendance, answers: dict) -> Evaluation:
    """The trainee's questionnaire: five questions answered 1–5, scored 0–100 (rules.questionnaire_score);
    once per attendance, and not after the session was closed."""
    problems = rules.questionnaire_problems(answers)
    if problems:
        raise FieldErrors(problems)
    score = rules.questionnaire_score(answers)
    with transaction.atomic():
        locked = Attendance.objects.select_for_update().select_related("session").get(pk=attendance.pk)
        if locked.session.status == SessionStatus.CLOSED:
            raise DomainError(E.SESSION_CLOSED, status=409)
        if has_answered(locked):
            raise DomainError(E.ALREADY_ANSWERED, status=409)
        evaluation = Evaluation.objects.create(session=locked.session, kind=EvaluationKind.QUESTIONNAIRE,
                                               attendance=locked, score=score,
                                               answers={q.code: answers[q.code] for q in rules.QUESTIONS})
        record_event(actor=None, actor_label="学员问卷", event_type=Events.QUESTIONNAIRE, target=evaluation,
                     region=locked.session.region, details={"session": locked.session_id, "score": str(score)})
    return evaluation


# --- 评估表 and 影像 (staff) ------------------------------------------------------------------------------

def _locked_for_recording(actor, session: TrainingSession) -> TrainingSession:
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.status == SessionStatus.CLOSED:
        raise DomainError(E.SESSION_CLOSED, status=409)
    check(actor, locked, "record_session")
    return locked


def evaluation_form_submit(*, actor, session: TrainingSession, marks: dict, note: str = "") -> Evaluation:
    """The organiser's evaluation form (评估表): each item marked 0–10, weighted to 0–100."""
    _check(actor, session, "record_session")
    problems = rules.form_problems(marks)
    note = (note or "").strip()
    if len(note) > 1000:
        problems["note"] = "评估意见最多 1000 个字。"
    if problems:
        raise FieldErrors(problems)
    score = rules.form_score(marks)
    with transaction.atomic():
        locked = _locked_for_recording(actor, session)
        if locked.status != SessionStatus.HELD:
            raise DomainError(E.SESSION_NOT_HELD, status=409)
        answers = {item.code: marks[item.code] for item in rules.FORM_ITEMS}
        if note:
            answers["note"] = note
        evaluation = Evaluation.objects.create(session=locked, kind=EvaluationKind.EVALUATION_FORM, score=score,
                                               answers=answers, submitted_by=actor)
        record_event(actor=actor, event_type=Events.EVALUATION_FORM, target=evaluation, region=locked.region,
                     details={"session": locked.pk, "score": str(score)})
    return evaluation


def _media_kind(upload) -> str:
    """photo / audio / video from the file's first bytes (never its name or declared type)."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    mime, _extension = detect_type(head)
    for kind, types in MEDIA_TYPES.items():
        if mime in types:
            return kind
    label = TYPE_LABELS.get(mime, mime) if mime else "无法识别"
    raise DomainError(
        CoreErrorCode.FILE_TYPE_NOT_ALLOWED,
        f"该文件的实际类型为 {label}，培训影像只接受照片（JPEG/PNG/WebP）、音频（MP3/M4A/WAV/AAC/AMR/OGG）"
        "或视频（MP4/MOV/WebM）（按文件内容判断，修改扩展名无效）。",
        status=415, details={"detected": mime or "", "field": "file"})


def media_upload(*, actor, session: TrainingSession, upload) -> SessionMedia:
    """Keep a photo, recording or video of the session (所有培训均保存影音资料备查): the kind is read
    from the content, the size capped per kind, the original stored unchanged with its SHA-256."""
    _check(actor, session, "record_session")
    if session.status == SessionStatus.CLOSED:
        raise DomainError(E.SESSION_CLOSED, status=409)
    kind = _media_kind(upload)
    setting, default = MEDIA_MAX_BYTES[kind]
    stored = store_upload(upload, allowed_types=set(MEDIA_TYPES[kind]), max_bytes=_limit(setting, default),
                          prefix=MEDIA_PREFIX, actor=actor, field="file", label="上传的培训影像")
    try:
        with transaction.atomic():
            locked = _locked_for_recording(actor, session)
            media = SessionMedia.objects.create(session=locked, kind=kind, file=stored, uploaded_by=actor)
            record_event(actor=actor, event_type=Events.MEDIA_UPLOADED, target=media, region=locked.region,
                         details={"session": locked.pk, "kind": kind, "sha256": stored.sha256, "size": stored.size})
    except Exception:
        # The blob and its row were written before the session was locked: remove both (no orphan).
        from django.core.files.storage import default_storage

        default_storage.delete(stored.storage_path)
        stored.delete()
        raise
    return media
