"""好差评 shapes for pages and the API: a rating (with its follow-up), a follow-up for staff (the
rater's name masked), a matter awaiting a rating, the report's lines, and the rating prompt other
pages include (`service/ratings/_rate_prompt.html` with `rate_prompt`)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from gongshang.core.pii.masking import mask_name
from gongshang.core.regions import full_name
from gongshang.core.workdays.calendar import days_left

from ..choices import FollowUpStatus, RatedMatter, RatingChannel
from ..rules import ratings as rules


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _shown(moment) -> str:
    """Local time for pages: 2026-03-10 10:00."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def levels() -> list[dict]:
    """The five levels, best first, for the star forms."""
    return [{"score": score, "label": label} for score, label in rules.LEVELS.items()]


def matter_title(rating) -> str:
    label = rating.get_matter_display()
    return f"{label}（案件 {rating.case.number}）" if rating.case_id else label


def follow_up_dict(follow_up, *, today: date | None = None, for_staff: bool = False) -> dict:
    today = today or timezone.localdate()
    closed_on = timezone.localdate(follow_up.closed_at) if follow_up.closed_at else None
    standing = rules.timeliness(follow_up.due_date, closed_on, today)
    data = {
        "id": follow_up.pk,
        "status": follow_up.status,
        "status_label": FollowUpStatus(follow_up.status).label,
        "due_date": follow_up.due_date,
        "days_left": days_left(follow_up.due_date, today) if follow_up.status == FollowUpStatus.OPEN else None,
        "timeliness": standing,
        "timeliness_label": rules.TIMELINESS_LABELS[standing],
        "overdue": standing == rules.OVERDUE,
        "outcome": follow_up.outcome or "",
        "closed_at": _iso(follow_up.closed_at),
        "told_at": _iso(follow_up.told_at),
        "closed_at_shown": _shown(follow_up.closed_at),
    }
    if data["days_left"] is not None and data["days_left"] < 0:
        data["days_overdue"] = -data["days_left"]
    if for_staff:
        data["closed_by"] = str(follow_up.closed_by) if follow_up.closed_by_id else ""
    return data


def rater_label(rating) -> str:
    """Who rated, for staff: the name masked (PIPL: masked in lists); a callback names the agent."""
    if rating.channel == RatingChannel.CALLBACK:
        return f"来电人（电话回访：{rating.recorded_by}）" if rating.recorded_by_id else "来电人（电话回访）"
    if rating.rater_id is None:
        return ""
    name = mask_name(rating.rater.display_name) or "评价人"
    kind = "单位" if rating.rater.kind == "employer" else "个人"
    return f"{name}（{kind}）"


def rating_dict(rating, *, today: date | None = None, for_staff: bool = False) -> dict:
    follow_up = getattr(rating, "follow_up", None)  # the reverse one-to-one raises AttributeError when absent
    data = {
        "id": rating.pk,
        "matter": rating.matter,
        "matter_label": RatedMatter(rating.matter).label,
        "matter_id": rating.matter_id,
        "title": matter_title(rating),
        "case_number": rating.case.number if rating.case_id else None,
        "region": rating.region,
        "region_name": full_name(rating.region) or rating.region,
        "channel": rating.channel,
        "channel_label": RatingChannel(rating.channel).label,
        "score": rating.score,
        "level": rules.level_label(rating.score),
        "bad": rules.opens_follow_up(rating.score),
        "comment": rating.comment or "",
        "rated_at": _iso(rating.rated_at),
        "rated_at_shown": _shown(rating.rated_at),
        "follow_up": follow_up_dict(follow_up, today=today, for_staff=for_staff) if follow_up else None,
    }
    if for_staff:
        data["rater"] = rater_label(rating)
    return data


def staff_follow_up_dict(follow_up, *, today: date | None = None) -> dict:
    """A follow-up in the staff list: the rating it answers and its due date."""
    rating = follow_up.rating
    return {**follow_up_dict(follow_up, today=today, for_staff=True),
            "rating": {k: v for k, v in rating_dict(rating, today=today, for_staff=True).items() if k != "follow_up"}}


def matter_dict(matter) -> dict:
    return {"matter": str(matter.kind), "matter_id": matter.id, "key": f"{matter.kind}-{matter.id}",
            "matter_label": matter.kind_label,
            "title": matter.title, "finished_on": matter.finished_on,
            "case_number": matter.case.number if matter.case is not None else None}


def figures_dict(f) -> dict:
    def text(value):
        return None if value is None else str(value)

    return {"count": f.count, "average": text(f.average), "good": f.good, "good_share": text(f.good_share),
            "bad": f.bad, "bad_share": text(f.bad_share), "follow_ups": f.follow_ups,
            "follow_ups_on_time": f.follow_ups_on_time, "follow_ups_late": f.follow_ups_late,
            "follow_ups_open": f.follow_ups_open, "follow_ups_overdue": f.follow_ups_overdue,
            "on_time_share": text(f.on_time_share)}


def report_dict(report: dict) -> dict:
    return {
        "rows": [{"region": r["region"], "region_name": r["region_name"], "matter": r["matter"],
                  "matter_label": r["matter_label"], **figures_dict(r["figures"])} for r in report["rows"]],
        "months": [{"month": f"{m['month']:%Y-%m}", **figures_dict(m["figures"])} for m in report["months"]],
        "total": figures_dict(report["total"]),
    }


def rate_prompt(actor, matter: str, matter_id: int) -> dict | None:
    """What `service/ratings/_rate_prompt.html` shows on another part's page (pass it as
    `rate_prompt`): the star form when `actor` applied for this finished matter and has not rated
    it, their rating (and any follow-up outcome) when they have, None otherwise (nothing shown)."""
    from gongshang.accounts.access import may
    from gongshang.core.errors import DomainError

    from ..models import Rating
    from ..selectors.ratings_matters import matter_for

    if not may(actor, "service_rating", "create"):
        return None
    try:
        found = matter_for(actor, matter, matter_id)
    except DomainError:
        return None
    if not found.finished:
        return None
    rated = Rating.objects.select_related("case", "follow_up").filter(matter=matter, matter_id=found.id,
                                                                       rater=actor).first()
    return {"matter": matter_dict(found), "levels": levels(),
            "rating": rating_dict(rated) if rated is not None else None}


def callback_context(actor, ticket) -> dict:
    """What `service/ratings/_callback_form.html` shows on the ticket page (pass it as `callback`):
    the recorded callback, or the form when `actor` may call back now (the matrix and the ticket's
    transition table: a closed ticket)."""
    from gongshang.accounts.access import allowed_actions

    from ..models import Rating

    done = ticket.callback_at is not None
    online = None if done else Rating.objects.filter(matter=RatedMatter.TICKET, matter_id=ticket.pk).first()
    return {
        "ticket_id": ticket.pk,
        "allowed": not done and online is None and "callback" in allowed_actions(actor, ticket),
        "rated_online": {"score": online.score, "level": rules.level_label(online.score)} if online else None,
        "done": done,
        "at": _iso(ticket.callback_at),
        "score": ticket.callback_score,
        "level": rules.level_label(ticket.callback_score) if ticket.callback_score else "",
        "note": ticket.callback_note,
        "levels": levels(),
    }
