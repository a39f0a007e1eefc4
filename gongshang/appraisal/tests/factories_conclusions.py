"""Test helpers of the conclusions part: an application the panel has examined (exam record and one
signed opinion), written directly; the conclusion itself always goes through the services."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..models import AppraisalBatch, ExamRecord, ExpertOpinion, PanelDraw, PanelMember
from .factories import make_application, make_batch, make_expert, make_site


def examined(*, case, creator, apr, kind="initial", grade=7, self_care="", batch=None, items=("5.7.2.16",),
             **fields):
    """An application of `case` examined in `batch` (a past batch, status examined, by default) with
    the panel's proposal `grade`/`self_care` and one expert's opinion."""
    if batch is None:
        site = make_site()
        batch = make_batch(site, apr, exam_on=date(2026, 2, 20), status="examined")
    fields.setdefault("received_on", date(2026, 1, 5))
    fields.setdefault("accepted_on", date(2026, 1, 8))
    application = make_application(case=case, creator=creator, kind=kind, status="examined", batch=batch, **fields)
    at = datetime(2026, 2, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    ExamRecord.objects.create(application=application, proposed_grade=grade if kind in ("initial", "second", "review")
                              else None, proposed_self_care=self_care, examined_at=at,
                              proposal={"text": "专家组一致意见"})
    expert = make_expert()
    draw = PanelDraw.objects.create(batch=batch, seed="s" * 16, pool_sha256="0" * 64, drawn_by=apr)
    PanelMember.objects.create(application=application, draw=draw, expert=expert, category="ortho", is_chair=True)
    ExpertOpinion.objects.create(application=application, expert=expert, grade=grade, self_care=self_care,
                                 standard_items=list(items), text="右手食指缺失，符合七级", signature="a" * 64)
    return application


def batch_of(application) -> AppraisalBatch:
    return AppraisalBatch.objects.get(pk=application.batch_id)
