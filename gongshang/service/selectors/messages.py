"""Reads of 案件留言: the case a thread belongs to, the thread, unread counts, the staff inbox and the
applicant's threads. Every read starts from the access model: staff see the threads of the cases of
their 统筹区 when their role is a case desk (受理、调查、审核、鉴定、待遇、综合窗口: the matrix), not
only of the cases assigned to them (a colleague on leave must not leave a worker unanswered);
applicants the threads of their own cases (the worker's, the employer's employees')."""

from django.db.models import Count, Max, Min, Q

from gongshang.accounts.access import in_scope, may, restrict
from gongshang.accounts.choices import Audience
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import Forbidden, NotFound
from gongshang.core.models import PiiAccessLog

from ..models.messages import CaseMessage

REFUSAL = "您的角色不办理案件留言。如确需办理，请联系安全管理员调整角色。"


def is_staff_side(actor) -> bool:
    return getattr(actor, "kind", None) == Audience.STAFF


def case_for(*, actor, case_number: str, action: str = "view") -> InjuryCase:
    """Load-and-check by case number: another person's, employer's or 统筹区's case (or none) answers
    404; a role in scope without `action` on case messages 403."""
    number = str(case_number or "").strip()[:32]
    case = (in_scope(actor, InjuryCase.objects.select_related("employer", "person"))
            .filter(number=number).first()) if number else None
    if case is None:
        raise NotFound("没有找到该案件，或您无权查看。")
    if not is_staff_side(actor) and not may(actor, "case_message", "view"):
        raise NotFound("没有找到该案件，或您无权查看。")
    if not may(actor, "case_message", action):
        raise Forbidden(REFUSAL if is_staff_side(actor) else "该业务不对您的账户类型开放。")
    return case


def thread(*, actor, case, log: bool = True):
    """The case's messages the actor may see, oldest first. A staff reader's view of the content is
    logged once per opening (the messages may hold health and identity details)."""
    rows = list(restrict(actor, CaseMessage.objects.filter(case=case))
                .select_related("attachment__file", "correction_for").order_by("created_at", "pk"))
    if log and rows and is_staff_side(actor):
        PiiAccessLog.objects.create(actor=actor, target_type=case._meta.label_lower, target_id=str(case.pk),
                                    field="messages", purpose="查看案件留言")
    return rows


def _unread_of_other_side(actor):
    return Q(from_staff=not is_staff_side(actor), read_at__isnull=True)


def unread_count(*, actor, case) -> int:
    """Messages of the other side the actor's side has not read yet."""
    return restrict(actor, CaseMessage.objects.filter(case=case)).filter(_unread_of_other_side(actor)).count()


def unread_total(*, actor) -> int:
    return restrict(actor, CaseMessage).filter(_unread_of_other_side(actor)).count()


def staff_inbox(*, actor):
    """Cases of the staff member's 统筹区 with unread applicant messages, the longest waiting first:
    [{"case", "unread", "oldest", "latest"}]."""
    rows = (restrict(actor, CaseMessage).filter(from_staff=False, read_at__isnull=True).values("case_id")
            .annotate(unread=Count("pk"), oldest=Min("created_at"), latest=Max("created_at")).order_by("oldest"))
    return _with_cases(list(rows))


def recent_threads(*, actor, limit: int = 30):
    """The threads with the latest activity (any side), newest first: [{"case", "count", "latest"}]."""
    rows = (restrict(actor, CaseMessage).values("case_id").annotate(count=Count("pk"), latest=Max("created_at"))
            .order_by("-latest")[:limit])
    return _with_cases(list(rows))


def _with_cases(rows: list[dict]) -> list[dict]:
    cases = InjuryCase.objects.in_bulk([r["case_id"] for r in rows])
    return [{**r, "case": cases[r["case_id"]]} for r in rows if r["case_id"] in cases]


def applicant_threads(*, actor):
    """Every case of the worker or employer with its thread's unread count and last message (cases
    without messages too: that is where one writes the first)."""
    from gongshang.cases.journey import my_cases

    cases = list(my_cases(actor=actor))
    stats = {r["case_id"]: r for r in restrict(actor, CaseMessage.objects.filter(case__in=cases)).values("case_id")
             .annotate(count=Count("pk"), latest=Max("created_at"),
                       unread=Count("pk", filter=_unread_of_other_side(actor)))}
    found = [{"case": c, "count": stats.get(c.pk, {}).get("count", 0), "unread": stats.get(c.pk, {}).get("unread", 0),
              "latest": stats.get(c.pk, {}).get("latest")} for c in cases]
    found.sort(key=lambda r: (r["unread"] == 0, r["latest"] is None, -(r["latest"].timestamp() if r["latest"] else 0)))
    return found


def older_threads(*, actor, case) -> list[dict]:
    """Messages kept before the case thread existed: the 劳动能力鉴定 application's own messages
    (shown read-only by link) and the quick report's SMS messages from staff (in the case's 办理记录)."""
    from django.urls import reverse

    from gongshang.appraisal.models import AppraisalApplication, AppraisalMessage

    found = []
    applications = restrict(actor, AppraisalApplication.objects.filter(case=case), "view")
    with_messages = AppraisalMessage.objects.filter(application__in=applications).values("application_id") \
        .annotate(n=Count("pk"))
    for row in with_messages:
        name = "appraisal:staff_detail" if is_staff_side(actor) else "appraisal:detail"
        found.append({"label": f"劳动能力鉴定申请中的留言（{row['n']} 条）",
                      "url": reverse(name, args=[row["application_id"]])})
    if may(actor, "case", "view") and _quick_report_messaged(case):
        found.append({"label": "工伤快报阶段的短信留言（见案件办理记录）",
                      "url": reverse("cases:detail", args=[case.pk]) + "#timeline"})
    return found


def _quick_report_messaged(case) -> bool:
    from gongshang.quickreports.choices import ReportEventType
    from gongshang.quickreports.models import QuickReport

    report = QuickReport.objects.filter(accident_id=case.accident_id).first()
    return report is not None and report.events.filter(event_type=ReportEventType.MESSAGED).exists()
