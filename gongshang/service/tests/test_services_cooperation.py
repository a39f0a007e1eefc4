"""合作经办: the assisting actions only, on the applications and visits assigned, each audited as theirs."""

import pytest
from django.core.cache import cache

from gongshang.accounts.access import allowed_actions, can, get_for, restrict
from gongshang.accounts.services.staff import staff_create
from gongshang.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gongshang.core.models import AuditEvent
from gongshang.medical.models import AuditVisit
from gongshang.medical.rules import checklist
from gongshang.medical.services import audits as audit_services
from gongshang.recognition.models import InvestigationNote, RecognitionApplication, RecognitionEvent
from gongshang.recognition.services import decision
from gongshang.service.services import cooperation as services

from .factories_cooperation import INSURER, accepted_application, audit_visit, desk, investigating_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


@pytest.fixture
def people(db):
    return desk()


@pytest.fixture
def application(employer_user_a, people):
    return investigating_application(employer_user_a, people)


def test_the_desk_puts_a_cooperator_on_an_investigation_and_it_is_audited(application, people):
    assert not restrict(people.cooperator, RecognitionApplication).exists()  # nothing before being assigned
    services.assistant_add(actor=people.investigators[0], application=application,
                           cooperator_id=people.cooperator.pk)
    assert application.investigators.filter(pk=people.cooperator.pk).exists()
    event = AuditEvent.objects.get(event_type=services.ASSISTANT_ADDED)
    assert event.actor == people.investigators[0]
    assert event.details["cooperator"] == f"钱合作（合作经办·{INSURER}）"
    assert list(restrict(people.cooperator, RecognitionApplication)) == [application]
    with pytest.raises(FieldErrors) as again:
        services.assistant_add(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)
    assert "已在协助调查" in again.value.errors["cooperator"]


def test_assigning_refuses_a_stranger_another_region_and_the_wrong_stage(employer_user_a, people, staff_factory):
    application = accepted_application(employer_user_a, people)
    with pytest.raises(DomainError) as not_yet:  # accepted, not yet investigating
        services.assistant_add(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)
    assert not_yet.value.status == 409
    application = decision.application_investigate(actor=people.reviewer, application=application,
                                                   investigator_ids=[u.pk for u in people.investigators])
    elsewhere = staff_factory("cooperator", jurisdiction="370211", organisation=INSURER)
    for wrong in (elsewhere.pk, people.intake.pk, "x", None):
        with pytest.raises(FieldErrors) as refused:
            services.assistant_add(actor=people.reviewer, application=application, cooperator_id=wrong)
        assert refused.value.errors["cooperator"] == "请选择本统筹区的合作经办人员。"
    with pytest.raises(Forbidden):  # the 受理员 does not run investigations
        services.assistant_add(actor=people.intake, application=application, cooperator_id=people.cooperator.pk)
    with pytest.raises(Forbidden):  # nor does the cooperator put itself on one
        services.assistant_add(actor=people.cooperator, application=application, cooperator_id=people.cooperator.pk)
    assert not application.investigators.filter(pk=people.cooperator.pk).exists()


def test_the_cooperator_adds_a_note_shown_as_theirs_and_nothing_else(application, people):
    services.assistant_add(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)
    coo = people.cooperator
    loaded = get_for(coo, RecognitionApplication, application.pk, "view")
    note = decision.investigation_note_add(actor=coo, application=loaded, text="走访车间班组长，证实受伤经过。")
    assert InvestigationNote.objects.get(pk=note.pk).author == coo
    timeline = RecognitionEvent.objects.filter(application=application, event_type="recognition.investigation_note")
    assert timeline.get().actor_label == f"钱合作（合作经办·{INSURER}）"
    assert AuditEvent.objects.filter(actor=coo, event_type="recognition.investigation_note").count() == 1
    assert allowed_actions(coo, loaded) == {"view", "note"}
    for action in ("decide", "accept", "report", "suspend", "view_pii", "investigate", "deliver", "allocate"):
        assert not can(coo, loaded, action), action


def test_the_cooperator_reaches_no_other_application(employer_user_a, employer_user_b, people, li_na):
    from .factories_cooperation import quick_case

    mine = investigating_application(employer_user_a, people)
    other = investigating_application(employer_user_b, people,
                                      quick_case(employer_user_b, id_number="370211199207084569", name="李娜"))
    services.assistant_add(actor=people.reviewer, application=mine, cooperator_id=people.cooperator.pk)
    assert list(restrict(people.cooperator, RecognitionApplication)) == [mine]
    with pytest.raises(NotFound):
        get_for(people.cooperator, RecognitionApplication, other.pk, "view")
    with pytest.raises(Forbidden):  # even handed the row directly, the service refuses (the condition)
        decision.investigation_note_add(actor=people.cooperator, application=other, text="试图记录")
    assert not InvestigationNote.objects.filter(application=other).exists()


def test_taken_off_the_investigation_the_cooperator_loses_it_but_the_note_stays(application, people):
    services.assistant_add(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)
    decision.investigation_note_add(actor=people.cooperator, application=application, text="询问同班组工友两名。")
    services.assistant_remove(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)
    assert not restrict(people.cooperator, RecognitionApplication).exists()
    assert InvestigationNote.objects.filter(application=application, author=people.cooperator).count() == 1
    assert AuditEvent.objects.filter(event_type=services.ASSISTANT_REMOVED, actor=people.reviewer).count() == 1
    with pytest.raises(FieldErrors):
        services.assistant_remove(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)


def test_a_cooperator_does_not_count_as_one_of_the_two_investigators(application, people):
    """工伤认定办法 第十条: the two who investigate are agency staff; the assistant is extra."""
    services.assistant_add(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)
    RecognitionApplication.objects.filter(pk=application.pk).update(serious_injury=True)
    application.investigators.remove(people.investigators[1])  # one agency investigator and the cooperator left
    application.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        decision.application_decide(actor=people.reviewer, application=application, result="recognized",
                                    article="《工伤保险条例》第十四条第（一）项", reasoning="在工作时间和工作场所内因工作原因受伤")
    assert refused.value.status == 409
    assert RecognitionApplication.objects.get(pk=application.pk).status == "investigating"


# --- medical supervision: the audit team ---------------------------------------------------------------

def test_a_cooperator_on_the_team_views_and_records_the_visit(people, staff_factory):
    inspector = staff_factory("inspector")
    visit = audit_visit("370200", inspector, members=[people.cooperator])
    elsewhere = audit_visit("370200", staff_factory("inspector"))
    coo = people.cooperator
    assert list(restrict(coo, AuditVisit, "view")) == [visit]
    with pytest.raises(NotFound):
        get_for(coo, AuditVisit, elsewhere.pk, "view")
    assert allowed_actions(coo, visit) >= {"view", "record"}
    assert not can(coo, visit, "notify") and not can(coo, visit, "close")
    item = checklist.checklist_for(visit.institution.kind)[0]
    recorded = audit_services.visit_answer(actor=coo, visit=visit, item=item.code, result=checklist.OK,
                                           note="病房核查一致")
    assert recorded.checklist[item.code]["result"] == checklist.OK
    assert AuditEvent.objects.filter(actor=coo, target_id=str(visit.pk)).exists()


def test_a_cooperator_may_sit_on_an_audit_team(people, staff_factory):
    from gongshang.medical.models import AuditCampaign

    inspector = staff_factory("inspector")
    campaign = AuditCampaign.objects.create(region="370200", name="计划", starts_on="2026-11-02",
                                            ends_on="2026-11-30", created_by=inspector)
    assert audit_services.inspector_problem(campaign, people.cooperator) is None
    assert "没有稽核员或合作经办角色" in audit_services.inspector_problem(campaign, people.intake)


# --- staff accounts with an organisation ----------------------------------------------------------------

def test_staff_create_requires_the_organisation_of_a_cooperator_and_refuses_it_for_others(staff_factory):
    admin = staff_factory("security_admin")
    with pytest.raises(FieldErrors) as missing:
        staff_create(actor=admin, username="coo1", display_name="钱合作", jurisdiction="370200",
                     roles=["cooperator"], mobile="13800001111")
    assert missing.value.errors["organisation"].startswith("合作经办人员须填写所属机构")
    with pytest.raises(FieldErrors) as extra:
        staff_create(actor=admin, username="int1", display_name="孙受理", jurisdiction="370200",
                     roles=["intake"], mobile="13800001112", organisation=INSURER)
    assert "只有合作经办人员填写所属机构" in extra.value.errors["organisation"]
    user, _ = staff_create(actor=admin, username="coo2", display_name="钱合作", jurisdiction="370200",
                           roles=["cooperator"], mobile="13800001113", organisation=f"  {INSURER} ")
    assert user.organisation == INSURER and str(user) == f"钱合作（合作经办·{INSURER}）"
    assert AuditEvent.objects.get(event_type="accounts.staff_created", target_id=str(user.pk)).details[
        "organisation"] == INSURER


def test_changing_roles_to_cooperator_requires_an_organisation(staff_factory):
    """An existing account made a 合作经办人员 must name its insurer, or its actions would not show whose
    staff acted; the refusal changes nothing."""
    from gongshang.accounts.models import StaffRoleAssignment
    from gongshang.accounts.services.staff import staff_set_roles

    admin = staff_factory("security_admin")
    target = staff_factory("hotline")
    with pytest.raises(FieldErrors) as missing:
        staff_set_roles(actor=admin, user=target, roles=["cooperator"])
    assert missing.value.errors["organisation"].startswith("合作经办人员须填写所属机构")
    assert set(StaffRoleAssignment.objects.filter(user=target).values_list("role", flat=True)) == {"hotline"}
    staff_set_roles(actor=admin, user=target, roles=["cooperator"], organisation=f" {INSURER} ")
    target.refresh_from_db()
    assert target.organisation == INSURER and target.role_codes == {"cooperator"}
    assert str(target).endswith(f"（合作经办·{INSURER}）")
    event = AuditEvent.objects.filter(event_type="accounts.roles_changed", target_id=str(target.pk)).latest("pk")
    assert event.details["organisation"] == INSURER


def test_a_cooperator_made_agency_staff_loses_the_organisation(people, staff_factory):
    from gongshang.accounts.services.staff import staff_set_roles

    admin = staff_factory("security_admin")
    with pytest.raises(FieldErrors) as extra:
        staff_set_roles(actor=admin, user=people.cooperator, roles=["hotline"], organisation=INSURER)
    assert "只有合作经办人员填写所属机构" in extra.value.errors["organisation"]
    staff_set_roles(actor=admin, user=people.cooperator, roles=["hotline"])
    people.cooperator.refresh_from_db()
    assert people.cooperator.organisation == "" and str(people.cooperator) == "钱合作"


@pytest.mark.parametrize("other", ["investigator", "reviewer", "prevention"])
def test_a_cooperator_holds_no_other_role(people, staff_factory, other):
    """合作经办 is allowed only the assisting actions: an insurer's staff member may not also hold an
    agency role (it would reach decisions, PII and money through it)."""
    from gongshang.accounts.models import StaffRoleAssignment, User
    from gongshang.accounts.services.staff import staff_set_roles

    admin = staff_factory("security_admin")
    with pytest.raises(FieldErrors) as refused:
        staff_set_roles(actor=admin, user=people.cooperator, roles=["cooperator", other])
    assert "合作经办人员不能兼任" in refused.value.errors["roles"]
    assert set(StaffRoleAssignment.objects.filter(user=people.cooperator).values_list("role", flat=True)) == {
        "cooperator"}
    with pytest.raises(FieldErrors):
        staff_create(actor=admin, username="coo9", display_name="钱合作", jurisdiction="370200",
                     roles=["cooperator", other], mobile="13800001119", organisation=INSURER)
    assert not User.objects.filter(username="coo9").exists()


def test_the_audit_record_of_a_cooperators_action_keeps_its_insurer(application, people, staff_factory, client):
    """每一步都记在本人名下，并显示所属机构: the audit event itself says whose staff acted, so the
    audit log still shows it after the account leaves the role."""
    from django.urls import reverse

    from gongshang.accounts.services.staff import staff_set_roles

    services.assistant_add(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)
    decision.investigation_note_add(actor=people.cooperator, application=application, text="走访车间。")
    event = AuditEvent.objects.get(actor=people.cooperator, event_type="recognition.investigation_note")
    assert event.actor_label == f"{people.cooperator.username}（合作经办·{INSURER}）"
    staff_set_roles(actor=staff_factory("security_admin"), user=people.cooperator, roles=["hotline"])
    client.force_login(staff_factory("audit_admin"))
    page = client.get(reverse("core:audit_list"), {"username": people.cooperator.username}).content.decode()
    assert f"（合作经办·{INSURER}）" in page
