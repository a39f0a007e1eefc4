"""现场稽核 reads: every one starts from restrict(actor, ...) (the actor's 统筹区; an institution its
own visits)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from gongshang.accounts.access import restrict

from .choices import FraudPattern, VisitStatus
from .models import AuditCampaign, AuditFinding, AuditTeamMember, AuditVisit
from .rules import checklist as rules_checklist
from .services.audits import county_name

ZERO = Decimal("0.00")


def campaign_list(*, actor):
    return (restrict(actor, AuditCampaign).annotate(n_visits=Count("visits", distinct=True),
                                                    n_teams=Count("teams", distinct=True))
            .order_by("-starts_on", "-pk"))


def campaign_visits(campaign: AuditCampaign):
    return (campaign.visits.select_related("institution", "team")
            .annotate(n_findings=Count("findings"), recovered=Sum("findings__amount"))
            .order_by("institution__county", "institution__code"))


def campaign_teams(campaign: AuditCampaign):
    members = Prefetch("members", queryset=AuditTeamMember.objects.select_related("user").order_by("-leader", "pk"))
    return campaign.teams.prefetch_related(members).annotate(load=Count("visits")).order_by("name")


def my_visits(*, actor):
    """The visits of the teams the actor is a member of (the tablet's start page)."""
    return (restrict(actor, AuditVisit.objects.select_related("institution", "campaign", "team"), "record")
            .filter(team__members__user=actor).order_by("status", "institution__county", "institution__code"))


def notices_for_institution(*, actor):
    """An institution's own visits that have a notice (the institution portal and API)."""
    return (restrict(actor, AuditVisit.objects.select_related("institution", "campaign"))
            .filter(status__in=[VisitStatus.NOTIFIED, VisitStatus.RECTIFIED, VisitStatus.CLOSED])
            .exclude(notice_text="").order_by("-rectify_by", "-pk"))


def visit_sections(visit: AuditVisit) -> list[dict]:
    """The checklist of the visit's institution kind with the answers saved so far."""
    answers = visit.checklist or {}
    sections = []
    for label, items in rules_checklist.sections_for(visit.institution.kind):
        rows = []
        for item in items:
            saved = answers.get(item.code) or {}
            rows.append({"code": item.code, "question": item.question, "look_at": item.look_at,
                         "pattern": item.pattern, "result": saved.get("result", ""),
                         "result_label": rules_checklist.RESULT_LABELS.get(saved.get("result", ""), "未检查"),
                         "note": saved.get("note", ""), "at": saved.get("at", "")})
        sections.append({"label": label, "items": rows})
    return sections


def campaign_report(campaign: AuditCampaign, *, today: date | None = None) -> dict:
    """The campaign's figures: institutions checked, findings and amounts by pattern and by team, open
    notices and overdue rectifications."""
    today = today or timezone.localdate()
    visits = campaign.visits.all()
    findings = AuditFinding.objects.filter(visit__campaign=campaign)
    by_pattern = {row["pattern"]: row for row in
                  findings.values("pattern").annotate(n=Count("pk"), amount=Sum("amount"))}
    patterns = [{"pattern": value, "label": str(label), "findings": by_pattern.get(value, {}).get("n", 0),
                 "amount": by_pattern.get(value, {}).get("amount") or ZERO}
                for value, label in FraudPattern.choices]
    teams = []
    for team in campaign.teams.annotate(
            n_visits=Count("visits", distinct=True),
            n_checked=Count("visits", filter=~Q(visits__status=VisitStatus.PLANNED), distinct=True)).order_by("name"):
        agg = findings.filter(visit__team=team).aggregate(n=Count("pk"), amount=Sum("amount"))
        teams.append({"name": team.name, "visits": team.n_visits, "checked": team.n_checked,
                      "findings": agg["n"], "amount": agg["amount"] or ZERO})
    open_notices = visits.filter(status=VisitStatus.NOTIFIED).select_related("institution").order_by("rectify_by")
    overdue = [v for v in open_notices if v.rectify_by and v.rectify_by < today]
    total = findings.aggregate(n=Count("pk"), amount=Sum("amount"))
    return {
        "campaign": campaign,
        "institutions": visits.count(),
        "checked": visits.exclude(status=VisitStatus.PLANNED).count(),
        "with_findings": visits.filter(findings__isnull=False).distinct().count(),
        "findings": total["n"], "amount": total["amount"] or ZERO,
        "patterns": patterns, "teams": teams,
        "open_notices": [{"institution": v.institution.name, "county": county_name(v.institution.county),
                          "rectify_by": v.rectify_by, "overdue": v in overdue, "visit_id": v.pk}
                         for v in open_notices],
        "overdue": len(overdue),
        "today": today,
    }
