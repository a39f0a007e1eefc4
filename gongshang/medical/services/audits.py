"""现场稽核 services: campaigns, cross-county teams, the visit's checklist and findings, the
rectification notice (with the recoveries it creates) and its follow-up. Every write here; status
changes through core.workflow.transition with the tables of rules/workflow.py."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import check, require
from gongshang.accounts.choices import Audience, StaffRole
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.files.storage import IMAGE_OR_PDF_TYPES, store_upload
from gongshang.core.money import to_fen
from gongshang.core.regions import get_region
from gongshang.core.workflow import transition

from ..choices import AgreementStatus, CampaignStatus, EventType, FraudPattern, VisitStatus
from ..errors import MedicalErrorCode
from ..models import (
    AgreementInstitution,
    AuditCampaign,
    AuditFinding,
    AuditTeam,
    AuditTeamMember,
    AuditVisit,
    Deduction,
)
from ..rules import checklist as rules_checklist
from ..rules import teams as rules_teams
from ..selectors.institutions import setting_for

MAX_FINDING_FILE_BYTES = 20 * 1024 * 1024
MAX_FINDING_FILES = 10


def county_name(code: str) -> str:
    region = get_region(code)
    return region.name if region is not None else code


def rectify_days(region: str, on: date) -> int:
    """整改期限（日）of the region's MedicalSetting in force on `on` (30 when none is entered)."""
    return setting_for(region, on).rectify_days


def _audit(actor, event_type, target, details, region):
    record_event(actor=actor, event_type=str(event_type), target=target, details=details, region=region)


# --- campaign ----------------------------------------------------------------------------------------

def institutions_in_force(region: str, on: date, *, kinds=None, counties=None):
    qs = AgreementInstitution.objects.filter(region=region, status=AgreementStatus.IN_FORCE,
                                             agreement_from__lte=on, agreement_to__gte=on)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if counties:
        qs = qs.filter(county__in=counties)
    return qs.order_by("county", "code")


def _check_dates(starts_on, ends_on):
    if ends_on < starts_on:
        raise FieldErrors({"ends_on": "结束日期不能早于开始日期，请修改。"})


@transaction.atomic
def campaign_create(*, actor, name: str, starts_on: date, ends_on: date, kinds=None, counties=None,
                    institution_ids=None) -> AuditCampaign:
    """A new campaign of the actor's region with its institutions: by default every institution with
    an agreement in force on the first day; `kinds`/`counties` filter; `institution_ids` choose."""
    require(actor, "medical_audit_campaign", "create")
    name = (name or "").strip()
    if not name:
        raise FieldErrors({"name": "请填写稽核计划名称。"})
    _check_dates(starts_on, ends_on)
    region = actor.jurisdiction
    chosen = institutions_in_force(region, starts_on, kinds=kinds, counties=counties)
    if institution_ids is not None:
        ids = set(institution_ids)
        chosen = chosen.filter(pk__in=ids)
        missing = ids - set(chosen.values_list("pk", flat=True))
        if missing:
            raise FieldErrors({"institution_ids": "所选机构中有不属于本统筹区或协议不在有效期内的机构（编号 "
                                                  f"{'、'.join(str(i) for i in sorted(missing))}），请重新选择。"})
    if not chosen.exists():
        raise FieldErrors({"institution_ids": "没有符合条件的协议机构（协议须在开始日期有效），请调整机构类别或区县。"})
    campaign = AuditCampaign.objects.create(region=region, name=name, starts_on=starts_on, ends_on=ends_on,
                                            created_by=actor)
    AuditVisit.objects.bulk_create([AuditVisit(campaign=campaign, institution=i) for i in chosen])
    _audit(actor, EventType.CAMPAIGN_SAVED, campaign, {"institutions": chosen.count()}, region)
    return campaign


def _editable(actor, campaign: AuditCampaign) -> None:
    check(actor, campaign, "edit")
    if not campaign.workflow.can("edit", campaign.status):
        raise DomainError(MedicalErrorCode.INVALID_TRANSITION,
                          "稽核计划已开始检查，不能再调整机构和稽核组。", status=409)


def inspector_problem(campaign: AuditCampaign, user) -> str | None:
    if user is None or user.kind != Audience.STAFF or user.jurisdiction != campaign.region:
        return "稽核组成员须为本统筹区的经办人员。"
    # 合作经办 (济宁: 商业保险机构人员参与工伤保险医疗服务监管) may sit on a team beside the 稽核员.
    if not user.has_role(StaffRole.INSPECTOR, StaffRole.COOPERATOR):
        return f"{user}没有稽核员或合作经办角色，不能编入稽核组。"
    return None


@transaction.atomic
def team_create(*, actor, campaign: AuditCampaign, name: str, members) -> AuditTeam:
    """A team with its members: `members` is a list of (user, county, leader). Each member is staff
    of the region holding 稽核员, with their 区县 (a county of the region)."""
    _editable(actor, campaign)
    name = (name or "").strip()
    if not name:
        raise FieldErrors({"name": "请填写稽核组名称，例如“第一组”。"})
    if campaign.teams.filter(name=name).exists():
        raise FieldErrors({"name": f"本计划已有“{name}”，请换一个组名。"})
    if not members:
        raise FieldErrors({"members": "稽核组至少要有一名成员。"})
    seen = set()
    in_use = set(AuditTeamMember.objects.filter(team__campaign=campaign).values_list("user_id", flat=True))
    for user, county, _leader in members:
        problem = inspector_problem(campaign, user)
        if problem:
            raise FieldErrors({"members": problem})
        if user.pk in seen or user.pk in in_use:
            raise FieldErrors({"members": f"{user}已在本计划的稽核组中，一人只能编入一个组。"})
        seen.add(user.pk)
        region = get_region(county or "")
        if region is None or region.level != "county" or region.parent != campaign.region:
            raise FieldErrors({"members": f"请为{user}选择本统筹区的区县（行政区划代码）。"})
    team = AuditTeam.objects.create(campaign=campaign, name=name)
    AuditTeamMember.objects.bulk_create([AuditTeamMember(team=team, user=u, county=c, leader=bool(lead))
                                         for u, c, lead in members])
    _audit(actor, EventType.CAMPAIGN_SAVED, campaign, {"team": name, "members": len(members)}, campaign.region)
    return team


def _rules_team(team: AuditTeam) -> rules_teams.Team:
    return rules_teams.Team(id=team.pk, name=team.name, members=tuple(
        rules_teams.Member(name=str(m.user), county=m.county) for m in team.members.select_related("user")))


@transaction.atomic
def campaign_assign(*, actor, campaign: AuditCampaign) -> rules_teams.Assignment:
    """Automatic cross-county assignment of every visit of the campaign (replaces the teams chosen);
    the institutions no team may check are left without a team, with the reason."""
    _editable(actor, campaign)
    teams = [_rules_team(t) for t in campaign.teams.all()]
    visits = list(campaign.visits.select_related("institution"))
    institutions = [rules_teams.Institution(id=v.pk, name=v.institution.name, county=v.institution.county)
                    for v in visits]
    names = {v.institution.county: county_name(v.institution.county) for v in visits}
    result = rules_teams.assign(institutions, teams, county_names=names)
    for visit in visits:
        visit.team_id = result.teams.get(visit.pk)
    AuditVisit.objects.bulk_update(visits, ["team"])
    _audit(actor, EventType.CAMPAIGN_SAVED, campaign,
           {"assigned": len(result.teams), "unassigned": len(result.problems)}, campaign.region)
    return result


@transaction.atomic
def visit_set_team(*, actor, visit: AuditVisit, team: AuditTeam | None) -> AuditVisit:
    """Manual change of a visit's team: refused (422 audit_team_own_county) when a member of the
    team comes from the institution's county."""
    campaign = visit.campaign
    _editable(actor, campaign)
    if team is not None:
        if team.campaign_id != campaign.pk:
            raise FieldErrors({"team_id": "请选择本稽核计划的稽核组。"})
        member = team.members.select_related("user").filter(county=visit.institution.county).first()
        if member is not None:
            where = county_name(member.county)
            raise DomainError(
                MedicalErrorCode.CROSS_COUNTY,
                f"{team.name}的成员{member.user}来自{where}，不能检查本区县的“{visit.institution.name}”，"
                f"请选择没有{where}成员的稽核组。",
                details={"member": str(member.user), "county": member.county, "county_name": where,
                         "team_id": team.pk}, status=422)
    visit.team = team
    visit.save(update_fields=["team", "updated_at"])
    _audit(actor, EventType.CAMPAIGN_SAVED, campaign, {"visit": visit.pk, "team": team.name if team else ""},
           campaign.region)
    return visit


def campaign_start(*, actor, campaign: AuditCampaign) -> AuditCampaign:
    check(actor, campaign, "start")
    if campaign.visits.filter(team__isnull=True).exists():
        raise DomainError(MedicalErrorCode.INVALID_TRANSITION,
                          "还有机构没有分配稽核组，请先分配（自动分配或逐个选择）后再开始检查。", status=409)
    return transition(actor, campaign, "start", code=MedicalErrorCode.INVALID_TRANSITION)


def campaign_report(*, actor, campaign: AuditCampaign) -> AuditCampaign:
    if campaign.visits.filter(status=VisitStatus.PLANNED).exists():
        check(actor, campaign, "report")
        raise DomainError(MedicalErrorCode.INVALID_TRANSITION,
                          "还有机构没有现场检查，全部检查后才能进入整改与汇总。", status=409)
    return transition(actor, campaign, "report", code=MedicalErrorCode.INVALID_TRANSITION)


def campaign_close(*, actor, campaign: AuditCampaign, report: str = "") -> AuditCampaign:
    if campaign.visits.exclude(status=VisitStatus.CLOSED).exists():
        check(actor, campaign, "close")
        raise DomainError(MedicalErrorCode.INVALID_TRANSITION,
                          "还有机构的整改没有复查销号，全部销号后才能结束稽核计划。", status=409)
    return transition(actor, campaign, "close", changes={"report": report.strip()},
                      code=MedicalErrorCode.INVALID_TRANSITION)


# --- the visit ---------------------------------------------------------------------------------------

def is_member(user, visit: AuditVisit) -> bool:
    return visit.team_id is not None and AuditTeamMember.objects.filter(team_id=visit.team_id,
                                                                        user_id=user.pk).exists()


def _recording(actor, visit: AuditVisit) -> None:
    """Only a member of the assigned team records, and only while the campaign is under way."""
    check(actor, visit, "record")
    if not is_member(actor, visit):
        raise Forbidden("只有分配到该机构的稽核组成员才能登记检查结果。")
    if visit.campaign.status != CampaignStatus.IN_PROGRESS:
        raise DomainError(MedicalErrorCode.INVALID_TRANSITION, "稽核计划不在检查阶段，不能登记检查结果。", status=409)


def visit_answer(*, actor, visit: AuditVisit, item: str, result: str, note: str = "",
                 on: date | None = None) -> AuditVisit:
    """Save one checklist answer (符合/不符合/不适用 and a note) as the team goes."""
    _recording(actor, visit)
    problem = rules_checklist.answer_problem(visit.institution.kind, item, result)
    if problem:
        raise FieldErrors({problem[0]: problem[1]})
    note = (note or "").strip()
    if len(note) > 1000:
        raise FieldErrors({"note": "说明不能超过1000字，请精简。"})
    with transaction.atomic():
        locked = AuditVisit.objects.select_for_update().get(pk=visit.pk)
        answers = dict(locked.checklist)
        answers[item] = {"result": result, "note": note, "by": str(actor),
                         "at": timezone.localtime().isoformat(timespec="seconds")}
        changes = {"checklist": answers}
        if locked.visited_on is None:
            changes["visited_on"] = on or timezone.localdate()
        return transition(actor, locked, "record", changes=changes, check_access=False,
                          event_type=str(EventType.VISIT_RECORDED), details={"item": item, "result": result},
                          region=visit.campaign.region, code=MedicalErrorCode.INVALID_TRANSITION,
                          message="该机构的检查已下达整改通知或已销号，不能再修改检查表。")


def _amount(value) -> Decimal:
    try:
        amount = to_fen(Decimal(str(value if value not in (None, "") else "0")))
    except (InvalidOperation, ValueError, TypeError):
        raise FieldErrors({"amount": "追回金额须为数字，精确到分，例如 1280.50。"}) from None
    if amount < 0:
        raise FieldErrors({"amount": "追回金额不能为负数。"})
    if amount >= Decimal("1000000000000"):
        raise FieldErrors({"amount": "追回金额过大，请核对。"})
    return amount


def finding_add(*, actor, visit: AuditVisit, pattern: str, description: str, amount="0",
                checklist_item: str = "", uploads=()) -> AuditFinding:
    """A finding with its pattern, what was seen, the amount to recover and photos/documents (JPEG,
    PNG or PDF, checked by content)."""
    _recording(actor, visit)
    if not visit.workflow.can("record", visit.status):
        raise DomainError(MedicalErrorCode.INVALID_TRANSITION,
                          "该机构的检查已下达整改通知或已销号，不能再登记问题。", status=409)
    if pattern not in FraudPattern.values:
        raise FieldErrors({"pattern": "请选择问题类型。"})
    description = (description or "").strip()
    if not description:
        raise FieldErrors({"description": "请描述发现的问题（时间、病历号或床号、涉及的项目）。"})
    if checklist_item and checklist_item not in rules_checklist.BY_CODE:
        raise FieldErrors({"checklist_item": "检查项不在检查表中，请重新选择或留空。"})
    uploads = list(uploads or ())
    if len(uploads) > MAX_FINDING_FILES:
        raise FieldErrors({"files": f"一次最多上传{MAX_FINDING_FILES}个文件。"})
    money = _amount(amount)
    stored = [store_upload(u, allowed_types=set(IMAGE_OR_PDF_TYPES), max_bytes=MAX_FINDING_FILE_BYTES,
                           prefix="medical-audits", actor=actor, field="files", label="照片或文件")
              for u in uploads]
    with transaction.atomic():
        finding = AuditFinding.objects.create(visit=visit, pattern=pattern, description=description[:4000],
                                              amount=money, checklist_item=checklist_item, created_by=actor)
        if stored:
            finding.files.add(*stored)
        transition(actor, visit, "record", check_access=False, event_type=str(EventType.VISIT_RECORDED),
                   details={"finding": finding.pk, "pattern": pattern, "amount": str(money),
                            "files": len(stored)},
                   changes={} if visit.visited_on else {"visited_on": timezone.localdate()},
                   region=visit.campaign.region)
    return finding


def notice_text(visit: AuditVisit) -> str:
    """The notice prefilled from the findings (the staff member edits it before issuing)."""
    lines = [f"{visit.institution.name}：",
             f"{visit.campaign.name}于{_day(visit.visited_on)}对你单位进行了现场稽核，发现以下问题："]
    findings = list(visit.findings.all())
    for n, f in enumerate(findings, 1):
        money = f"，应追回工伤保险基金{f.amount}元" if f.amount else ""
        lines.append(f"{n}. {f.get_pattern_display()}：{f.description}{money}。")
    if not findings:
        lines.append("（未发现问题。）")
    total = sum((f.amount for f in findings), Decimal("0"))
    if total:
        lines.append(f"以上应追回金额合计{total}元，将在下一期月度结算中扣回。")
    lines.append("请于整改期限前完成整改，并通过平台报送整改情况。")
    return "\n".join(lines)


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "近日"


def visit_notify(*, actor, visit: AuditVisit, text: str = "") -> AuditVisit:
    """Issue the rectification notice: rectify_by = visit date + the region's 整改期限; each finding
    with an amount becomes a recovery (Deduction) taken by the next monthly statement."""
    check(actor, visit, "notify")
    visited_on = visit.visited_on or timezone.localdate()
    days = rectify_days(visit.campaign.region, visited_on)
    text = (text or "").strip() or notice_text(visit)
    with transaction.atomic():
        locked = transition(actor, visit, "notify", event_type=str(EventType.NOTICE_ISSUED),
                            changes={"notice_text": text, "rectify_by": visited_on + timedelta(days=days)},
                            details={"rectify_days": days}, region=visit.campaign.region,
                            code=MedicalErrorCode.INVALID_TRANSITION)
        _tell_institution(locked)
        for finding in locked.findings.filter(amount__gt=0):
            Deduction.objects.create(institution_id=locked.institution_id, region=locked.campaign.region,
                                     visit=locked, amount=finding.amount, created_by=actor,
                                     reason=f"现场稽核追回：{finding.get_pattern_display()}，{finding.description}"[:500])
    return locked


def _tell_institution(visit: AuditVisit) -> None:
    """An SMS to the institution's contact (outbox: sent after commit, retried, visible to staff);
    the notice itself is on the institution's page and API."""
    from gongshang.core.models.outbox import OutboxChannel
    from gongshang.core.notifications.services import enqueue_message

    phone = (visit.institution.contact_phone or "").strip()
    if not phone:
        return
    enqueue_message(channel=OutboxChannel.SMS, recipient=phone, template="sms_generic", region=visit.campaign.region,
                    params={"text": f"{visit.institution.name}：你单位收到“{visit.campaign.name}”的稽核整改通知，"
                                    f"整改期限{_day(visit.rectify_by)}，请登录平台查看并报送整改情况。"})


def visit_respond(*, actor, visit: AuditVisit, text: str) -> AuditVisit:
    """The institution reports its rectification."""
    text = (text or "").strip()
    if not text:
        check(actor, visit, "respond")
        raise FieldErrors({"text": "请填写整改情况：逐条说明已采取的措施和完成时间。"})
    if len(text) > 5000:
        raise FieldErrors({"text": "整改情况不能超过5000字，可分条精简。"})
    return transition(actor, visit, "respond", changes={"rectification": text},
                      region=visit.campaign.region, code=MedicalErrorCode.INVALID_TRANSITION,
                      message="该稽核没有待报送的整改通知，或整改情况已报送。")


def visit_close(*, actor, visit: AuditVisit, follow_up: str = "", today: date | None = None) -> AuditVisit:
    """复查销号: after the institution's report, or without it once the deadline has passed (recorded
    as overdue); a visit with nothing found may be closed without a notice."""
    check(actor, visit, "close")
    today = today or timezone.localdate()
    follow_up = (follow_up or "").strip()
    overdue = False
    if visit.status == VisitStatus.NOTIFIED:
        if visit.rectify_by and today <= visit.rectify_by:
            raise DomainError(MedicalErrorCode.INVALID_TRANSITION,
                              f"机构尚未报送整改情况，整改期限为{_day(visit.rectify_by)}，期限届满后才能直接销号。",
                              status=409)
        overdue = True
        follow_up = f"机构逾期未报送整改情况（整改期限{_day(visit.rectify_by)}）。{follow_up}".strip()
    elif visit.status == VisitStatus.VISITED and visit.findings.exists():
        raise DomainError(MedicalErrorCode.INVALID_TRANSITION, "该机构有稽核发现，请先下达整改通知。", status=409)
    return transition(actor, visit, "close", changes={"follow_up": follow_up}, details={"overdue": overdue},
                      region=visit.campaign.region, code=MedicalErrorCode.INVALID_TRANSITION)
