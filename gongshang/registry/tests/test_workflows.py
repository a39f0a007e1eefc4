"""The employer hall's transition tables (registry/rules/workflows.py) and the one helper applying
them: allowed and refused steps, 409 on a stale status, the audit events kept, and the actions the
pages show."""

import pytest
from django.urls import reverse

from gongshang.core.errors import DomainError
from gongshang.core.models import AuditEvent
from gongshang.core.workflow import transition
from gongshang.registry.choices import ChangeStatus, EmployerStatus, EnrolmentStatus, ImportStatus
from gongshang.registry.imports import leases
from gongshang.registry.models import Enrolment, RosterImport
from gongshang.registry.rules.workflows import (
    CHANGE_WORKFLOW,
    EMPLOYER_WORKFLOW,
    ENROLMENT_WORKFLOW,
    IMPORT_WORKFLOW,
)
from gongshang.registry.services.changes import change_confirm, change_submit, change_withdraw
from gongshang.registry.services.employers import employer_verify
from gongshang.registry.tests.factories import EmployerFactory, valid_id_number
from gongshang.registry.tests.imports_helpers import this_month


@pytest.mark.parametrize(("workflow", "choices"), [
    (CHANGE_WORKFLOW, ChangeStatus), (ENROLMENT_WORKFLOW, EnrolmentStatus), (EMPLOYER_WORKFLOW, EmployerStatus),
    (IMPORT_WORKFLOW, ImportStatus)])
def test_tables_use_the_model_statuses(workflow, choices):
    assert set(workflow.statuses) == set(choices.values)
    assert set(workflow.table()) <= set(choices.values)


def test_change_table():
    assert CHANGE_WORKFLOW.actions_from("pending") == ("edit", "withdraw", "confirm", "reject")
    for final in ("confirmed", "rejected", "withdrawn"):
        assert CHANGE_WORKFLOW.actions_from(final) == ()
    assert CHANGE_WORKFLOW.target_of("edit", "pending") == "pending"


def test_enrolment_table():
    assert ENROLMENT_WORKFLOW.table() == {
        "active": {"suspended", "terminated", "retired"},
        "suspended": {"suspended", "terminated", "retired", "active"},
        "terminated": frozenset(), "retired": frozenset()}


def test_employer_and_import_tables():
    assert EMPLOYER_WORKFLOW.table()["pending"] == {"active"}
    assert not any(EMPLOYER_WORKFLOW.table()[s] for s in ("active", "suspended", "closed"))
    assert IMPORT_WORKFLOW.table() == {"queued": {"running"}, "running": {"succeeded", "rejected", "failed"},
                                       "succeeded": frozenset(), "rejected": frozenset(), "failed": {"queued"}}


# --- the helper on the registry's rows ---------------------------------------------------------------------

@pytest.mark.django_db
def test_employer_verify_twice_is_409_with_the_registry_code(staff_factory):
    pending = EmployerFactory(status="pending", industry="", rate_class=None)
    intake = staff_factory("intake")
    employer_verify(actor=intake, employer_id=pending.pk, industry="C", rate_class=4)
    with pytest.raises(DomainError) as refused:
        employer_verify(actor=intake, employer_id=pending.pk, industry="E", rate_class=5)
    assert (refused.value.status, refused.value.code) == (409, "employer_not_pending")
    pending.refresh_from_db()
    assert (pending.status, pending.industry) == ("active", "C")
    event = AuditEvent.objects.get(event_type="registry.employer_verified")
    assert event.details == {"from": "pending", "to": "active", "industry": "C", "rate_class": 4}


@pytest.mark.django_db
def test_a_confirmed_reduction_ends_the_enrolment_through_its_table(employer_user_a, staff_factory, zhang_wei):
    data = {"kind": "reduce_retire", "insurance_type": "injury", "effective_month": this_month(),
            "id_number": "370202198803151237", "name": "张伟"}
    change = change_submit(actor=employer_user_a, data=data)
    change_confirm(actor=staff_factory("intake"), change_id=change.pk)
    enrolment = Enrolment.objects.get(person=zhang_wei)
    assert enrolment.status == "retired" and enrolment.stop_month is not None
    event = AuditEvent.objects.get(event_type="registry.enrolment_changed")
    assert (event.details["from"], event.details["to"], event.details["change_id"]) == ("active", "retired",
                                                                                        change.pk)
    with pytest.raises(DomainError) as refused:  # a retired relation cannot be resumed
        transition(staff_factory("intake"), enrolment, "resume")
    assert refused.value.status == 409


@pytest.mark.django_db
def test_stale_change_status_is_409(employer_user_a, staff_factory):
    data = {"kind": "add_new", "insurance_type": "injury", "effective_month": this_month(),
            "id_number": valid_id_number(3), "name": "王芳"}
    change = change_submit(actor=employer_user_a, data=data)
    change_withdraw(actor=employer_user_a, change_id=change.pk)
    with pytest.raises(DomainError) as refused:
        change_confirm(actor=staff_factory("intake"), change_id=change.pk)
    assert (refused.value.status, refused.value.code) == (409, "change_not_pending")
    with pytest.raises(DomainError) as stale:  # the helper itself, from a stale in-memory copy
        change.status = "pending"
        transition(employer_user_a, change, "withdraw")
    assert stale.value.status == 409


@pytest.mark.django_db
def test_import_conclusions_and_claim_follow_the_table(employer_a, employer_user_a):
    from gongshang.core.models import StoredFile

    stored = StoredFile.objects.create(storage_path="x/y.xlsx", original_name="y.xlsx", content_type="x", size=1,
                                       sha256="0" * 64)
    roster_import = RosterImport.objects.create(employer=employer_a, region=employer_a.region, direction="add",
                                                mode="all_or_nothing", source_file=stored, original_name="y.xlsx",
                                                created_by=employer_user_a)
    with pytest.raises(DomainError):  # a queued import cannot be concluded
        leases.save_result(roster_import, status=ImportStatus.SUCCEEDED, total=0, accepted=0, rejected=0)
    claim = leases.claim_import(roster_import.pk)
    assert claim is not None and leases.claim_import(roster_import.pk) is None  # claimed once
    leases.save_result(RosterImport.objects.get(pk=roster_import.pk), status=ImportStatus.REJECTED, total=3,
                       accepted=0, rejected=3)
    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.processed, roster_import.lease_expires_at) == ("rejected", 3, None)
    event = AuditEvent.objects.get(event_type="registry.import_finished")
    assert event.actor is None and event.actor_label == leases.SYSTEM_LABEL
    assert (event.details["from"], event.details["to"], event.details["status"]) == ("running", "rejected",
                                                                                     "rejected")


# --- the actions the pages show ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_employer_queue_shows_verify_only_for_pending(client, staff_factory):
    pending = EmployerFactory(status="pending", industry="", rate_class=None, name="待核验单位")
    EmployerFactory(status="active", name="正常单位", uscc="91370211MA3D8QXL2Y")
    client.force_login(staff_factory("intake"))
    page = client.get("/registry/workbench/employers/?status=pending").content.decode()
    assert reverse("registry:staff_employer_verify", args=[pending.pk]) in page
    page = client.get("/registry/workbench/employers/?status=active").content.decode()
    assert "核验通过</button>" not in page


@pytest.mark.django_db
def test_change_pages_show_the_actions_of_the_status(client, employer_user_a, staff_factory):
    data = {"kind": "add_new", "insurance_type": "injury", "effective_month": this_month(),
            "id_number": valid_id_number(4), "name": "王芳"}
    change = change_submit(actor=employer_user_a, data=data)
    intake = staff_factory("intake")
    client.force_login(employer_user_a)
    assert reverse("registry:change_edit", args=[change.pk]) in client.get("/registry/changes/").content.decode()
    client.force_login(intake)
    detail = client.get(reverse("registry:staff_change_detail", args=[change.pk])).content.decode()
    assert 'id="confirm-change"' in detail and 'id="reject-change"' in detail
    assert f'name="ids" value="{change.pk}"' in client.get("/registry/workbench/changes/").content.decode()
    change_confirm(actor=intake, change_id=change.pk)
    detail = client.get(reverse("registry:staff_change_detail", args=[change.pk])).content.decode()
    assert 'id="confirm-change"' not in detail and 'id="reject-change"' not in detail
    assert f'name="ids" value="{change.pk}"' not in client.get("/registry/workbench/changes/").content.decode()
    client.force_login(employer_user_a)
    page = client.get("/registry/changes/").content.decode()
    assert reverse("registry:change_edit", args=[change.pk]) not in page
    assert reverse("registry:change_withdraw", args=[change.pk]) not in page
    edit = client.get(reverse("registry:change_edit", args=[change.pk]))
    assert edit.status_code == 302


def test_roster_badges_come_from_python():
    from gongshang.registry.views.hall import ENROLMENT_BADGES

    assert ENROLMENT_BADGES[EnrolmentStatus.ACTIVE] == "badge-ok"
