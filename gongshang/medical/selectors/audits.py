"""现场稽核 reads: every one starts from restrict(actor, ...) (the actor's 统筹区; an institution its
own visits)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from gongshang.accounts.access import restrict

from ..choices import FraudPattern, VisitStatus
from ..models import AuditCampaign, AuditFinding, AuditTeamMember, AuditVisit
from ..rules import checklist as rules_checklist
from ..services.audits import county_name

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


# --- shapes for the API and the pages -----------------------------------------------------------------

def money(value) -> str:
    return f"{(value or ZERO):.2f}"


def visit_dict(visit: AuditVisit, *, actor, detail: bool = False) -> dict:
    from gongshang.accounts.access import allowed_actions

    inst = visit.institution
    data = {"id": visit.pk, "campaign_id": visit.campaign_id, "campaign_name": visit.campaign.name,
            "institution_id": inst.pk, "institution_name": inst.name, "institution_kind": inst.kind,
            "county": inst.county, "county_name": county_name(inst.county),
            "team_id": visit.team_id, "team_name": visit.team.name if visit.team_id else "",
            "status": visit.status, "status_label": visit.get_status_display(), "visited_on": visit.visited_on,
            "rectify_by": visit.rectify_by, "notice_text": visit.notice_text, "rectification": visit.rectification,
            "follow_up": visit.follow_up, "actions": sorted(allowed_actions(actor, visit))}
    if detail:
        data["checklist"] = visit_sections(visit)
        data["findings"] = [finding_dict(f) for f in visit.findings.prefetch_related("files")]
    return data


def finding_dict(finding: AuditFinding) -> dict:
    return {"id": finding.pk, "pattern": finding.pattern, "pattern_label": finding.get_pattern_display(),
            "description": finding.description, "amount": money(finding.amount),
            "checklist_item": finding.checklist_item,
            "files": [f.original_name for f in finding.files.all()]}


def team_dict(team) -> dict:
    return {"id": team.pk, "name": team.name, "load": getattr(team, "load", team.visits.count()),
            "members": [{"user_id": m.user_id, "name": str(m.user), "county": m.county,
                         "county_name": county_name(m.county), "leader": m.leader} for m in team.members.all()]}


def campaign_dict(campaign: AuditCampaign, *, actor, detail: bool = False) -> dict:
    from gongshang.accounts.access import allowed_actions

    data = {"id": campaign.pk, "name": campaign.name, "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
            "status": campaign.status, "status_label": campaign.get_status_display(),
            "institutions": getattr(campaign, "n_visits", None) or campaign.visits.count(),
            "actions": sorted(allowed_actions(actor, campaign))}
    if detail:
        data["teams"] = [team_dict(t) for t in campaign_teams(campaign)]
        data["visits"] = [visit_dict(v, actor=actor) for v in campaign_visits(campaign)]
    return data


def report_dict(report: dict) -> dict:
    return {"campaign_id": report["campaign"].pk, "institutions": report["institutions"],
            "checked": report["checked"], "with_findings": report["with_findings"], "findings": report["findings"],
            "amount": money(report["amount"]),
            "patterns": [{**p, "amount": money(p["amount"])} for p in report["patterns"]],
            "teams": [{**t, "amount": money(t["amount"])} for t in report["teams"]],
            "open_notices": report["open_notices"], "overdue": report["overdue"]}


def notice_dict(visit: AuditVisit) -> dict:
    recovered = sum((d.amount for d in visit.deductions.all()), ZERO)
    return {"id": visit.pk, "campaign_name": visit.campaign.name, "institution_name": visit.institution.name,
            "visited_on": visit.visited_on, "status": visit.status, "status_label": visit.get_status_display(),
            "notice_text": visit.notice_text, "rectify_by": visit.rectify_by, "rectification": visit.rectification,
            "follow_up": visit.follow_up, "recovered": money(recovered)}
