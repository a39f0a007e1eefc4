"""The staff workbench dashboard: one panel per queue the role works, with its counts (due today,
overdue, by stage) and a small chart. Every count is read through the queue's own selector (which
starts from `restrict`), and a queue is shown only when the matrix gives the role the action its
page needs, so a role sees the numbers of its own work and the three administrators see none."""

from django.db.models import Count
from django.urls import reverse

from gongshang.accounts.access import may


def _by_stage(qs, field: str, labels: dict, order) -> list[dict]:
    counts = {row[field]: row["n"] for row in qs.order_by().values(field).annotate(n=Count("pk"))}
    return [{"label": str(labels[value]), "count": counts.get(value, 0)} for value in order]


def _quick_reports(user) -> dict:
    from gongshang.quickreports import selectors
    from gongshang.quickreports.choices import ReportStatus

    qs = selectors.quick_report_list(actor=user, action="queue").filter(
        status__in=[ReportStatus.NEW, ReportStatus.RECEIVED])
    return {"key": "quick_reports", "title": "工伤快报", "url": reverse("quickreports:inbox"),
            "total": qs.count(), "figures": [{"label": "未读", "count": selectors.unread_count(actor=user)}],
            "stages": _by_stage(qs, "status", dict(ReportStatus.choices), [ReportStatus.NEW, ReportStatus.RECEIVED])}


def _recognition(user) -> dict:
    from gongshang.core.workdays.calendar import today
    from gongshang.recognition import selectors
    from gongshang.recognition.choices import ApplicationStatus
    from gongshang.recognition.rules import workflow

    order = [s for s in ApplicationStatus.values if s in workflow.OPEN]
    qs = selectors.staff_queue(actor=user, status=order)
    day = today()
    return {"key": "recognition", "title": "工伤认定", "url": reverse("recognition:staff_queue", kwargs={"view": "open"}),
            "total": qs.count(),
            "figures": [{"label": "今日到期", "count": qs.filter(due_on=day).count()},
                        {"label": "已超期", "count": qs.filter(due_on__lt=day).count(), "alert": True}],
            "stages": _by_stage(qs, "status", dict(ApplicationStatus.choices), order)}


def _enrolment_changes(user) -> dict:
    from gongshang.registry import selectors
    from gongshang.registry.choices import ChangeDirection

    counts = selectors.pending_change_counts(actor=user)
    labels = dict(ChangeDirection.choices)
    stages = [{"label": str(labels[d]), "count": counts.get(d, 0)} for d in ChangeDirection.values]
    return {"key": "enrolment_changes", "title": "增减员待确认", "url": reverse("registry:staff_changes"),
            "total": sum(s["count"] for s in stages), "figures": [], "stages": stages}


def _employers(user) -> dict:
    from gongshang.registry import selectors
    from gongshang.registry.choices import EmployerStatus

    qs = selectors.employer_list(actor=user).filter(status=EmployerStatus.PENDING)
    total = qs.count()
    return {"key": "employers", "title": "参保单位待核验", "url": reverse("registry:staff_employers"),
            "total": total, "figures": [], "stages": [{"label": str(EmployerStatus.PENDING.label), "count": total}]}


def _entitlements(user) -> dict:
    from gongshang.benefits import selectors
    from gongshang.benefits.choices import EntitlementStatus

    order = [EntitlementStatus.PENDING, EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED]
    qs = selectors.entitlement_list(actor=user).filter(status__in=order)
    stages = _by_stage(qs, "status", dict(EntitlementStatus.choices), order)
    return {"key": "entitlements", "title": "工伤待遇", "url": reverse("benefits:entitlement_list"),
            "total": stages[0]["count"], "total_label": "待审核", "figures": [], "stages": stages}


def _payroll(user) -> dict:
    from gongshang.benefits import selectors
    from gongshang.benefits.choices import RunStatus

    order = [RunStatus.COMPUTING, RunStatus.COMPUTED, RunStatus.APPROVED, RunStatus.RELEASED]
    qs = selectors.run_list(actor=user).filter(status__in=order)
    return {"key": "payroll", "title": "月度发放", "url": reverse("benefits:payroll_list"),
            "total": qs.count(), "total_label": "未对账批次", "figures": [],
            "stages": _by_stage(qs, "status", dict(RunStatus.choices), order)}


# (kind, action the queue's page needs, builder): the same gates as the menu entries.
QUEUES = [
    ("quick_report", "queue", _quick_reports),
    ("recognition_application", "queue", _recognition),
    ("enrolment_change", "confirm", _enrolment_changes),
    ("employer", "verify", _employers),
    ("entitlement", "create", _entitlements),
    ("payroll_run", "create", _payroll),
]


def queues_for(user) -> list[dict]:
    return [build(user) for kind, action, build in QUEUES if may(user, kind, action)]


def chart_data(queues) -> list[dict]:
    """What the static chart script reads (through json_script): per queue, its stage labels and counts."""
    return [{"key": q["key"], "title": q["title"], "labels": [s["label"] for s in q["stages"]],
             "counts": [s["count"] for s in q["stages"]]} for q in queues]
