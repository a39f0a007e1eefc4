"""Rows of 工伤预防培训 as the API and the pages show them: mobiles masked, scores as strings with two
decimals, times in local ISO 8601, the sign-in address and its QR code."""

import io
import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from gongshang.core.pii.masking import mask_mobile

from ..choices import SessionStatus
from ..rules import training as rules
from ..selectors import training as s
from ..services.training import sign_in_state

SIGN_IN_STATES = {"open": "签到进行中", "not_yet": "尚未开始签到", "over": "签到已结束", "closed": "已结班",
                  "settled": "项目已验收，签到已结束"}


def iso_time(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def score_text(value) -> str | None:
    return f"{value:.2f}" if value is not None else None


def trainer_dict(trainer) -> dict:
    return {"id": trainer.pk, "name": trainer.name, "mobile": mask_mobile(trainer.mobile),
            "organisation": trainer.organisation, "specialty": trainer.specialty, "title": trainer.title,
            "active": trainer.active, "created_at": iso_time(trainer.created_at),
            "course_count": getattr(trainer, "course_count", None),
            "approved_count": getattr(trainer, "approved_count", None)}


def course_dict(course) -> dict:
    reviewer = course.reviewed_by
    return {"id": course.pk, "title": course.title, "outline": course.outline, "hours": f"{course.hours:.1f}",
            "trainer_id": course.trainer_id, "trainer_name": course.trainer.name,
            "trainer_active": course.trainer.active, "status": course.status,
            "status_label": course.get_status_display(),
            "reviewed_by": reviewer.display_name or reviewer.get_username() if reviewer else "",
            "reviewed_at": iso_time(course.reviewed_at), "review_note": course.review_note}


def sign_in_path(session) -> str:
    return reverse("service:training_sign_in", args=[session.sign_in_token])


def sign_in_url(session, base_url: str = "") -> str:
    """The public address the QR code holds (PUBLIC_BASE_URL when set, else the request's host)."""
    base = (getattr(settings, "PUBLIC_BASE_URL", "") or base_url or "").rstrip("/")
    return f"{base}{sign_in_path(session)}"


def qr_svg(text: str) -> str:
    """The QR code of `text` as an <svg> element (our own markup: a path, no script, no style)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                       image_factory=qrcode.image.svg.SvgPathImage)
    qr.add_data(text)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg"):]
    # A fixed size in CSS pixels (the page allows no inline style): big enough to scan from a row away.
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg width="240" height="240"', svg)
    return svg.replace("<svg ", '<svg class="qr" role="img" aria-label="签到二维码" ', 1)


def time_label(starts_at, ends_at) -> str:
    """2026-11-10 09:00–11:30 (or the end's date too when it is another day)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    tail = f"{end:%H:%M}" if start.date() == end.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{tail}"


def session_dict(session, *, detail: bool = False, base_url: str = "") -> dict:
    state = sign_in_state(session)
    first, last = rules.sign_in_window(session.starts_at, session.ends_at)
    row = {"id": session.pk, "project_id": session.project_id, "project_title": session.project.title,
           "course_id": session.course_id, "course_title": session.course.title,
           "trainer_name": session.course.trainer.name, "venue_kind": session.venue_kind,
           "venue_kind_label": session.get_venue_kind_display(), "venue": session.venue,
           "industry": session.industry, "starts_at": iso_time(session.starts_at), "ends_at": iso_time(session.ends_at),
           "time_label": time_label(session.starts_at, session.ends_at),
           "expected_trainees": session.expected_trainees, "status": session.status,
           "status_label": session.get_status_display(),
           "attendance_count": getattr(session, "attendance_count", None),
           "sign_in_state": state, "sign_in_state_label": SIGN_IN_STATES[state],
           "sign_in_opens_at": iso_time(first), "sign_in_closes_at": iso_time(last)}
    if row["attendance_count"] is None:
        row["attendance_count"] = session.attendances.count()
    if detail:
        score = s.session_score(session)
        row.update({"sign_in_url": sign_in_url(session, base_url),
                    "questionnaire_average": score_text(score.questionnaire_average),
                    "questionnaire_count": score.questionnaire_count,
                    "form_average": score_text(score.form_average), "form_count": score.form_count,
                    "score": score_text(score.score), "media_count": session.media.count()})
    return row


def may_open(session, actions) -> bool:
    """开班 is offered while the session is planned (record_session also covers recording later)."""
    return "record_session" in actions and session.status == SessionStatus.PLANNED


def attendance_dict(attendance, answered: set[int] | None = None) -> dict:
    return {"id": attendance.pk, "name": attendance.name, "mobile": mask_mobile(attendance.mobile),
            "employer_name": attendance.employer_name, "signed_at": iso_time(attendance.signed_at),
            "questionnaire_done": attendance.pk in answered if answered is not None else None}


def evaluation_dict(evaluation, *, trainee_names: bool = True) -> dict:
    """One evaluation form or questionnaire; a trainee's name only for those who may see the
    attendance (the 分管领导 reads scores, not people)."""
    who = ""
    if evaluation.submitted_by_id:
        who = evaluation.submitted_by.display_name or evaluation.submitted_by.get_username()
    elif evaluation.attendance_id:
        who = evaluation.attendance.name if trainee_names else "学员"
    items = rules.FORM_ITEMS if evaluation.kind == "evaluation_form" else rules.QUESTIONS
    answers = [{"code": item.code, "text": item.text, "value": evaluation.answers.get(item.code)} for item in items]
    return {"id": evaluation.pk, "kind": evaluation.kind, "kind_label": evaluation.get_kind_display(),
            "score": score_text(evaluation.score), "by": who, "submitted_at": iso_time(evaluation.submitted_at),
            "answers": answers, "note": evaluation.answers.get("note", "")}


def media_dict(media) -> dict:
    return {"id": media.pk, "kind": media.kind, "kind_label": media.get_kind_display(),
            "name": media.file.original_name, "content_type": media.file.content_type, "size": media.file.size,
            "sha256": media.file.sha256, "uploaded_at": iso_time(media.uploaded_at),
            "uploaded_by": media.uploaded_by.display_name or media.uploaded_by.get_username(),
            "download": reverse("service:training_media_download", args=[media.pk])}
