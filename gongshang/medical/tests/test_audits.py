"""现场稽核 services: campaign, cross-county teams, the visit, the notice with recoveries, follow-up."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.accounts.models import User
from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.models import AuditEvent

from ..models import AuditVisit, Deduction
from ..services import audits as services
from .audit_fixtures import A, B, C, inspectors, institutions, jpeg, member_of, planned, started
from .factories import InstitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-03 10:00 +08:00")]


@pytest.fixture
def members():
    return inspectors()


@pytest.fixture
def insts():
    return institutions()


@pytest.fixture
def institution_user(db):
    return User.objects.create(username="inst-audit", kind="institution", display_name="定点医院接口")


@pytest.fixture
def lead(members):
    return members[0]


def test_campaign_takes_institutions_in_force_by_default_and_filters(lead, insts):
    InstitutionFactory(county=A, status="suspended")
    InstitutionFactory(county=A, agreement_to=date(2026, 10, 31))       # expired before the start
    InstitutionFactory(region="370100", county="370102")                  # another 统筹区
    campaign = services.campaign_create(actor=lead, name="计划", starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 30))
    assert set(campaign.visits.values_list("institution_id", flat=True)) == {i.pk for i in insts}
    by_kind = services.campaign_create(actor=lead, name="康复", starts_on=date(2026, 11, 2),
                                       ends_on=date(2026, 11, 30), kinds=["rehabilitation"])
    assert list(by_kind.visits.values_list("institution__county", flat=True)) == [B]
    by_county = services.campaign_create(actor=lead, name="黄岛", starts_on=date(2026, 11, 2),
                                         ends_on=date(2026, 11, 30), counties=[C])
    assert by_county.visits.count() == 1


def test_campaign_dates_and_empty_selection_refused(lead, insts):
    with pytest.raises(FieldErrors) as exc:
        services.campaign_create(actor=lead, name="x", starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 1))
    assert "ends_on" in exc.value.errors
    with pytest.raises(FieldErrors) as exc:
        services.campaign_create(actor=lead, name="x", starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 3),
                                 counties=["370285"])
    assert "institution_ids" in exc.value.errors


def _members_refused(text, call):
    with pytest.raises(FieldErrors) as exc:
        call()
    assert text in exc.value.errors["members"]


def test_team_members_must_be_inspectors_of_the_region_with_a_county(lead, members, insts):
    campaign = services.campaign_create(actor=lead, name="计划", starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 30))
    intake = StaffUserFactory(roles=["intake"], jurisdiction="370200")
    _members_refused("稽核员", lambda: services.team_create(actor=lead, campaign=campaign, name="一组",
                                                           members=[(intake, A, False)]))
    elsewhere = StaffUserFactory(roles=["inspector"], jurisdiction="370100")
    _members_refused("本统筹区", lambda: services.team_create(actor=lead, campaign=campaign, name="一组",
                                                             members=[(elsewhere, A, False)]))
    _members_refused("区县", lambda: services.team_create(actor=lead, campaign=campaign, name="一组",
                                                         members=[(members[1], "370102", False)]))
    team = services.team_create(actor=lead, campaign=campaign, name="一组", members=[(members[1], A, True)])
    assert team.members.get().county == A
    _members_refused("一人只能编入一个组", lambda: services.team_create(actor=lead, campaign=campaign, name="二组",
                                                                     members=[(members[1], B, False)]))


def test_automatic_assignment_is_cross_county(lead, members, insts):
    campaign = planned(lead, members)
    result = services.campaign_assign(actor=lead, campaign=campaign)
    assert not result.problems
    for visit in campaign.visits.select_related("institution", "team"):
        assert visit.institution.county not in set(visit.team.members.values_list("county", flat=True))


def test_assignment_names_an_institution_no_team_may_check(lead, members, insts):
    campaign = services.campaign_create(actor=lead, name="计划", starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 30))
    services.team_create(actor=lead, campaign=campaign, name="一组", members=[(members[0], A, True)])
    result = services.campaign_assign(actor=lead, campaign=campaign)
    [(visit_id, reason)] = result.problems
    assert AuditVisit.objects.get(pk=visit_id).institution.county == A
    assert "市南医院" in reason and "市南区" in reason and "甲稽核" in reason
    with pytest.raises(DomainError, match="分配稽核组"):
        services.campaign_start(actor=lead, campaign=campaign)


def test_manual_change_refuses_a_team_with_a_member_of_the_county(lead, members, insts):
    campaign = planned(lead, members)
    visit = campaign.visits.get(institution__county=A)
    own = campaign.teams.get(name="第1组")      # 甲稽核 of 市南区
    with pytest.raises(DomainError) as exc:
        services.visit_set_team(actor=lead, visit=visit, team=own)
    assert exc.value.code == "audit_team_own_county" and exc.value.status == 422
    assert exc.value.details["member"] == "甲稽核" and exc.value.details["county"] == A
    assert "甲稽核" in exc.value.message and "市南区" in exc.value.message
    other = campaign.teams.get(name="第2组")
    services.visit_set_team(actor=lead, visit=visit, team=other)
    assert AuditVisit.objects.get(pk=visit.pk).team == other


def test_only_a_member_of_the_assigned_team_records(lead, members, insts):
    campaign = started(lead, members)
    visit = campaign.visits.select_related("team", "institution").get(institution__county=A)
    outsider = next(u for u in members if u != member_of(visit, members))
    with pytest.raises(Forbidden):
        services.visit_answer(actor=outsider, visit=visit, item="JC01", result="ok")
    services.visit_answer(actor=member_of(visit, members), visit=visit, item="JC01", result="fail", note="协议过期")
    visit.refresh_from_db()
    assert visit.status == "visited" and visit.visited_on == date(2026, 11, 3)
    assert visit.checklist["JC01"]["result"] == "fail" and visit.checklist["JC01"]["note"] == "协议过期"


def test_recording_refused_before_the_campaign_starts(lead, members, insts):
    campaign = planned(lead, members)
    services.campaign_assign(actor=lead, campaign=campaign)
    visit = campaign.visits.select_related("team", "institution").first()
    with pytest.raises(DomainError, match="检查阶段"):
        services.visit_answer(actor=member_of(visit, members), visit=visit, item="JC01", result="ok")


def test_answer_for_another_kinds_item_refused(lead, members, insts):
    campaign = started(lead, members)
    visit = campaign.visits.select_related("team", "institution").get(institution__county=B)  # 康复
    with pytest.raises(FieldErrors) as exc:
        services.visit_answer(actor=member_of(visit, members), visit=visit, item="JY03", result="ok")
    assert "item" in exc.value.errors


def _finding_visit(lead, members, **kwargs):
    campaign = started(lead, members, **kwargs)
    visit = campaign.visits.select_related("team", "institution", "campaign").get(institution__county=A)
    return visit, member_of(visit, members)


def test_finding_with_photo_and_amount_to_the_fen(lead, members, insts, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    visit, member = _finding_visit(lead, members)
    finding = services.finding_add(actor=member, visit=visit, pattern="phantom_bed", description="3床无人",
                                   amount="1280.505", checklist_item="QZ02", uploads=[jpeg()])
    assert finding.amount == Decimal("1280.51") and finding.files.count() == 1
    assert AuditVisit.objects.get(pk=visit.pk).status == "visited"


def test_finding_file_checked_by_content(lead, members, insts, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    visit, member = _finding_visit(lead, members)
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all" * 20, content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        services.finding_add(actor=member, visit=visit, pattern="other", description="x", uploads=[fake])
    assert exc.value.status == 415
    assert not visit.findings.exists()


@pytest.mark.parametrize("amount", ["-1", "abc"])
def test_finding_amount_refused(lead, members, insts, amount):
    visit, member = _finding_visit(lead, members)
    with pytest.raises(FieldErrors) as exc:
        services.finding_add(actor=member, visit=visit, pattern="other", description="x", amount=amount)
    assert "amount" in exc.value.errors


def test_notice_prefilled_deadline_and_recoveries(lead, members, insts):
    visit, member = _finding_visit(lead, members, rectify_days=15)
    services.finding_add(actor=member, visit=visit, pattern="swapped_item", description="以甲项目收乙项目费用",
                         amount="300.00")
    services.finding_add(actor=member, visit=visit, pattern="other", description="制度未公示")
    draft = services.notice_text(visit)
    assert "串换项目" in draft and "300.00" in draft and "制度未公示" in draft
    visit = services.visit_notify(actor=lead, visit=visit)
    assert visit.status == "notified" and visit.rectify_by == date(2026, 11, 18)  # 11-03 + 15
    assert visit.notice_text == draft
    [deduction] = Deduction.objects.filter(visit=visit)
    assert deduction.amount == Decimal("300.00") and deduction.institution == visit.institution
    assert deduction.region == "370200" and deduction.statement is None and "串换项目" in deduction.reason
    assert AuditEvent.objects.filter(event_type="medical.notice_issued", actor=lead).exists()


def test_rectify_days_default_30_and_institution_told(lead, members, insts):
    from gongshang.core.models import OutboxMessage

    visit, member = _finding_visit(lead, members)
    visit.institution.contact_phone = "13800001111"
    visit.institution.save()
    services.visit_answer(actor=member, visit=visit, item="JC01", result="ok")
    visit.refresh_from_db()
    visit = services.visit_notify(actor=lead, visit=visit)
    assert visit.rectify_by == date(2026, 12, 3)
    [message] = OutboxMessage.objects.filter(template="sms_generic")
    assert message.recipient == "13800001111"
    assert "整改期限2026年12月3日" in message.body


def test_respond_then_close(lead, members, insts, institution_user):
    visit, member = _finding_visit(lead, members)
    services.finding_add(actor=member, visit=visit, pattern="other", description="x")
    visit = services.visit_notify(actor=lead, visit=visit)
    visit.institution.api_clients.add(institution_user)
    with pytest.raises(FieldErrors):
        services.visit_respond(actor=institution_user, visit=visit, text=" ")
    visit = services.visit_respond(actor=institution_user, visit=visit, text="已整改")
    assert visit.status == "rectified"
    visit = services.visit_close(actor=lead, visit=visit, follow_up="复查属实")
    assert visit.status == "closed" and visit.follow_up == "复查属实"


def test_close_without_report_only_after_the_deadline(lead, members, insts):
    visit, member = _finding_visit(lead, members)
    services.finding_add(actor=member, visit=visit, pattern="other", description="x")
    visit = services.visit_notify(actor=lead, visit=visit)
    assert visit.rectify_by == date(2026, 12, 3)
    with pytest.raises(DomainError, match="期限届满"):
        services.visit_close(actor=lead, visit=visit, today=date(2026, 12, 3))     # the last day
    visit = services.visit_close(actor=lead, visit=visit, today=date(2026, 12, 4))   # the day after
    assert visit.status == "closed" and "逾期未报送" in visit.follow_up


def test_visit_with_findings_needs_a_notice_before_closing(lead, members, insts):
    visit, member = _finding_visit(lead, members)
    services.finding_add(actor=member, visit=visit, pattern="other", description="x")
    with pytest.raises(DomainError, match="整改通知"):
        services.visit_close(actor=lead, visit=visit)


def test_campaign_runs_end_to_end(lead, members, insts):
    campaign = started(lead, members)
    assert campaign.status == "in_progress"
    with pytest.raises(DomainError, match="现场检查"):
        services.campaign_report(actor=lead, campaign=campaign)
    for visit in campaign.visits.select_related("team", "institution", "campaign"):
        services.visit_answer(actor=member_of(visit, members), visit=visit, item="JC01", result="ok")
    campaign = services.campaign_report(actor=lead, campaign=campaign)
    assert campaign.status == "reporting"
    with pytest.raises(DomainError, match="销号"):
        services.campaign_close(actor=lead, campaign=campaign)
    for visit in AuditVisit.objects.filter(campaign=campaign):
        services.visit_close(actor=lead, visit=visit)
    with time_machine.travel("2026-12-01 09:00 +08:00"):
        campaign = services.campaign_close(actor=lead, campaign=campaign, report="均符合")
    assert campaign.status == "closed" and campaign.report == "均符合"
