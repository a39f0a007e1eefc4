"""Quick-report reads through the one access model (QuickReport.access: staff their 统筹区,
employers the reports naming them or made by them, individuals their own and their accidents')."""

from django.db.models import Prefetch

from gongshang.accounts.access import get_for, restrict
from gongshang.core.counting import capped_count
from gongshang.core.pii.masking import mask_id_number, mask_mobile, mask_name

from .models import QuickReport, QuickReportEvent
from .rules import WORKFLOW

PAGE_SIZE = 50


def _reports():
    return QuickReport.objects.select_related("accident", "employer")


def quick_report_list(*, actor, action: str = "view", status: str = "", flag: str = "", unread: bool = False,
                      date_from=None, date_to=None, q: str = ""):
    qs = restrict(actor, _reports(), action)
    if status:
        qs = qs.filter(status=status)
    if unread:
        qs = qs.filter(first_viewed_at__isnull=True)
    if date_from:
        qs = qs.filter(submitted_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(submitted_at__date__lte=date_to)
    if q:
        qs = qs.filter(accident__cases__number__icontains=q.strip()).distinct()
    if flag:
        # flag_index is ",a,b,": a plain LIKE, the same on SQLite and PostgreSQL (JSON contains is not).
        qs = qs.filter(flag_index__contains=f",{flag},")
    return qs.order_by("-submitted_at", "-pk")


def with_rows(qs):
    """What staff_row reads, fetched in a fixed number of queries for the whole page."""
    from gongshang.cases.models import InjuryCase

    return qs.prefetch_related(Prefetch("accident__cases", queryset=InjuryCase.objects.order_by("pk")))


def page(qs, *, limit: int = PAGE_SIZE, offset: int = 0):
    limit = max(1, min(int(limit or PAGE_SIZE), 200))
    offset = max(0, int(offset or 0))
    return list(with_rows(qs)[offset:offset + limit])


def quick_report_get(*, actor, report_id: int, action: str = "view") -> QuickReport:
    """Load-and-check: missing and out-of-scope reports 404; in scope but `action` not allowed 403."""
    return get_for(actor, _reports(), report_id, action)


def unread_count_capped(*, actor) -> tuple[int, bool]:
    """(count, capped): unread reports, counted up to the lists' cap."""
    return capped_count(quick_report_list(actor=actor, action="queue", unread=True))


def unread_count(*, actor) -> int:
    return unread_count_capped(actor=actor)[0]


def masked_person(case) -> dict:
    return {"case_number": case.number, "name": mask_name(case.injured_name),
            "id_number": mask_id_number(case.injured_id_number), "mobile": mask_mobile(case.injured_mobile),
            "body_part": case.body_part, "injury_type": case.injury_type, "status": case.status,
            "green_channel": case.green_channel}


def current_media(report):
    return report.media.filter(replaced_by__isnull=True).select_related("original", "watermarked")


def all_media(report):
    return report.media.select_related("original", "watermarked").order_by("pk")


def timeline(report):
    return QuickReportEvent.objects.filter(report=report).select_related("actor").order_by("created_at", "pk")


def supplement_closed_reason(report) -> str:
    """Why the report may no longer be supplemented ("" while it may): closed as invalid, or a
    recognition application for one of its cases accepted (the facts are then the application's;
    a withdrawn application leaves the report open again)."""
    from gongshang.recognition.models import RecognitionApplication
    from gongshang.recognition.rules import workflow

    if not WORKFLOW.can("supplement", report.status):
        return "该快报已关闭，不能再补充；如有疑问请联系经办机构或拨打 12333。"
    accepted_on = (RecognitionApplication.objects
                   .filter(case__accident_id=report.accident_id, accepted_on__isnull=False)
                   .exclude(status=workflow.WITHDRAWN).order_by("accepted_on")
                   .values_list("accepted_on", flat=True).first())
    if accepted_on is None:
        return ""
    return (f"该案件的工伤认定申请已于 {accepted_on:%Y-%m-%d} 受理，快报不能再补充或更正；"
            "如需更正姓名、身份证号或事故时间等信息，请联系受理的经办机构。")
