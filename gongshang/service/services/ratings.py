"""好差评 writes: the applicant rates a finished matter; a bad rating opens a follow-up due in the
region's working days; staff close it with the outcome, which the applicant is told (SMS through the
outbox, and on their rating page); the 12333 agent's callback records the caller's rating.

国办发〔2019〕51号: 办结后评价, five levels; 实名差评回访整改率 100%."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongshang.accounts.access import check, require
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import register_template
from gongshang.core.validators import is_valid_mobile
from gongshang.core.workdays.calendar import compute_due_date
from gongshang.core.workdays.rules import WORKING
from gongshang.core.workflow import transition

from ..choices import RatedMatter, RatingChannel, TicketEventType
from ..errors import ServiceErrorCode
from ..models import Rating, RatingFollowUp, Ticket, TicketEvent
from ..rules import ratings as rules
from ..rules.workflow import FOLLOW_UP_WORKFLOW
from ..selectors.ratings_matters import matter_for
from ..selectors.settings import setting_for

FOLLOW_UP_SMS = "sms_rating_follow_up"
register_template(FOLLOW_UP_SMS, "【工伤保险】您对“{matter}”的评价（{level}）已核实处理：{outcome}"
                                 "详情请登录工伤保险服务平台“服务评价”查看。")
SMS_OUTCOME_CHARS = 70

MATTER_ERROR = "请选择评价事项：" + "、".join(f"{v}（{label}）" for v, label in RatedMatter.choices) + "。"


# --- rating --------------------------------------------------------------------------------------------

def _check_input(*, matter: str | None, score, text: str, text_field: str, text_label: str, limit: int) -> None:
    errors = {}
    if matter is not None and matter not in RatedMatter.values:
        errors["matter"] = MATTER_ERROR
    if (message := rules.score_error(score)) is not None:
        errors["score"] = message
    if (message := rules.text_error(text, limit=limit, label=text_label)) is not None:
        errors[text_field] = message
    if errors:
        raise FieldErrors(errors)


def _already_rated(message: str | None = None) -> DomainError:
    return DomainError(ServiceErrorCode.ALREADY_RATED, message, status=409)


def rating_create(*, actor, matter: str, matter_id: int, score: int, comment: str = "") -> Rating:
    """The applicant rates one finished matter once; a bad rating opens its follow-up."""
    require(actor, "service_rating", "create")
    _check_input(matter=matter, score=score, text=comment, text_field="comment", text_label="评价内容",
                 limit=rules.COMMENT_MAX)
    found = matter_for(actor, matter, matter_id)
    if not found.finished:
        raise DomainError(ServiceErrorCode.NOT_FINISHED, status=409)
    with transaction.atomic():
        if Rating.objects.filter(matter=matter, matter_id=found.id, rater=actor).exists():
            raise _already_rated()
        # A ticket has one caller: rated once, online or at the agent's callback.
        if matter == RatedMatter.TICKET and Rating.objects.filter(matter=matter, matter_id=found.id).exists():
            raise _already_rated("该工单已在回访时登记了您的评价，不能重复评价。")
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    region=found.region, matter=matter, matter_id=found.id, case=found.case,
                    channel=RatingChannel.ONLINE, score=score, comment=(comment or "").strip(), rater=actor)
        except IntegrityError as exc:  # the same rater, twice at once
            raise _already_rated() from exc
        follow_up = _open_follow_up(rating)
        record_event(actor=actor, event_type="service_rating.created", target=rating, region=rating.region,
                     details={"matter": matter, "matter_id": found.id, "score": score,
                              "follow_up_due": follow_up.due_date.isoformat() if follow_up else None})
    return rating


def follow_up_due(region: str, on: date) -> date:
    """The day a follow-up opened on `on` must be closed by: the region's working days
    (服务地区参数 差评整改时限), counted by the one workdays engine."""
    days = setting_for(region, on).rating_follow_up_days
    return compute_due_date(on, days, WORKING).first_due


def _open_follow_up(rating: Rating) -> RatingFollowUp | None:
    if not rules.opens_follow_up(rating.score):
        return None
    return RatingFollowUp.objects.create(rating=rating, region=rating.region,
                                         due_date=follow_up_due(rating.region, timezone.localdate()))


# --- follow-up -----------------------------------------------------------------------------------------

def follow_up_close(*, actor, follow_up: RatingFollowUp, outcome: str) -> RatingFollowUp:
    """Close a bad rating's follow-up with what was verified and put right; the applicant is told."""
    message = rules.text_error(outcome, limit=rules.OUTCOME_MAX, label="核实整改情况", required=True)
    if message is not None:
        raise FieldErrors({"outcome": message})
    now = timezone.now()
    with transaction.atomic():
        locked = transition(
            actor, follow_up, "follow_up", workflow=FOLLOW_UP_WORKFLOW, code=ServiceErrorCode.FOLLOW_UP_CLOSED,
            event_type="service_rating.follow_up_closed", region=follow_up.region,
            changes={"outcome": outcome.strip(), "closed_by": actor, "closed_at": now, "told_at": now,
                     "assignee": follow_up.assignee or actor},
            details={"rating": follow_up.rating_id, "due_date": follow_up.due_date.isoformat(),
                     "on_time": timezone.localdate(now) <= follow_up.due_date})
        _tell_applicant(locked)
    return locked


def _applicant_mobile(rating: Rating) -> str:
    if rating.rater_id is not None:
        return rating.rater.mobile or ""
    if rating.matter == RatedMatter.TICKET:  # a callback: the caller has no account, only the number
        ticket = Ticket.objects.filter(pk=rating.matter_id).first()
        return ticket.caller_mobile if ticket else ""
    return ""


def _tell_applicant(follow_up: RatingFollowUp) -> None:
    rating = Rating.objects.select_related("rater").get(pk=follow_up.rating_id)
    mobile = _applicant_mobile(rating)
    if not (mobile and is_valid_mobile(mobile)):
        return  # shown on the applicant's rating page all the same
    outcome = follow_up.outcome
    if len(outcome) > SMS_OUTCOME_CHARS:
        outcome = outcome[:SMS_OUTCOME_CHARS] + "……"
    if not outcome.endswith(("。", "！", "……")):
        outcome += "。"
    enqueue_message(channel=OutboxChannel.SMS, recipient=mobile, template=FOLLOW_UP_SMS, region=follow_up.region,
                    params={"matter": rating.get_matter_display(), "level": rules.level_label(rating.score),
                            "outcome": outcome})


# --- 12333 callback ------------------------------------------------------------------------------------

def ticket_callback(*, actor, ticket: Ticket, score: int, note: str = "") -> Rating:
    """The agent calls the caller of a closed ticket back and records their rating (渠道：电话回访)."""
    _check_input(matter=None, score=score, text=note, text_field="note", text_label="回访记录", limit=rules.NOTE_MAX)
    note = (note or "").strip()
    check(actor, ticket, "callback")
    now = timezone.now()
    with transaction.atomic():
        # Lock the ticket first: a second callback at the same moment waits here and then finds the first.
        called_back = Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("callback_at", flat=True).first()
        if called_back is not None or Rating.objects.filter(matter=RatedMatter.TICKET, matter_id=ticket.pk).exists():
            raise _already_rated("该工单已回访或来电人已评价，不能重复登记。")
        locked = transition(actor, ticket, "callback", code=ServiceErrorCode.CALLBACK_NOT_CLOSED, region=ticket.region,
                            changes={"callback_at": now, "callback_score": score, "callback_note": note},
                            details={"score": score})
        TicketEvent.objects.create(ticket=locked, event_type=TicketEventType.CALLED_BACK, actor=actor,
                                   actor_label=str(actor)[:100], details={"score": score, "note": note})
        rating = Rating.objects.create(region=locked.region, matter=RatedMatter.TICKET, matter_id=locked.pk,
                                       case=locked.case, channel=RatingChannel.CALLBACK, score=score, comment=note,
                                       rater=None, recorded_by=actor)
        follow_up = _open_follow_up(rating)
        record_event(actor=actor, event_type="service_rating.created", target=rating, region=rating.region,
                     details={"matter": RatedMatter.TICKET.value, "matter_id": locked.pk, "score": score,
                              "channel": RatingChannel.CALLBACK.value,
                              "follow_up_due": follow_up.due_date.isoformat() if follow_up else None})
    return rating
