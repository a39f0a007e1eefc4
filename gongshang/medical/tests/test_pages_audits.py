"""现场稽核 pages: the planner, the tablet page (htmx answers, findings with photos, another team's
member refused), the notice, the report, the institution's notices."""

import pytest
from django.test import Client

from gongshang.accounts.tests.factories import UserFactory

from ..models import AuditCampaign, AuditVisit
from .audit_fixtures import A, inspectors, institutions, jpeg, member_of, planned, started

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-03 10:00 +08:00")]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def members():
    return inspectors()


@pytest.fixture
def insts():
    return institutions()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_create_campaign_and_plan_teams(members, insts):
    c = client_for(members[0])
    page = c.get("/medical/audits/")
    assert page.status_code == 200 and "新建稽核计划" in page.content.decode()
    r = c.post("/medical/audits/new/", {"name": "专项稽核", "starts_on": "2026-11-02", "ends_on": "2026-11-30"})
    campaign = AuditCampaign.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/medical/audits/{campaign.pk}/"
    r = c.post(f"/medical/audits/{campaign.pk}/teams/", {"name": "第一组", "user": [members[1].pk],
                                                         f"county_{members[1].pk}": A, "leader": members[1].pk})
    assert campaign.teams.get().members.get().county == A
    r = c.post(f"/medical/audits/{campaign.pk}/assign/", follow=True)
    body = r.content.decode()
    assert "未能分配的机构" in body and "市南医院" in body      # the only team is of 市南区
    assert "data-confirm" in body


def test_manual_change_to_own_county_team_shows_the_member(members, insts):
    campaign = planned(members[0], members)
    visit = campaign.visits.get(institution__county=A)
    r = client_for(members[0]).post(f"/medical/audits/visits/{visit.pk}/team/",
                                    {"team": campaign.teams.get(name="第1组").pk}, follow=True)
    assert "甲稽核" in r.content.decode() and "市南区" in r.content.decode()
    assert AuditVisit.objects.get(pk=visit.pk).team_id is None


def test_a_team_of_no_campaign_leaves_the_assignment_as_it_was(members, insts):
    campaign = planned(members[0], members)
    visit = campaign.visits.first()
    before = campaign.teams.first().pk
    AuditVisit.objects.filter(pk=visit.pk).update(team_id=before)  # set up: assigned to a team
    r = client_for(members[0]).post(f"/medical/audits/visits/{visit.pk}/team/", {"team": "999999"}, follow=True)
    assert "不属于本稽核计划" in r.content.decode()
    assert AuditVisit.objects.get(pk=visit.pk).team_id == before


def test_tablet_page_saves_each_answer_with_htmx(members, insts):
    campaign = started(members[0], members)
    visit = campaign.visits.select_related("team").get(institution__county=A)
    c = client_for(member_of(visit, members))
    page = c.get(f"/medical/audits/visits/{visit.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    for section in ("基础管理", "就医服务", "医疗服务质量", "目录及费用结算", "欺诈骗保重点问题"):
        assert section in body
    assert 'hx-post="/medical/audits/visits/' in body and "audits.js" in body
    r = c.post(f"/medical/audits/visits/{visit.pk}/answer/", {"item": "QZ02", "result": "fail", "note": "3床无人"},
               HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "已保存：不符合" in r.content.decode()
    assert 'id="audit-progress" hx-swap-oob="true">检查表：已检查 1/' in r.content.decode()
    assert AuditVisit.objects.get(pk=visit.pk).checklist["QZ02"]["note"] == "3床无人"
    r = c.post(f"/medical/audits/visits/{visit.pk}/answer/", {"item": "QZ02", "note": "no result"},
               HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "未保存" in r.content.decode()


def test_member_of_another_team_gets_403(members, insts):
    campaign = started(members[0], members)
    visit = campaign.visits.select_related("team").get(institution__county=A)
    outsider = next(u for u in members if u != member_of(visit, members))
    c = client_for(outsider)
    r = c.post(f"/medical/audits/visits/{visit.pk}/answer/", {"item": "JC01", "result": "ok"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 403
    r = c.post(f"/medical/audits/visits/{visit.pk}/findings/", {"pattern": "other", "description": "x"})
    assert r.status_code == 403
    assert not AuditVisit.objects.get(pk=visit.pk).findings.exists()
    assert "只有分配到该机构的稽核组成员" in c.get(f"/medical/audits/visits/{visit.pk}/").content.decode()


def test_finding_with_photo_notice_and_institution_response(members, insts):
    campaign = started(members[0], members)
    visit = campaign.visits.select_related("team", "institution").get(institution__county=A)
    c = client_for(member_of(visit, members))
    r = c.post(f"/medical/audits/visits/{visit.pk}/findings/", {"pattern": "phantom_bed", "description": "3床无人",
                                                                "amount": "500", "files": [jpeg()]}, follow=True)
    assert "已登记该问题" in r.content.decode()
    finding = visit.findings.get()
    stored = finding.files.get()
    download = c.get(f"/medical/audits/visits/{visit.pk}/files/{stored.pk}/")
    assert download.status_code == 200
    lead = client_for(members[0])
    page = lead.get(f"/medical/audits/visits/{visit.pk}/").content.decode()
    assert "下达整改通知" in page and "挂床住院：3床无人" in page
    r = lead.post(f"/medical/audits/visits/{visit.pk}/notice/", {"text": ""}, follow=True)
    assert "整改期限 2026-12-03" in r.content.decode()
    inst_user = UserFactory(kind="institution", username="inst-page")
    visit.institution.api_clients.add(inst_user)
    ic = client_for(inst_user)
    listing = ic.get("/medical/audit-notices/").content.decode()
    assert campaign.name in listing and "500.00" in listing
    assert "挂床住院" in ic.get(f"/medical/audit-notices/{visit.pk}/").content.decode()
    ic.post(f"/medical/audit-notices/{visit.pk}/respond/", {"text": "已整改"})
    assert AuditVisit.objects.get(pk=visit.pk).status == "rectified"
    report = lead.get(f"/medical/audits/{campaign.pk}/report/?print=1").content.decode()
    assert "挂床住院" in report and "500.00" in report
    pdf = lead.get(f"/medical/audits/{campaign.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_menus(members):
    from gongshang.web.navigation import menu_for

    assert "现场稽核" in [i["label"] for i in menu_for(members[0])]
    inst_user = UserFactory(kind="institution", username="inst-menu")
    assert "稽核通知" in [i["label"] for i in menu_for(inst_user)]
