"""现场稽核 API: campaigns, cross-county teams, the visit's checklist and findings, the notice, and
the institution's side (its notices, its rectification report). Thin: parse, load-and-check, call a
service, shape."""

from ninja import Query, Router, Status

from gongshang.accounts.access import api_permit, get_for
from gongshang.accounts.models import User
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams
from gongshang.core.errors import FieldErrors

from ..models import AuditCampaign, AuditTeam, AuditVisit
from ..schemas.audits import (
    AuditAnswerIn,
    AuditAssignOut,
    AuditCampaignDetailOut,
    AuditCampaignIn,
    AuditCampaignPageOut,
    AuditCloseIn,
    AuditFindingIn,
    AuditFindingOut,
    AuditNoticeIn,
    AuditNoticePageOut,
    AuditReportOut,
    AuditRespondIn,
    AuditTeamIn,
    AuditTeamOut,
    AuditVisitDetailOut,
    AuditVisitOut,
    AuditVisitTeamIn,
)
from ..selectors import audits as s
from ..services import audits as services

router = Router(tags=["工伤医疗"], auth=bearer)

VISITS = AuditVisit.objects.select_related("institution", "campaign", "team")


def _campaign(request, campaign_id: int, action: str = "view") -> AuditCampaign:
    return get_for(request.auth, AuditCampaign, campaign_id, action)


def _visit(request, visit_id: int, action: str = "view") -> AuditVisit:
    return get_for(request.auth, VISITS, visit_id, action)


def _detail(request, campaign) -> dict:
    return s.campaign_dict(campaign, actor=request.auth, detail=True)


@router.get("/audit-campaigns", response=AuditCampaignPageOut, summary="现场稽核计划列表")
@api_permit("medical_audit_campaign", "view")
def list_campaigns(request, page: Query[PageParams]):
    rows = s.campaign_list(actor=request.auth)
    return {"count": rows.count(), "limit": page.limit, "offset": page.offset,
            "items": [s.campaign_dict(c, actor=request.auth) for c in rows[page.offset:page.offset + page.limit]]}


@router.post("/audit-campaigns", response={201: AuditCampaignDetailOut},
             summary="新建稽核计划：默认纳入本统筹区协议有效的全部机构，可按机构类别、区县筛选或指定机构")
@api_permit("medical_audit_campaign", "create")
def create_campaign(request, payload: AuditCampaignIn):
    campaign = services.campaign_create(actor=request.auth, name=payload.name, starts_on=payload.starts_on,
                                        ends_on=payload.ends_on, kinds=payload.kinds, counties=payload.counties,
                                        institution_ids=payload.institution_ids)
    return Status(201, _detail(request, campaign))


@router.get("/audit-campaigns/{campaign_id}", response=AuditCampaignDetailOut, summary="稽核计划详情：稽核组与机构分配")
@api_permit("medical_audit_campaign", "view")
def get_campaign(request, campaign_id: int):
    return _detail(request, _campaign(request, campaign_id))


@router.post("/audit-campaigns/{campaign_id}/teams", response={201: AuditTeamOut},
             summary="组建稽核组：成员须为本统筹区的稽核员，并登记各自所属区县")
@api_permit("medical_audit_campaign", "edit")
def create_team(request, campaign_id: int, payload: AuditTeamIn):
    campaign = _campaign(request, campaign_id, "edit")
    users = {u.pk: u for u in User.objects.filter(pk__in=[m.user_id for m in payload.members])}
    members = []
    for n, m in enumerate(payload.members):
        user = users.get(m.user_id)
        if user is None:
            raise FieldErrors({f"members[{n}].user_id": "没有该账户，请从本统筹区稽核员中选择。"})
        members.append((user, m.county, m.leader))
    team = services.team_create(actor=request.auth, campaign=campaign, name=payload.name, members=members)
    return Status(201, s.team_dict(s.campaign_teams(campaign).get(pk=team.pk)))


@router.post("/audit-campaigns/{campaign_id}/assign", response=AuditAssignOut,
             summary="自动分配（异地交叉）：任何成员都不检查本区县的机构，各组任务均衡；不能分配的机构说明原因")
@api_permit("medical_audit_campaign", "edit")
def assign_campaign(request, campaign_id: int):
    campaign = _campaign(request, campaign_id, "edit")
    result = services.campaign_assign(actor=request.auth, campaign=campaign)
    return {"assigned": len(result.teams),
            "problems": [{"visit_id": vid, "reason": reason} for vid, reason in result.problems],
            "campaign": _detail(request, campaign)}


def _campaign_step(request, campaign_id, action, call):
    campaign = _campaign(request, campaign_id, action)
    call(campaign)
    campaign.refresh_from_db()
    return _detail(request, campaign)


@router.post("/audit-campaigns/{campaign_id}/start", response=AuditCampaignDetailOut, summary="开始检查（全部机构已分配稽核组）")
@api_permit("medical_audit_campaign", "start")
def start_campaign(request, campaign_id: int):
    return _campaign_step(request, campaign_id, "start",
                          lambda c: services.campaign_start(actor=request.auth, campaign=c))


@router.post("/audit-campaigns/{campaign_id}/report", response=AuditCampaignDetailOut,
             summary="进入整改与汇总（全部机构已现场检查）")
@api_permit("medical_audit_campaign", "report")
def report_campaign(request, campaign_id: int):
    return _campaign_step(request, campaign_id, "report",
                          lambda c: services.campaign_report(actor=request.auth, campaign=c))


@router.post("/audit-campaigns/{campaign_id}/close", response=AuditCampaignDetailOut,
             summary="结束稽核计划（全部机构已复查销号）")
@api_permit("medical_audit_campaign", "close")
def close_campaign(request, campaign_id: int):
    return _campaign_step(request, campaign_id, "close",
                          lambda c: services.campaign_close(actor=request.auth, campaign=c))


@router.get("/audit-campaigns/{campaign_id}/summary", response=AuditReportOut,
            summary="稽核汇总：检查机构数，按问题类型和稽核组的问题数与追回金额，未完成整改与逾期整改")
@api_permit("medical_audit_campaign", "view")
def campaign_summary(request, campaign_id: int):
    return s.report_dict(s.campaign_report(_campaign(request, campaign_id)))


@router.get("/audit-visits/{visit_id}", response=AuditVisitDetailOut, summary="一家机构的现场稽核：检查表、稽核发现、整改通知")
@api_permit("medical_audit_visit", "view")
def get_visit(request, visit_id: int):
    return s.visit_dict(_visit(request, visit_id), actor=request.auth, detail=True)


@router.put("/audit-visits/{visit_id}/team", response=AuditVisitOut,
            summary="调整该机构的稽核组；组内有该机构所在区县成员的，答 422 audit_team_own_county")
@api_permit("medical_audit_campaign", "edit")
def set_visit_team(request, visit_id: int, payload: AuditVisitTeamIn):
    visit = get_for(request.auth, VISITS, visit_id, "view")
    team = None
    if payload.team_id is not None:
        team = AuditTeam.objects.filter(pk=payload.team_id, campaign=visit.campaign).first()
        if team is None:
            raise FieldErrors({"team_id": "请选择本稽核计划的稽核组。"})
    visit = services.visit_set_team(actor=request.auth, visit=visit, team=team)
    return s.visit_dict(visit, actor=request.auth)


@router.post("/audit-visits/{visit_id}/answers", response=AuditVisitDetailOut,
             summary="登记一项检查结果（符合/不符合/不适用及说明）；仅分配到该机构的稽核组成员")
@api_permit("medical_audit_visit", "record")
def answer_visit(request, visit_id: int, payload: AuditAnswerIn):
    visit = _visit(request, visit_id, "record")
    visit = services.visit_answer(actor=request.auth, visit=visit, item=payload.item, result=payload.result,
                                  note=payload.note)
    return s.visit_dict(_visit(request, visit_id), actor=request.auth, detail=True)


@router.post("/audit-visits/{visit_id}/findings", response={201: AuditFindingOut},
             summary="登记稽核发现（问题类型、描述、追回金额）；照片与文件在平板页面上传")
@api_permit("medical_audit_visit", "record")
def add_finding(request, visit_id: int, payload: AuditFindingIn):
    visit = _visit(request, visit_id, "record")
    finding = services.finding_add(actor=request.auth, visit=visit, pattern=payload.pattern,
                                   description=payload.description, amount=payload.amount,
                                   checklist_item=payload.checklist_item)
    return Status(201, s.finding_dict(finding))


@router.post("/audit-visits/{visit_id}/notice", response=AuditVisitOut,
             summary="下达整改通知：整改期限 = 检查日期 + 地区整改期限（默认30日）；有追回金额的问题生成扣减，在下一期月度结算中扣回")
@api_permit("medical_audit_visit", "notify")
def notify_visit(request, visit_id: int, payload: AuditNoticeIn):
    visit = services.visit_notify(actor=request.auth, visit=_visit(request, visit_id, "notify"), text=payload.text)
    return s.visit_dict(visit, actor=request.auth)


@router.post("/audit-visits/{visit_id}/close", response=AuditVisitOut,
             summary="复查销号：机构报送整改后，或整改期限届满未报送（记录逾期）")
@api_permit("medical_audit_visit", "close")
def close_visit(request, visit_id: int, payload: AuditCloseIn):
    visit = services.visit_close(actor=request.auth, visit=_visit(request, visit_id, "close"),
                                 follow_up=payload.follow_up)
    return s.visit_dict(visit, actor=request.auth)


@router.get("/audit-notices", response=AuditNoticePageOut, summary="本机构收到的稽核整改通知")
@api_permit("medical_audit_visit", "view")
def list_notices(request, page: Query[PageParams]):
    rows = s.notices_for_institution(actor=request.auth).prefetch_related("deductions")
    return {"count": rows.count(), "limit": page.limit, "offset": page.offset,
            "items": [s.notice_dict(v) for v in rows[page.offset:page.offset + page.limit]]}


@router.post("/audit-visits/{visit_id}/respond", response=AuditVisitOut, summary="机构报送整改情况")
@api_permit("medical_audit_visit", "respond")
def respond_visit(request, visit_id: int, payload: AuditRespondIn):
    visit = services.visit_respond(actor=request.auth, visit=_visit(request, visit_id, "respond"), text=payload.text)
    return s.visit_dict(visit, actor=request.auth)
