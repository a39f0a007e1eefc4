"""现场稽核 API: status, body and database; the cross-county refusal; members of another team 403;
the institution's notices and response; another region's objects 404."""

import pytest

from gongshang.accounts.tests.factories import UserFactory

from ..models import AuditCampaign, AuditVisit, Deduction
from .audit_fixtures import A, inspectors, institutions, member_of, started
from .factories import InstitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-03 10:00 +08:00")]
BASE = "/api/v1/medical"


@pytest.fixture
def members():
    return inspectors()


@pytest.fixture
def insts():
    return institutions()


@pytest.fixture
def token_for(token_for):
    """One token per account (a TOTP code may be used once)."""
    issued = {}

    def issue(user):
        if user.pk not in issued:
            issued[user.pk] = token_for(user)
        return issued[user.pk]
    return issue


@pytest.fixture
def auth(token_for, members):
    return token_for(members[0])


def _post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def test_plan_a_campaign_through_the_api(api_client, auth, members, insts):
    r = _post(api_client, f"{BASE}/audit-campaigns", {"name": "专项稽核", "starts_on": "2026-11-02",
                                                        "ends_on": "2026-11-30"}, auth)
    assert r.status_code == 201, r.content
    campaign = r.json()
    assert campaign["status"] == "planning" and campaign["institutions"] == 3 and len(campaign["visits"]) == 3
    for n, (user, county) in enumerate(zip(members, ("370202", "370203", "370211"), strict=True), 1):
        r = _post(api_client, f"{BASE}/audit-campaigns/{campaign['id']}/teams",
                  {"name": f"第{n}组", "members": [{"user_id": user.pk, "county": county, "leader": True}]}, auth)
        assert r.status_code == 201, r.content
        assert r.json()["members"][0]["county_name"] in ("市南区", "市北区", "黄岛区")
    r = _post(api_client, f"{BASE}/audit-campaigns/{campaign['id']}/assign", {}, auth)
    assert r.status_code == 200 and r.json()["assigned"] == 3 and r.json()["problems"] == []
    for visit in r.json()["campaign"]["visits"]:
        team = next(t for t in r.json()["campaign"]["teams"] if t["id"] == visit["team_id"])
        assert visit["county"] not in {m["county"] for m in team["members"]}
    r = _post(api_client, f"{BASE}/audit-campaigns/{campaign['id']}/start", {}, auth)
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    assert AuditCampaign.objects.get(pk=campaign["id"]).status == "in_progress"


def test_unknown_field_and_bad_dates(api_client, auth, insts):
    r = _post(api_client, f"{BASE}/audit-campaigns", {"name": "x", "starts_on": "2026-11-02",
                                                        "ends_on": "2026-11-30", "color": "red"}, auth)
    assert r.status_code == 422
    r = _post(api_client, f"{BASE}/audit-campaigns", {"name": "x", "starts_on": "2026-11-02",
                                                        "ends_on": "2026-11-01"}, auth)
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "ends_on"
    assert not AuditCampaign.objects.exists()


def test_manual_team_change_own_county_422(api_client, auth, members, insts):
    from .audit_fixtures import planned

    campaign = planned(members[0], members)
    visit = campaign.visits.get(institution__county=A)
    own = campaign.teams.get(name="第1组")
    r = api_client.put(f"{BASE}/audit-visits/{visit.pk}/team", {"team_id": own.pk}, content_type="application/json",
                       **auth)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "audit_team_own_county" and body["details"]["member"] == "甲稽核"
    assert body["details"]["county"] == A and "市南区" in body["message"]
    assert AuditVisit.objects.get(pk=visit.pk).team_id is None
    other = campaign.teams.get(name="第3组")
    r = api_client.put(f"{BASE}/audit-visits/{visit.pk}/team", {"team_id": other.pk},
                       content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["team_id"] == other.pk


def test_record_by_member_and_403_for_a_member_of_another_team(api_client, token_for, members, insts):
    campaign = started(members[0], members)
    visit = campaign.visits.select_related("team").get(institution__county=A)
    member = member_of(visit, members)
    outsider = next(u for u in members if u != member)
    r = _post(api_client, f"{BASE}/audit-visits/{visit.pk}/answers", {"item": "QZ02", "result": "fail",
                                                                        "note": "3床无人"}, token_for(outsider))
    assert r.status_code == 403
    auth = token_for(member)
    r = _post(api_client, f"{BASE}/audit-visits/{visit.pk}/answers", {"item": "QZ02", "result": "fail",
                                                                        "note": "3床无人"}, auth)
    assert r.status_code == 200, r.content
    item = next(i for s in r.json()["checklist"] for i in s["items"] if i["code"] == "QZ02")
    assert item["result_label"] == "不符合" and item["note"] == "3床无人"
    r = _post(api_client, f"{BASE}/audit-visits/{visit.pk}/answers", {"item": "QZ02", "result": "maybe"}, auth)
    assert r.status_code == 422
    r = _post(api_client, f"{BASE}/audit-visits/{visit.pk}/findings",
              {"pattern": "phantom_bed", "description": "3床无人", "amount": "1200.50", "checklist_item": "QZ02"},
              token_for(outsider))
    assert r.status_code == 403
    r = _post(api_client, f"{BASE}/audit-visits/{visit.pk}/findings",
              {"pattern": "phantom_bed", "description": "3床无人", "amount": "1200.50", "checklist_item": "QZ02"}, auth)
    assert r.status_code == 201 and r.json()["amount"] == "1200.50"
    r = _post(api_client, f"{BASE}/audit-visits/{visit.pk}/findings",
              {"pattern": "phantom_bed", "description": "x", "amount": "12.345"}, auth)
    assert r.status_code == 422


def test_notice_institution_sees_and_responds(api_client, token_for, members, insts):
    campaign = started(members[0], members)
    visit = campaign.visits.select_related("team", "institution").get(institution__county=A)
    member_auth = token_for(member_of(visit, members))
    _post(api_client, f"{BASE}/audit-visits/{visit.pk}/findings",
          {"pattern": "swapped_item", "description": "串换耗材", "amount": "88.00"}, member_auth)
    r = _post(api_client, f"{BASE}/audit-visits/{visit.pk}/notice", {}, token_for(members[0]))
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "notified" and r.json()["rectify_by"] == "2026-12-03"
    assert Deduction.objects.get(visit_id=visit.pk).amount == 88
    inst_user = UserFactory(kind="institution", username="inst-api")
    visit.institution.api_clients.add(inst_user)
    inst_auth = token_for(inst_user)
    r = api_client.get(f"{BASE}/audit-notices", **inst_auth)
    assert r.status_code == 200 and r.json()["count"] == 1
    notice = r.json()["items"][0]
    assert notice["id"] == visit.pk and notice["recovered"] == "88.00" and "串换项目" in notice["notice_text"]
    other_inst = campaign.visits.exclude(pk=visit.pk).first()
    assert _post(api_client, f"{BASE}/audit-visits/{other_inst.pk}/respond", {"text": "x"}, inst_auth).status_code == 404
    r = _post(api_client, f"{BASE}/audit-visits/{visit.pk}/respond", {"text": "已整改并退回费用"}, inst_auth)
    assert r.status_code == 200 and r.json()["status"] == "rectified"
    r = _post(api_client, f"{BASE}/audit-visits/{visit.pk}/respond", {"text": "again"}, inst_auth)
    assert r.status_code == 409
    r = _post(api_client, f"{BASE}/audit-visits/{visit.pk}/close", {"follow_up": "属实"}, token_for(members[0]))
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = api_client.get(f"{BASE}/audit-campaigns/{campaign.pk}/summary", **token_for(members[0]))
    body = r.json()
    assert body["findings"] == 1 and body["amount"] == "88.00"
    assert next(p for p in body["patterns"] if p["pattern"] == "swapped_item")["amount"] == "88.00"


def test_other_region_404(api_client, token_for, members, insts):
    from gongshang.accounts.tests.factories import StaffUserFactory

    campaign = started(members[0], members)
    elsewhere = StaffUserFactory(roles=["inspector"], jurisdiction="370100")
    InstitutionFactory(region="370100", county="370102")
    auth = token_for(elsewhere)
    assert api_client.get(f"{BASE}/audit-campaigns/{campaign.pk}", **auth).status_code == 404
    visit = campaign.visits.first()
    assert api_client.get(f"{BASE}/audit-visits/{visit.pk}", **auth).status_code == 404
    assert api_client.get(f"{BASE}/audit-campaigns", **auth).json()["count"] == 0


def test_institution_does_not_see_its_visit_before_the_notice(api_client, token_for, members, insts):
    """An on-site audit is not announced: before the notice the institution reaches neither the planned
    visit (team, campaign) nor the findings being recorded (404); after it, the notice and findings."""
    campaign = started(members[0], members)
    visit = campaign.visits.select_related("team", "institution").get(institution__county=A)
    member_auth = token_for(member_of(visit, members))
    inst_user = UserFactory(kind="institution", username="inst-early")
    visit.institution.api_clients.add(inst_user)
    inst_auth = token_for(inst_user)
    assert api_client.get(f"{BASE}/audit-visits/{visit.pk}", **inst_auth).status_code == 404
    _post(api_client, f"{BASE}/audit-visits/{visit.pk}/findings",
          {"pattern": "phantom_bed", "description": "3床无人（病历号123）", "amount": "10.00"}, member_auth)
    assert api_client.get(f"{BASE}/audit-visits/{visit.pk}", **inst_auth).status_code == 404
    assert _post(api_client, f"{BASE}/audit-visits/{visit.pk}/notice", {}, token_for(members[0])).status_code == 200
    r = api_client.get(f"{BASE}/audit-visits/{visit.pk}", **inst_auth)
    assert r.status_code == 200 and r.json()["findings"][0]["description"] == "3床无人（病历号123）"
