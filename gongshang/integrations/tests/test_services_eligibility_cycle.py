"""The daily cycle of 待遇领取资格认证: open the year's certifications, confirm by data, remind once
per step, lapse the overdue (payments suspended); a second run the same day changes nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.models import Entitlement
from gongshang.benefits.services import entitlements as ent
from gongshang.core.errors import Forbidden
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.core.pii.crypto import blind_index
from gongshang.integrations.models import Certification
from gongshang.integrations.rules.eligibility import LAPSE_NOTE
from gongshang.integrations.selectors import eligibility as selectors
from gongshang.integrations.services import eligibility_cycle as cycle
from gongshang.integrations.services.eligibility_cycle import CycleResult

from .factories_eligibility import beneficiary, death_record, dependants, hospital_notice

pytestmark = pytest.mark.django_db
REGION = "370200"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def people(staff_factory):
    return staff_factory(StaffRole.BENEFITS_REVIEWER), staff_factory(StaffRole.BENEFITS_REVIEWER)


@pytest.fixture
def worker(people, zhang_wei, employer_a):
    """张伟, 一级 with full nursing: two monthly fund items from 2025-11 (due 1 November)."""
    _case, monthly = beneficiary(zhang_wei, employer_a, *people, grade=1, nursing="full")
    return monthly


def run():
    return cycle.run_cycle(region=REGION)


@pytest.mark.time_machine("2026-09-01 10:00 +08:00")
def test_opens_one_certification_per_beneficiary_and_year(worker, zhang_wei, time_machine):
    assert len(worker) == 2
    assert run() == CycleResult() and not Certification.objects.exists()  # 61 days before: not yet
    time_machine.move_to("2026-09-02 10:00 +08:00")
    assert run().opened == 1
    c = Certification.objects.get()
    assert (c.region, c.year, c.due_on, c.status, c.person, c.beneficiary_name) == (
        REGION, 2026, date(2026, 11, 1), "due", zhang_wei, "张伟")
    assert c.beneficiary_id_number == zhang_wei.id_number and c.beneficiary_id_index == blind_index(zhang_wei.id_number)
    assert run() == CycleResult() and Certification.objects.count() == 1


@pytest.mark.time_machine("2026-05-15 10:00 +08:00")
def test_each_dependant_is_a_beneficiary_of_their_own(people, li_na, employer_b):
    relatives = (("王芳", "spouse", "370202199001011528"), ("张小明", "child", "370202201501011516"))
    dependants(li_na, employer_b, *people, relatives=relatives)
    result = run()
    rows = {c.beneficiary_name: c for c in Certification.objects.all()}
    assert result.opened == 2 and set(rows) == {"王芳", "张小明"}
    assert rows["王芳"].person is None and rows["王芳"].due_on == date(2026, 7, 1)
    assert rows["张小明"].beneficiary_id_index == blind_index("370202201501011516")


@pytest.mark.time_machine("2026-09-10 10:00 +08:00")
def test_a_recent_hospital_stay_confirms_by_data(worker, zhang_wei):
    notice = hospital_notice(zhang_wei.id_number, on=date(2026, 8, 20))
    result = run()
    c = Certification.objects.get()
    assert (result.opened, result.confirmed, c.status, c.method) == (1, 1, "confirmed", "data")
    assert c.evidence == {"source": "hospital_notice", "label": "卫健委入出院信息", "date": "2026-08-20",
                          "record": f"integrations.hospitalnotice:{notice.pk}"}
    event = AuditEvent.objects.get(event_type="integrations.certification_confirmed")
    assert event.actor is None and event.actor_label == "系统（资格认证）" and event.details["method"] == "data"
    assert not OutboxMessage.objects.filter(template__startswith="sms_certification").exists()


@pytest.mark.time_machine("2026-09-10 10:00 +08:00")
def test_old_stays_payments_and_the_dead_are_not_confirmed(worker, zhang_wei, people):
    from gongshang.benefits.services import payroll

    hospital_notice(zhang_wei.id_number, on=date(2026, 3, 9), number="OLD")  # more than 6 months ago
    payroll.run_create(actor=people[0], period="2026-09")  # paid this month: money is not proof
    assert run().confirmed == 0 and Certification.objects.get().status == "due"
    hospital_notice(zhang_wei.id_number, on=date(2026, 9, 1), number="NEW")
    death_record(zhang_wei.id_number, on=date(2026, 9, 5))
    assert run().confirmed == 0 and Certification.objects.get().status == "due"


@pytest.mark.time_machine("2026-09-10 10:00 +08:00")
def test_a_settled_stay_at_an_agreement_institution_confirms(worker, zhang_wei):
    from gongshang.medical.models import Encounter
    from gongshang.medical.tests.factories import InstitutionFactory

    case = Entitlement.objects.get(pk=worker[0].pk).case
    stay = Encounter.objects.create(
        institution=InstitutionFactory(), case=case, region=REGION, treatment_region=REGION, kind="inpatient",
        admitted_at=datetime(2026, 7, 28, 9, tzinfo=SHANGHAI), discharged_at=datetime(2026, 8, 3, 16, tzinfo=SHANGHAI),
        status="settled")
    assert run().confirmed == 1
    assert Certification.objects.get().evidence["record"] == f"medical.encounter:{stay.pk}"
    assert Certification.objects.get().evidence["date"] == "2026-08-03"


@pytest.mark.time_machine("2026-10-02 10:00 +08:00")
def test_reminders_once_per_step_by_sms(worker, zhang_wei, time_machine):
    assert run().reminded == 1
    sms = OutboxMessage.objects.get(template=cycle.REMINDER_TEMPLATE)
    assert sms.recipient == zhang_wei.mobile and "2026年11月1日" in sms.body
    c = Certification.objects.get()
    assert c.reminders == [{"days": 30, "on": "2026-10-02", "to": "139****0001", "result": "sms"}]
    assert run() == CycleResult()
    time_machine.move_to("2026-10-20 10:00 +08:00")
    assert run() == CycleResult()
    time_machine.move_to("2026-10-25 10:00 +08:00")
    assert run().reminded == 1 and run() == CycleResult()
    assert [r["days"] for r in Certification.objects.get().reminders] == [30, 7]
    assert OutboxMessage.objects.filter(template=cycle.REMINDER_TEMPLATE).count() == 2


@pytest.mark.time_machine("2026-06-01 10:00 +08:00")
def test_a_beneficiary_without_a_mobile_is_listed_for_staff(people, li_na, employer_b, staff_factory):
    dependants(li_na, employer_b, *people)
    result = run()
    assert (result.opened, result.reminded, result.no_mobile) == (1, 0, 1)
    assert not OutboxMessage.objects.filter(template=cycle.REMINDER_TEMPLATE).exists()
    listed = selectors.certification_list(actor=people[0], filters={"view": "no_mobile"})
    row = selectors.certification_row(listed.get())
    assert row["no_mobile"] and "无手机号，请电话或上门通知" in row["reminder"] and row["beneficiary_name"] == "王*"


@pytest.mark.time_machine("2026-09-10 10:00 +08:00")
def test_past_due_lapses_and_suspends_every_monthly_item(worker, zhang_wei, people, time_machine):
    run()
    time_machine.move_to("2026-11-01 23:00 +08:00")
    assert run().lapsed == 0  # the due day is the last day
    time_machine.move_to("2026-11-02 08:00 +08:00")
    result = run()
    c = Certification.objects.get()
    assert (result.lapsed, result.suspended, c.status) == (1, 2, "lapsed")
    assert c.suspended_entitlements == [e.pk for e in worker] and c.lapsed_at is not None
    for row in Entitlement.objects.filter(pk__in=c.suspended_entitlements):
        assert (row.status, row.note) == ("suspended", LAPSE_NOTE)
    assert Entitlement.objects.get(case=worker[0].case, period_kind="once").status == "active"  # one-time: untouched
    assert [m.recipient for m in OutboxMessage.objects.filter(template=cycle.LAPSED_TEMPLATE)] == [zhang_wei.mobile]
    suspended = AuditEvent.objects.filter(event_type="benefits.entitlement_suspended")
    assert suspended.count() == 2 and {e.actor_label for e in suspended} == {"系统（资格认证）"}
    assert run() == CycleResult()


@pytest.mark.time_machine("2026-09-10 10:00 +08:00")
def test_data_arriving_after_the_lapse_confirms_and_resumes(worker, zhang_wei, people, time_machine):
    maker, _ = people
    run()
    ent.entitlement_suspend(actor=maker, entitlement_id=worker[1].pk, reason="护理等级复查中")  # another reason
    time_machine.move_to("2026-11-03 09:00 +08:00")
    assert run().suspended == 1
    hospital_notice(zhang_wei.id_number, on=date(2026, 11, 4))
    time_machine.move_to("2026-11-05 09:00 +08:00")
    assert run().confirmed == 1
    statuses = dict(Entitlement.objects.filter(pk__in=[e.pk for e in worker]).values_list("pk", "status"))
    assert statuses == {worker[0].pk: "active", worker[1].pk: "suspended"}  # staff's suspension stays


@pytest.mark.time_machine("2026-09-10 10:00 +08:00")
def test_waiting_for_review_is_not_lapsed(worker, time_machine):
    run()
    Certification.objects.update(status="submitted")
    time_machine.move_to("2026-11-10 09:00 +08:00")
    assert run() == CycleResult() and Certification.objects.get().status == "submitted"


@pytest.mark.time_machine("2026-09-10 10:00 +08:00")
def test_staff_run_their_region_and_it_is_audited(worker, people, staff_factory):
    with pytest.raises(Forbidden):
        cycle.certifications_run(actor=staff_factory(StaffRole.INTAKE))
    assert not Certification.objects.exists()
    result = cycle.certifications_run(actor=people[0])
    assert result.opened == 1
    event = AuditEvent.objects.get(event_type=cycle.CYCLE_EVENT)
    assert event.actor == people[0] and event.region == REGION and event.details["opened"] == 1
    other = cycle.certifications_run(actor=staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction="370700"))
    assert other == CycleResult() and Certification.objects.count() == 1


@pytest.mark.time_machine("2026-09-10 10:00 +08:00")
def test_a_recorded_death_is_neither_reminded_nor_lapsed_until_refuted(worker, zhang_wei, people, time_machine):
    """The death governs while it is recorded: no SMS to the family asking the dead to certify, no
    lapse of what the death already suspended; once staff refute it, the cycle lapses as usual."""
    from gongshang.integrations.choices import BatchKind, Partner
    from gongshang.integrations.services.deaths import DeathRow, death_apply, death_refute

    from .factories import ExchangeBatchFactory

    run()
    batch = ExchangeBatchFactory(region=REGION, partner=Partner.CIVIL_AFFAIRS, kind=BatchKind.DEATHS)
    death = death_apply(batch=batch, row=DeathRow(zhang_wei.id_number, "张伟", date(2026, 9, 20))).death
    time_machine.move_to("2026-10-02 10:00 +08:00")
    assert run() == CycleResult()
    time_machine.move_to("2026-11-02 09:00 +08:00")
    assert run() == CycleResult()
    c = Certification.objects.get()
    assert (c.status, c.reminders, c.suspended_entitlements) == ("due", [], [])
    assert not OutboxMessage.objects.filter(template__startswith="sms_certification").exists()
    assert {e.note for e in Entitlement.objects.filter(pk__in=[e.pk for e in worker])} == {
        "死亡信息：2026-09-20 死亡（民政），2026-09 以后停发"}
    death_refute(actor=people[0], death_id=death.pk, note="经电话和社区核实，本人健在")
    time_machine.move_to("2026-11-03 09:00 +08:00")
    result = run()
    assert (result.lapsed, result.suspended) == (1, 2)
    c.refresh_from_db()
    assert (c.status, c.suspended_entitlements) == ("lapsed", [e.pk for e in worker])
    assert OutboxMessage.objects.filter(template=cycle.LAPSED_TEMPLATE).count() == 1


@pytest.mark.time_machine("2026-09-10 10:00 +08:00")
def test_a_death_recorded_elsewhere_still_lapses_what_it_left_active_without_an_sms(worker, zhang_wei, time_machine):
    run()
    death_record(zhang_wei.id_number, on=date(2026, 9, 20), region="370700")  # another 统筹区's batch: nothing here halted
    time_machine.move_to("2026-11-02 09:00 +08:00")
    result = run()
    assert (result.reminded, result.lapsed, result.suspended) == (0, 1, 2)
    assert Certification.objects.get().status == "lapsed"
    assert set(Entitlement.objects.filter(pk__in=[e.pk for e in worker]).values_list("status", flat=True)) == {"suspended"}
    assert not OutboxMessage.objects.filter(template__startswith="sms_certification").exists()
