"""现场稽核 pages: the campaign planner (institutions, cross-county teams, automatic and manual
assignment), the tablet page of a visit (checklist saved item by item with htmx, findings with photos
and documents, the notice, the follow-up), the campaign report (printable), and the institution's
notices with its rectification report."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, get_for, may, permit
from gongshang.accounts.choices import Audience, StaffRole
from gongshang.accounts.models import User
from gongshang.core.errors import DomainError
from gongshang.core.files.serving import stored_file_response
from gongshang.core.regions import children
from gongshang.core.validators import ascii_digits

from ..choices import FraudPattern, InstitutionKind
from ..models import AuditCampaign, AuditTeam, AuditVisit
from ..rules import checklist as rules_checklist
from ..selectors import audits as s
from ..services import audits as services

VISITS = AuditVisit.objects.select_related("institution", "campaign", "team")


def _refusal(request, exc: DomainError) -> None:
    fields = getattr(exc, "errors", None) or {}
    messages.error(request, exc.message if not fields else "；".join(fields.values()))


def _date(value: str, field: str, label: str):
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise DomainError("validation_error", f"{label}格式不正确，请按“2026-03-01”的格式填写。",
                          details=[{"field": field, "message": f"请填写{label}"}], status=422) from None


def _counties(region: str) -> list:
    return [(c.code, c.name) for c in children(region)] if region else []


# --- campaigns -----------------------------------------------------------------------------------------

@permit("medical_audit_campaign", "view")
def campaign_list(request):
    return render(request, "medical/audits/campaign_list.html", {
        "campaigns": [s.campaign_dict(c, actor=request.user) for c in s.campaign_list(actor=request.user)[:200]],
        "can_create": may(request.user, "medical_audit_campaign", "create"),
        "kinds": InstitutionKind.choices, "counties": _counties(request.user.jurisdiction),
        "today": timezone.localdate()})


@require_POST
@permit("medical_audit_campaign", "create")
def campaign_create(request):
    try:
        campaign = services.campaign_create(
            actor=request.user, name=request.POST.get("name", ""),
            starts_on=_date(request.POST.get("starts_on"), "starts_on", "开始日期"),
            ends_on=_date(request.POST.get("ends_on"), "ends_on", "结束日期"),
            kinds=request.POST.getlist("kinds"), counties=request.POST.getlist("counties"))
    except DomainError as exc:
        _refusal(request, exc)
        return redirect("medical:audit_campaigns")
    messages.success(request, f"已新建稽核计划“{campaign.name}”，纳入 {campaign.visits.count()} 家协议机构。"
                              "下一步：组建稽核组并分配机构。")
    return redirect("medical:audit_campaign", pk=campaign.pk)


def _campaign(request, pk, action="view") -> AuditCampaign:
    return get_for(request.user, AuditCampaign, pk, action)


@permit("medical_audit_campaign", "view")
def campaign_detail(request, pk):
    campaign = _campaign(request, pk)
    data = s.campaign_dict(campaign, actor=request.user, detail=True)
    inspectors = []
    if "edit" in data["actions"]:
        in_use = {m["user_id"] for t in data["teams"] for m in t["members"]}
        inspectors = [u for u in User.objects.filter(kind=Audience.STAFF, jurisdiction=campaign.region,
                                                     role_assignments__role__in=[StaffRole.INSPECTOR,
                                                                                 StaffRole.COOPERATOR])
                      .distinct().order_by("display_name", "pk") if u.pk not in in_use]
    return render(request, "medical/audits/campaign_detail.html", {
        "campaign": data, "inspectors": inspectors, "counties": _counties(campaign.region),
        "problems": request.session.pop(f"audit-assign-{campaign.pk}", [])})


@require_POST
@permit("medical_audit_campaign", "edit")
def team_create(request, pk):
    campaign = _campaign(request, pk, "edit")
    members = []
    for user_id in request.POST.getlist("user"):
        user = User.objects.filter(pk=user_id if ascii_digits(user_id) else 0).first()
        if user is None:
            continue
        members.append((user, request.POST.get(f"county_{user_id}", ""),
                        request.POST.get("leader") == user_id))
    try:
        team = services.team_create(actor=request.user, campaign=campaign, name=request.POST.get("name", ""),
                                    members=members)
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已组建{team.name}（{len(members)} 人）。")
    return redirect("medical:audit_campaign", pk=pk)


@require_POST
@permit("medical_audit_campaign", "edit")
def campaign_assign(request, pk):
    campaign = _campaign(request, pk, "edit")
    try:
        result = services.campaign_assign(actor=request.user, campaign=campaign)
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已按异地交叉原则分配 {len(result.teams)} 家机构。")
        if result.problems:
            request.session[f"audit-assign-{pk}"] = [reason for _vid, reason in result.problems]
    return redirect("medical:audit_campaign", pk=pk)


@require_POST
@permit("medical_audit_campaign", "edit")
def visit_team(request, pk):
    visit = get_for(request.user, VISITS, pk, "view")
    team_id = request.POST.get("team", "")
    team = AuditTeam.objects.filter(pk=team_id, campaign=visit.campaign).first() if ascii_digits(team_id) else None
    if team_id and team is None:
        # A team of another campaign or none at all: say so, never unassign silently.
        messages.error(request, "所选稽核组不属于本稽核计划，请从列表中重新选择；该机构的分组未作改动。")
        return redirect("medical:audit_campaign", pk=visit.campaign_id)
    try:
        services.visit_set_team(actor=request.user, visit=visit, team=team)
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"“{visit.institution.name}”已改由{team.name if team else '（未分配）'}检查。")
    return redirect("medical:audit_campaign", pk=visit.campaign_id)


def _campaign_step(request, pk, action, call, done):
    campaign = _campaign(request, pk, action)
    try:
        call(campaign)
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, done)
    return redirect("medical:audit_campaign", pk=pk)


@require_POST
@permit("medical_audit_campaign", "start")
def campaign_start(request, pk):
    return _campaign_step(request, pk, "start", lambda c: services.campaign_start(actor=request.user, campaign=c),
                          "稽核计划已开始检查，各组可在“我的稽核任务”中逐家登记。")


@require_POST
@permit("medical_audit_campaign", "report")
def campaign_report_step(request, pk):
    return _campaign_step(request, pk, "report", lambda c: services.campaign_report(actor=request.user, campaign=c),
                          "已进入整改与汇总阶段。")


@require_POST
@permit("medical_audit_campaign", "close")
def campaign_close(request, pk):
    return _campaign_step(request, pk, "close",
                          lambda c: services.campaign_close(actor=request.user, campaign=c,
                                                            report=request.POST.get("report", "")),
                          "稽核计划已结束。")


@permit("medical_audit_campaign", "view")
def campaign_report(request, pk):
    campaign = _campaign(request, pk)
    return render(request, "medical/audits/report.html", {"report": s.campaign_report(campaign),
                                                          "print": request.GET.get("print") == "1"})


@permit("medical_audit_campaign", "view")
def campaign_report_pdf(request, pk):
    from django.http import HttpResponse

    from gongshang.core.documents.rendering import render_pdf
    from gongshang.core.files.serving import content_disposition

    campaign = _campaign(request, pk)
    try:
        data = render_pdf("medical/audits/pdf_report.html", {"report": s.campaign_report(campaign)})
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("medical:audit_report", pk=pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"稽核汇总-{campaign.name}.pdf")
    return response


# --- the visit (tablet) --------------------------------------------------------------------------------

@permit("medical_audit_visit", "record")
def my_visits(request):
    return render(request, "medical/audits/my_visits.html",
                  {"visits": [s.visit_dict(v, actor=request.user) for v in s.my_visits(actor=request.user)[:300]]})


def _visit(request, pk, action="view") -> AuditVisit:
    return get_for(request.user, VISITS, pk, action)


def _visit_context(request, visit) -> dict:
    data = s.visit_dict(visit, actor=request.user, detail=True)
    member = services.is_member(request.user, visit)
    progress = rules_checklist.progress(visit.institution.kind, visit.checklist or {})
    return {"visit": data, "visit_obj": visit, "member": member,
            "can_record": member and "record" in data["actions"] and visit.campaign.status == "in_progress",
            "progress": progress, "results": rules_checklist.RESULTS, "patterns": FraudPattern.choices,
            "findings": visit.findings.prefetch_related("files"),
            "notice_draft": services.notice_text(visit) if "notify" in data["actions"] else "",
            "rectify_days": services.rectify_days(visit.campaign.region, visit.visited_on or timezone.localdate())}


@permit("medical_audit_visit", "view")
def visit_detail(request, pk):
    visit = _visit(request, pk)
    if request.user.kind != Audience.STAFF:
        return redirect("medical:my_audit_notice", pk=pk)
    return render(request, "medical/audits/visit.html", _visit_context(request, visit))


@require_POST
@permit("medical_audit_visit", "record")
def visit_answer(request, pk):
    """One checklist item, saved as the team goes; htmx swaps the item with what was saved."""
    visit = _visit(request, pk, "record")
    code = request.POST.get("item", "")
    error = ""
    try:
        visit = services.visit_answer(actor=request.user, visit=visit, item=code,
                                      result=request.POST.get("result", ""), note=request.POST.get("note", ""))
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        error = exc.message if not getattr(exc, "errors", None) else "；".join(exc.errors.values())
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect("medical:audit_visit", pk=pk)
    item = next((i for sec in s.visit_sections(visit) for i in sec["items"] if i["code"] == code), None)
    if item is None:
        raise Http404
    return render(request, "medical/audits/_item.html", {
        "item": item, "visit": {"id": visit.pk}, "results": rules_checklist.RESULTS, "can_record": True,
        "saved": not error, "error": error,
        "oob_progress": rules_checklist.progress(visit.institution.kind, visit.checklist or {})},
        status=422 if error else 200)


@require_POST
@permit("medical_audit_visit", "record")
def visit_finding(request, pk):
    visit = _visit(request, pk, "record")
    try:
        services.finding_add(actor=request.user, visit=visit, pattern=request.POST.get("pattern", ""),
                             description=request.POST.get("description", ""),
                             amount=request.POST.get("amount", "") or "0",
                             checklist_item=request.POST.get("checklist_item", ""),
                             uploads=request.FILES.getlist("files"))
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        _refusal(request, exc)
    else:
        messages.success(request, "已登记该问题及其照片、文件。")
    return redirect("medical:audit_visit", pk=pk)


@permit("medical_audit_visit", "view")
def visit_file(request, pk, file_id):
    visit = _visit(request, pk)
    stored = None
    for finding in visit.findings.all():
        stored = finding.files.filter(pk=file_id).first()
        if stored is not None:
            break
    if stored is None:
        raise Http404
    return stored_file_response(stored, title=f"稽核发现-{visit.institution.name}",
                                inline=False)


@require_POST
@permit("medical_audit_visit", "notify")
def visit_notify(request, pk):
    visit = _visit(request, pk, "notify")
    try:
        visit = services.visit_notify(actor=request.user, visit=visit, text=request.POST.get("text", ""))
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已下达整改通知，整改期限 {visit.rectify_by:%Y-%m-%d}；机构可在平台查看并报送整改情况。")
    return redirect("medical:audit_visit", pk=pk)


@require_POST
@permit("medical_audit_visit", "close")
def visit_close(request, pk):
    visit = _visit(request, pk, "close")
    try:
        services.visit_close(actor=request.user, visit=visit, follow_up=request.POST.get("follow_up", ""))
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, "已复查销号。")
    return redirect("medical:audit_visit", pk=pk)


# --- the institution -------------------------------------------------------------------------------------

@permit("medical_audit_visit", "view")
def my_audit_notices(request):
    rows = s.notices_for_institution(actor=request.user).prefetch_related("deductions")[:200]
    return render(request, "medical/audits/my_notices.html", {"notices": [s.notice_dict(v) for v in rows]})


@permit("medical_audit_visit", "view")
def my_audit_notice(request, pk):
    visit = _visit(request, pk)
    if not visit.notice_text:
        raise Http404
    return render(request, "medical/audits/my_notice.html", {
        "notice": s.notice_dict(visit), "actions": allowed_actions(request.user, visit),
        "findings": visit.findings.all()})


@require_POST
@permit("medical_audit_visit", "respond")
def my_audit_respond(request, pk):
    visit = _visit(request, pk, "respond")
    try:
        services.visit_respond(actor=request.user, visit=visit, text=request.POST.get("text", ""))
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, "整改情况已报送，稽核人员复查后销号。")
    return redirect("medical:my_audit_notice", pk=pk)


urlpatterns = [
    path("audits/", campaign_list, name="audit_campaigns"),
    path("audits/new/", campaign_create, name="audit_campaign_create"),
    path("audits/<int:pk>/", campaign_detail, name="audit_campaign"),
    path("audits/<int:pk>/teams/", team_create, name="audit_team_create"),
    path("audits/<int:pk>/assign/", campaign_assign, name="audit_assign"),
    path("audits/<int:pk>/start/", campaign_start, name="audit_start"),
    path("audits/<int:pk>/to-report/", campaign_report_step, name="audit_to_report"),
    path("audits/<int:pk>/close/", campaign_close, name="audit_close"),
    path("audits/<int:pk>/report/", campaign_report, name="audit_report"),
    path("audits/<int:pk>/report.pdf", campaign_report_pdf, name="audit_report_pdf"),
    path("audits/mine/", my_visits, name="my_audit_visits"),
    path("audits/visits/<int:pk>/", visit_detail, name="audit_visit"),
    path("audits/visits/<int:pk>/team/", visit_team, name="audit_visit_team"),
    path("audits/visits/<int:pk>/answer/", visit_answer, name="audit_visit_answer"),
    path("audits/visits/<int:pk>/findings/", visit_finding, name="audit_visit_finding"),
    path("audits/visits/<int:pk>/files/<int:file_id>/", visit_file, name="audit_visit_file"),
    path("audits/visits/<int:pk>/notice/", visit_notify, name="audit_visit_notify"),
    path("audits/visits/<int:pk>/close/", visit_close, name="audit_visit_close"),
    path("audit-notices/", my_audit_notices, name="my_audit_notices"),
    path("audit-notices/<int:pk>/", my_audit_notice, name="my_audit_notice"),
    path("audit-notices/<int:pk>/respond/", my_audit_respond, name="my_audit_respond"),
]
