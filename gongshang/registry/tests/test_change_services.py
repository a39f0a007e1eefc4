"""人员异动申报 services (registry/services/changes.py) against the database.

Each test asserts the exact state written: the change request, the roster (Enrolment rows), the
registry (InsuredPerson) and the audit trail. Effective months are built relative to
timezone.localdate(), so the tests hold on any day.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from stdnum.cn import ric

from gongshang.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gongshang.core.models import AuditEvent
from gongshang.core.pii.crypto import blind_index
from gongshang.registry import rules
from gongshang.registry.errors import RegistryErrorCode, RegistryEvent
from gongshang.registry.models import Enrolment, EnrolmentChange, InsuredPerson
from gongshang.registry.services import changes as change_services
from gongshang.registry.services.changes import (
    change_confirm,
    change_reject,
    change_submit,
    change_update,
    change_withdraw,
    changes_decide_many,
)
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory

pytestmark = pytest.mark.django_db

MSG_DUPLICATE_PENDING = "该人员已有待确认的同险种异动申报，请修改原申报或等待经办人员确认。"
MSG_NOT_ENROLLED_HERE = "该人员在本单位没有处于参保状态的本险种参保关系，无需减员。"
MSG_NEW_BUT_ENROLLED = "该人员已有本险种参保记录，请选择“续保”（曾在本单位参保）或“调入”（来自其他单位）。"
MSG_TRANSFER_OPEN_ELSEWHERE = "该人员在原单位的本险种参保关系尚未终止，请原单位先办理减员后再调入。"
MSG_NAME = "姓名与身份证号对应的参保登记信息不一致，请核对姓名和身份证号。"
MSG_REASON = "请填写退回原因，单位将看到这段说明。"
MSG_NOT_FOUND = "没有找到该记录，或您无权查看。"
CHANGE_TARGET = "registry.enrolmentchange"


def make_id(birth: date, seq: int) -> str:
    """A valid 身份证号 (region 370202); the 17th digit's parity gives the gender (odd: male)."""
    base = f"370202{birth:%Y%m%d}{seq:03d}"
    return base + ric.calc_check_digit(base + "0")


NEW_ID = make_id(date(1995, 6, 7), 924)  # female
NEW_ID_2 = make_id(date(1996, 7, 8), 913)  # male
ZHANG_WEI_ID = "370202198803151237"
LI_NA_ID = "370211199207084569"


def this_month() -> date:
    return rules.month_start(timezone.localdate())


def ym(month: date) -> str:
    return f"{month:%Y-%m}"


def addition(id_number=NEW_ID, name="王芳", kind="add_new", insurance_type="injury", **extra):
    return {"kind": kind, "insurance_type": insurance_type, "effective_month": ym(this_month()),
            "id_number": id_number, "name": name, **extra}


def reduction(kind="reduce_terminate", id_number=ZHANG_WEI_ID, name="张伟", insurance_type="injury", **extra):
    return {"kind": kind, "insurance_type": insurance_type, "effective_month": ym(this_month()),
            "id_number": id_number, "name": name, **extra}


def events_for(change) -> list:
    return list(AuditEvent.objects.filter(target_type=CHANGE_TARGET, target_id=str(change.pk))
                .order_by("at", "id").values_list("event_type", flat=True))


def last_event(change) -> AuditEvent:
    return AuditEvent.objects.filter(target_type=CHANGE_TARGET, target_id=str(change.pk)).order_by("-id").first()


def raw_column(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def intake(staff_factory):
    return staff_factory("intake")


@pytest.fixture
def employer_c(db):
    """An employer in another jurisdiction (长春)."""
    return EmployerFactory(uscc="91220101MA0XXXXX1A", name="长春一汽配套有限公司", region="220100")


@pytest.fixture
def employer_user_c(employer_c):
    from gongshang.accounts.tests.factories import EmployerUserFactory

    return EmployerUserFactory(employer=employer_c, username=employer_c.uscc)


def enrolments_of(id_number: str):
    return Enrolment.objects.filter(person__id_number_index=blind_index(id_number)).order_by("pk")


# --- additions end to end ---------------------------------------------------------------------

def test_add_new_end_to_end_creates_person_and_enrolment_only_on_confirmation(employer_a, employer_user_a, intake):
    change = change_submit(actor=employer_user_a, data=addition(
        mobile="13911112222", household_type="农村户口", identity="migrant_worker", declared_wage="6,800.50"))

    change.refresh_from_db()
    assert (change.status, change.direction, change.kind, change.insurance_type) == (
        "pending", "add", "add_new", "injury")
    assert (change.employer_id, change.region, change.created_by_id) == (employer_a.pk, "370200", employer_user_a.pk)
    assert change.effective_month == this_month()
    assert (change.person, change.enrolment, change.decided_by, change.decided_at) == (None, None, None, None)
    assert (change.id_number, change.name, change.mobile, change.household_type, change.identity) == (
        NEW_ID, "王芳", "13911112222", "rural", "migrant_worker")
    assert change.declared_wage == Decimal("6800.50")
    assert raw_column("registry_enrolmentchange", "id_number", change.pk).startswith("enc1:")
    assert not InsuredPerson.objects.filter(id_number_index=blind_index(NEW_ID)).exists()
    assert not Enrolment.objects.filter(employer=employer_a).exclude(person__name="张伟").exists()
    event = last_event(change)
    assert (event.event_type, event.actor_id, event.region) == (RegistryEvent.CHANGE_SUBMITTED, employer_user_a.pk,
                                                                "370200")
    assert event.details == {"kind": "add_new", "insurance_type": "injury", "effective_month": ym(this_month()),
                             "status": "pending"}

    confirmed = change_confirm(actor=intake, change_id=change.pk)

    change.refresh_from_db()
    person = InsuredPerson.objects.get(id_number_index=blind_index(NEW_ID))
    assert (person.name, person.gender, person.birth_date) == ("王芳", "female", date(1995, 6, 7))
    assert (person.mobile, person.household_type, person.region) == ("13911112222", "rural", "370200")
    assert person.id_number == NEW_ID
    raw_id = raw_column("registry_insuredperson", "id_number", person.pk)
    assert raw_id.startswith("enc1:") and NEW_ID not in raw_id
    enrolment = Enrolment.objects.get(person=person)
    assert (enrolment.employer_id, enrolment.insurance_type, enrolment.status) == (employer_a.pk, "injury", "active")
    assert (enrolment.start_month, enrolment.stop_month) == (this_month(), None)
    assert (enrolment.identity, enrolment.declared_wage) == ("migrant_worker", Decimal("6800.50"))
    assert (change.status, change.enrolment_id, change.person_id, change.decided_by_id) == (
        "confirmed", enrolment.pk, person.pk, intake.pk)
    assert change.decided_at is not None
    assert confirmed.pk == change.pk
    event = last_event(change)
    assert (event.event_type, event.actor_id, event.region) == (RegistryEvent.CHANGE_CONFIRMED, intake.pk, "370200")
    assert event.details["status"] == "confirmed"
    assert events_for(change) == [RegistryEvent.CHANGE_SUBMITTED, RegistryEvent.CHANGE_CONFIRMED]


def test_male_gender_derived_from_odd_17th_digit(employer_user_a, intake):
    change = change_submit(actor=employer_user_a, data=addition(id_number=NEW_ID_2, name="赵强"))
    change_confirm(actor=intake, change_id=change.pk)
    person = InsuredPerson.objects.get(id_number_index=blind_index(NEW_ID_2))
    assert (person.gender, person.birth_date, person.mobile, person.household_type) == (
        "male", date(1996, 7, 8), "", "")
    assert Enrolment.objects.get(person=person).identity == "employee"  # the default 参保身份 of an addition


def test_add_continue_resumes_the_suspended_relation(employer_a, employer_user_a, intake):
    person = InsuredPersonFactory(id_number=NEW_ID, name="王芳", mobile="")
    suspended = EnrolmentFactory(person=person, employer=employer_a, status="suspended",
                                 start_month=date(2020, 1, 1), stop_month=date(2024, 5, 1),
                                 declared_wage=Decimal("5000.00"))
    change = change_submit(actor=employer_user_a, data=addition(kind="续保", declared_wage="7200",
                                                                mobile="13922223333"))
    assert change.person_id == person.pk

    change_confirm(actor=intake, change_id=change.pk)

    assert list(enrolments_of(NEW_ID).values_list("pk", flat=True)) == [suspended.pk]
    suspended.refresh_from_db()
    assert (suspended.status, suspended.stop_month, suspended.start_month) == ("active", None, date(2020, 1, 1))
    assert suspended.declared_wage == Decimal("7200.00")
    person.refresh_from_db()
    assert person.mobile == "13922223333"  # a blank is completed
    change.refresh_from_db()
    assert (change.status, change.enrolment_id) == ("confirmed", suspended.pk)


def test_add_continue_after_termination_opens_a_new_relation(employer_a, employer_user_a, intake):
    person = InsuredPersonFactory(id_number=NEW_ID, name="王芳", mobile="13900009999", household_type="urban")
    old = EnrolmentFactory(person=person, employer=employer_a, status="terminated", start_month=date(2019, 3, 1),
                           stop_month=date(2023, 1, 1))
    change = change_submit(actor=employer_user_a,
                           data=addition(kind="add_continue", mobile="13811112222", household_type="rural"))
    change_confirm(actor=intake, change_id=change.pk)

    rows = list(enrolments_of(NEW_ID).values_list("pk", "status", "start_month", "stop_month"))
    new_pk = rows[1][0]
    assert rows == [(old.pk, "terminated", date(2019, 3, 1), date(2023, 1, 1)),
                    (new_pk, "active", this_month(), None)]
    person.refresh_from_db()
    # The registry's own data is completed, never overwritten, by an employer's declaration.
    assert (person.mobile, person.household_type) == ("13900009999", "urban")


def test_transfer_in_from_closed_relation_elsewhere(employer_a, employer_b, employer_user_a, intake):
    person = InsuredPersonFactory(id_number=NEW_ID, name="王芳")
    EnrolmentFactory(person=person, employer=employer_b, insurance_type="pension", status="terminated",
                     stop_month=date(2025, 6, 1))
    change = change_submit(actor=employer_user_a, data=addition(kind="调入", insurance_type="养老保险"))
    change_confirm(actor=intake, change_id=change.pk)
    assert list(enrolments_of(NEW_ID).values_list("employer_id", "insurance_type", "status")) == [
        (employer_b.pk, "pension", "terminated"), (employer_a.pk, "pension", "active")]


def test_continue_cannot_start_before_the_termination_took_effect(employer_a, employer_user_a, intake, zhang_wei):
    next_month = rules.add_months(this_month(), 1)
    ending = change_submit(actor=employer_user_a, data=reduction(effective_month=ym(next_month)))
    change_confirm(actor=intake, change_id=ending.pk)
    with pytest.raises(FieldErrors) as refused:
        change_submit(actor=employer_user_a, data=addition(id_number=ZHANG_WEI_ID, name="张伟", kind="add_continue"))
    assert set(refused.value.errors) == {"effective_month"}
    assert list(Enrolment.objects.filter(person=zhang_wei).values_list("status", "stop_month")) == [
        ("terminated", next_month)]


# --- reductions end to end --------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "expected"), [
    ("reduce_suspend", "suspended"), ("reduce_terminate", "terminated"), ("reduce_retire", "retired"),
])
def test_reduction_end_to_end(employer_a, employer_user_a, intake, zhang_wei, kind, expected):
    enrolment = Enrolment.objects.get(person=zhang_wei, employer=employer_a)
    change = change_submit(actor=employer_user_a, data=reduction(kind=kind))
    change.refresh_from_db()
    assert (change.status, change.direction, change.person_id, change.identity) == (
        "pending", "reduce", zhang_wei.pk, "")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.stop_month) == ("active", None)  # nothing until confirmed

    change_confirm(actor=intake, change_id=change.pk)

    enrolment.refresh_from_db()
    change.refresh_from_db()
    assert (enrolment.status, enrolment.stop_month, enrolment.start_month) == (
        expected, this_month(), date(2020, 1, 1))
    assert (change.status, change.enrolment_id, change.person_id) == ("confirmed", enrolment.pk, zhang_wei.pk)
    assert Enrolment.objects.filter(person=zhang_wei).count() == 1
    assert events_for(change) == [RegistryEvent.CHANGE_SUBMITTED, RegistryEvent.CHANGE_CONFIRMED]


def test_terminate_a_suspended_relation(employer_a, employer_user_a, intake, zhang_wei):
    Enrolment.objects.filter(person=zhang_wei).update(status="suspended", stop_month=date(2025, 1, 1))
    with pytest.raises(FieldErrors) as refused:
        change_submit(actor=employer_user_a, data=reduction(kind="reduce_suspend"))
    assert refused.value.errors == {"kind": "该人员在本单位已暂停参保；如需终止，请选择“终止参保”。"}
    change = change_submit(actor=employer_user_a, data=reduction(kind="reduce_terminate"))
    change_confirm(actor=intake, change_id=change.pk)
    assert list(Enrolment.objects.filter(person=zhang_wei).values_list("status", "stop_month")) == [
        ("terminated", this_month())]


def test_reduction_of_another_employers_employee_refused(employer_user_a, li_na):
    with pytest.raises(FieldErrors) as refused:
        change_submit(actor=employer_user_a, data=reduction(id_number=LI_NA_ID, name="李娜"))
    assert refused.value.errors == {"id_number": MSG_NOT_ENROLLED_HERE}
    assert EnrolmentChange.objects.count() == 0


# --- submission refusals ----------------------------------------------------------------------

def test_input_problems_reported_by_field_and_nothing_saved(employer_user_a):
    with pytest.raises(FieldErrors) as refused:
        change_submit(actor=employer_user_a, data={"kind": "入职", "insurance_type": "injury",
                                                   "effective_month": "下月", "id_number": "370202198803151238",
                                                   "name": ""})
    assert refused.value.status == 422
    assert set(refused.value.errors) == {"kind", "effective_month", "id_number", "name"}
    assert refused.value.errors["id_number"] == "身份证号校验位不正确，请核对最后一位"
    assert EnrolmentChange.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type=RegistryEvent.CHANGE_SUBMITTED).exists()


def test_effective_month_outside_window_refused(employer_user_a):
    too_early = rules.add_months(this_month(), -3)
    earliest, latest = rules.add_months(this_month(), -2), rules.add_months(this_month(), 1)
    with pytest.raises(FieldErrors) as refused:
        change_submit(actor=employer_user_a, data=addition(effective_month=ym(too_early)))
    assert refused.value.errors == {"effective_month": (
        f"生效月份须在{earliest.year}年{earliest.month}月至{latest.year}年{latest.month}月之间；更早的月份请办理补缴。")}
    change = change_submit(actor=employer_user_a, data=addition(effective_month=ym(earliest)))
    assert change.effective_month == earliest


def test_under_16_refused(employer_user_a):
    today = timezone.localdate()
    child = make_id(date(today.year - 15, 1, 1), 924)
    with pytest.raises(FieldErrors) as refused:
        change_submit(actor=employer_user_a, data=addition(id_number=child, name="小明"))
    assert refused.value.errors == {"id_number": "该人员在生效月份未满十六周岁，不能办理参保（劳动法第十五条）。"}


def test_name_mismatch_refused(employer_user_a, li_na):
    with pytest.raises(FieldErrors) as refused:
        change_submit(actor=employer_user_a, data=addition(id_number=LI_NA_ID, name="李四", kind="add_transfer_in"))
    assert refused.value.errors == {"name": MSG_NAME}


def test_closed_employer_cannot_submit(employer_a, employer_user_a):
    employer_a.status = "closed"
    employer_a.save()
    with pytest.raises(DomainError) as refused:
        change_submit(actor=employer_user_a, data=addition())
    assert (refused.value.code, refused.value.status) == (RegistryErrorCode.EMPLOYER_CLOSED, 409)
    assert EnrolmentChange.objects.count() == 0


def test_duplicate_pending_refused_same_type_only(employer_user_a):
    first = change_submit(actor=employer_user_a, data=addition())
    with pytest.raises(FieldErrors) as refused:
        change_submit(actor=employer_user_a, data=addition(kind="add_new", effective_month=ym(
            rules.add_months(this_month(), 1))))
    assert refused.value.errors == {"id_number": MSG_DUPLICATE_PENDING}
    other_type = change_submit(actor=employer_user_a, data=addition(insurance_type="medical"))
    assert list(EnrolmentChange.objects.order_by("pk").values_list("pk", "insurance_type")) == [
        (first.pk, "injury"), (other_type.pk, "medical")]


def test_duplicate_allowed_again_after_withdrawal(employer_user_a):
    first = change_submit(actor=employer_user_a, data=addition())
    change_withdraw(actor=employer_user_a, change_id=first.pk)
    second = change_submit(actor=employer_user_a, data=addition())
    assert list(EnrolmentChange.objects.order_by("pk").values_list("pk", "status")) == [
        (first.pk, "withdrawn"), (second.pk, "pending")]


def test_concurrent_duplicate_answers_change_duplicate(employer_user_a, monkeypatch):
    """Two submissions racing past the check: the partial unique index refuses the second."""
    change_submit(actor=employer_user_a, data=addition())
    monkeypatch.setattr(change_services, "registry_problems", lambda **kwargs: [[]])
    with pytest.raises(DomainError) as refused:
        change_submit(actor=employer_user_a, data=addition())
    assert (refused.value.code, refused.value.status) == (RegistryErrorCode.CHANGE_DUPLICATE, 409)
    assert EnrolmentChange.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=RegistryEvent.CHANGE_SUBMITTED).count() == 1


def test_pending_change_constraint(employer_a, employer_user_a):
    change = change_submit(actor=employer_user_a, data=addition())
    values = {f: getattr(change, f) for f in ("employer", "region", "direction", "kind", "insurance_type",
                                              "effective_month", "id_number", "name", "created_by")}
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentChange.objects.create(**values)
    EnrolmentChange.objects.create(**values, status="rejected")  # decided ones do not count
    assert EnrolmentChange.objects.filter(status="pending").count() == 1


def test_open_enrolment_constraint(employer_a, employer_b, zhang_wei):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(person=zhang_wei, employer=employer_a, status="suspended")
    EnrolmentFactory(person=zhang_wei, employer=employer_a, status="terminated")
    EnrolmentFactory(person=zhang_wei, employer=employer_a, status="retired")
    EnrolmentFactory(person=zhang_wei, employer=employer_b, status="active")  # injury with two employers
    EnrolmentFactory(person=zhang_wei, employer=employer_a, insurance_type="pension", status="active")
    assert Enrolment.objects.filter(person=zhang_wei).count() == 5


# --- multi-employer rule ---------------------------------------------------------------------

def test_injury_enrolment_with_a_second_employer_allowed(employer_a, employer_b, employer_user_a, intake, li_na):
    with pytest.raises(FieldErrors) as refused:
        change_submit(actor=employer_user_a, data=addition(id_number=LI_NA_ID, name="李娜"))
    assert refused.value.errors == {"kind": MSG_NEW_BUT_ENROLLED}
    change = change_submit(actor=employer_user_a, data=addition(id_number=LI_NA_ID, name="李娜",
                                                                kind="add_transfer_in"))
    change_confirm(actor=intake, change_id=change.pk)
    assert sorted(enrolments_of(LI_NA_ID).values_list("employer_id", "insurance_type", "status")) == sorted([
        (employer_b.pk, "injury", "active"), (employer_a.pk, "injury", "active")])


def test_pension_transfer_blocked_while_open_elsewhere(employer_b, employer_user_a, li_na):
    EnrolmentFactory(person=li_na, employer=employer_b, insurance_type="pension", status="suspended")
    with pytest.raises(FieldErrors) as refused:
        change_submit(actor=employer_user_a, data=addition(id_number=LI_NA_ID, name="李娜", kind="add_transfer_in",
                                                           insurance_type="pension"))
    assert refused.value.errors == {"kind": MSG_TRANSFER_OPEN_ELSEWHERE}
    assert EnrolmentChange.objects.count() == 0


# --- reject, withdraw, update ------------------------------------------------------------------

def test_reject_with_reason(employer_a, employer_user_a, intake, zhang_wei):
    change = change_submit(actor=employer_user_a, data=reduction())
    change_reject(actor=intake, change_id=change.pk, reason="  请附解除劳动合同证明  ")
    change.refresh_from_db()
    assert (change.status, change.reject_reason, change.decided_by_id, change.enrolment_id) == (
        "rejected", "请附解除劳动合同证明", intake.pk, None)
    assert change.decided_at is not None
    assert list(Enrolment.objects.filter(person=zhang_wei).values_list("status", "stop_month")) == [("active", None)]
    event = last_event(change)
    assert (event.event_type, event.actor_id) == (RegistryEvent.CHANGE_REJECTED, intake.pk)
    assert event.details == {"from": "pending", "to": "rejected", "kind": "reduce_terminate", "insurance_type": "injury",
                             "effective_month": ym(this_month()), "status": "rejected",
                             "reason": "请附解除劳动合同证明"}


def test_reject_reason_kept_to_500_characters(employer_user_a, intake):
    change = change_submit(actor=employer_user_a, data=addition())
    change_reject(actor=intake, change_id=change.pk, reason="缺" * 600)
    change.refresh_from_db()
    assert change.reject_reason == "缺" * 500


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reject_without_reason_refused(employer_user_a, intake, reason):
    change = change_submit(actor=employer_user_a, data=addition())
    with pytest.raises(FieldErrors) as refused:
        change_reject(actor=intake, change_id=change.pk, reason=reason)
    assert refused.value.errors == {"reason": MSG_REASON}
    assert refused.value.details == [{"field": "reason", "message": MSG_REASON}]
    change.refresh_from_db()
    assert (change.status, change.decided_by_id) == ("pending", None)
    assert events_for(change) == [RegistryEvent.CHANGE_SUBMITTED]


def test_withdraw_keeps_the_request_as_withdrawn(employer_user_a, intake):
    change = change_submit(actor=employer_user_a, data=addition())
    change_withdraw(actor=employer_user_a, change_id=change.pk)
    change.refresh_from_db()
    assert (change.status, change.decided_by_id) == ("withdrawn", None)
    assert events_for(change) == [RegistryEvent.CHANGE_SUBMITTED, RegistryEvent.CHANGE_WITHDRAWN]
    assert last_event(change).actor_id == employer_user_a.pk
    for attempt in (lambda: change_withdraw(actor=employer_user_a, change_id=change.pk),
                    lambda: change_confirm(actor=intake, change_id=change.pk),
                    lambda: change_reject(actor=intake, change_id=change.pk, reason="迟了")):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert (refused.value.code, refused.value.status) == (RegistryErrorCode.CHANGE_NOT_PENDING, 409)
    change.refresh_from_db()
    assert change.status == "withdrawn"
    assert not InsuredPerson.objects.filter(id_number_index=blind_index(NEW_ID)).exists()
    assert len(events_for(change)) == 2


def test_update_while_pending(employer_user_a, intake):
    change = change_submit(actor=employer_user_a, data=addition())
    next_month = rules.add_months(this_month(), 1)
    updated = change_update(actor=employer_user_a, change_id=change.pk,
                            data={"effective_month": ym(next_month), "declared_wage": "8000",
                                  "identity": "实习学生", "status": "confirmed", "employer_id": 999})
    change.refresh_from_db()
    assert updated.pk == change.pk
    assert (change.status, change.effective_month, change.declared_wage, change.identity, change.name) == (
        "pending", next_month, Decimal("8000.00"), "intern", "王芳")
    assert events_for(change) == [RegistryEvent.CHANGE_SUBMITTED, RegistryEvent.CHANGE_UPDATED]
    assert last_event(change).details["effective_month"] == ym(next_month)
    change_confirm(actor=intake, change_id=change.pk)
    assert list(enrolments_of(NEW_ID).values_list("start_month", "identity", "declared_wage")) == [
        (next_month, "intern", Decimal("8000.00"))]


def test_update_to_another_person_recomputes_person_but_never_direction(employer_user_a, zhang_wei):
    change = change_submit(actor=employer_user_a, data=addition())
    with pytest.raises(FieldErrors) as refused:  # 增员 stays 增员: withdraw and declare again
        change_update(actor=employer_user_a, change_id=change.pk,
                      data={"kind": "reduce_suspend", "id_number": ZHANG_WEI_ID, "name": "张伟"})
    assert set(refused.value.errors) == {"kind"}
    other = change_submit(actor=employer_user_a, data=reduction(kind="reduce_suspend", id_number=ZHANG_WEI_ID,
                                                                name="张伟"))
    change_update(actor=employer_user_a, change_id=other.pk, data={"kind": "reduce_terminate"})
    other.refresh_from_db()
    assert (other.direction, other.kind, other.person_id, other.id_number) == (
        "reduce", "reduce_terminate", zhang_wei.pk, ZHANG_WEI_ID)
    assert other.id_number_index == blind_index(ZHANG_WEI_ID)


def test_update_with_bad_values_refused_and_nothing_changed(employer_user_a):
    change = change_submit(actor=employer_user_a, data=addition(declared_wage="6000"))
    with pytest.raises(FieldErrors) as refused:
        change_update(actor=employer_user_a, change_id=change.pk, data={"declared_wage": "-1", "name": ""})
    assert set(refused.value.errors) == {"declared_wage", "name"}
    change.refresh_from_db()
    assert (change.declared_wage, change.name) == (Decimal("6000.00"), "王芳")
    assert events_for(change) == [RegistryEvent.CHANGE_SUBMITTED]


def test_update_onto_another_pending_person_refused(employer_user_a):
    change_submit(actor=employer_user_a, data=addition(id_number=NEW_ID_2, name="赵强"))
    change = change_submit(actor=employer_user_a, data=addition())
    with pytest.raises(FieldErrors) as refused:
        change_update(actor=employer_user_a, change_id=change.pk, data={"id_number": NEW_ID_2, "name": "赵强"})
    assert refused.value.errors == {"id_number": MSG_DUPLICATE_PENDING}
    change.refresh_from_db()
    assert change.id_number == NEW_ID
    # and the change does not collide with itself
    change_update(actor=employer_user_a, change_id=change.pk, data={"name": "王 芳"})
    change.refresh_from_db()
    assert change.name == "王芳"


@pytest.mark.parametrize("decision", ["confirm", "reject"])
def test_update_and_withdraw_refused_after_decision(employer_user_a, intake, decision):
    change = change_submit(actor=employer_user_a, data=addition())
    if decision == "confirm":
        change_confirm(actor=intake, change_id=change.pk)
    else:
        change_reject(actor=intake, change_id=change.pk, reason="材料不全")
    for attempt in (lambda: change_update(actor=employer_user_a, change_id=change.pk, data={"name": "王小芳"}),
                    lambda: change_withdraw(actor=employer_user_a, change_id=change.pk)):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert (refused.value.code, refused.value.status) == (RegistryErrorCode.CHANGE_NOT_PENDING, 409)
    change.refresh_from_db()
    assert (change.status, change.name) == ({"confirm": "confirmed", "reject": "rejected"}[decision], "王芳")
    assert len(events_for(change)) == 2


def test_confirm_twice_refused(employer_user_a, intake):
    change = change_submit(actor=employer_user_a, data=addition())
    change_confirm(actor=intake, change_id=change.pk)
    with pytest.raises(DomainError) as refused:
        change_confirm(actor=intake, change_id=change.pk)
    assert refused.value.code == RegistryErrorCode.CHANGE_NOT_PENDING
    assert enrolments_of(NEW_ID).count() == 1


# --- re-check at confirmation --------------------------------------------------------------------

def test_confirmation_rechecks_a_reduction_when_the_roster_changed(employer_user_a, intake, zhang_wei):
    change = change_submit(actor=employer_user_a, data=reduction(kind="reduce_suspend"))
    Enrolment.objects.filter(person=zhang_wei).update(status="terminated", stop_month=date(2025, 12, 1))
    with pytest.raises(DomainError) as refused:
        change_confirm(actor=intake, change_id=change.pk)
    assert (refused.value.code, refused.value.status) == (RegistryErrorCode.CHANGE_NO_LONGER_VALID, 409)
    assert refused.value.details == [{"field": "id_number", "message": MSG_NOT_ENROLLED_HERE}]
    change.refresh_from_db()
    assert (change.status, change.decided_by_id, change.decided_at, change.enrolment_id) == (
        "pending", None, None, None)
    assert list(Enrolment.objects.filter(person=zhang_wei).values_list("status", "stop_month")) == [
        ("terminated", date(2025, 12, 1))]
    assert events_for(change) == [RegistryEvent.CHANGE_SUBMITTED]
    # staff can still reject it with a reason
    change_reject(actor=intake, change_id=change.pk, reason="已另行办理终止")
    change.refresh_from_db()
    assert change.status == "rejected"


def test_confirmation_rechecks_an_addition_and_writes_nothing(employer_a, employer_b, employer_user_a,
                                                              employer_user_b, intake):
    """Two employers declare the same new person for pension; once one is confirmed, the other
    is no longer a 新参保 and confirming it must not create a second relation."""
    change_a = change_submit(actor=employer_user_a, data=addition(insurance_type="pension"))
    change_b = change_submit(actor=employer_user_b, data=addition(insurance_type="pension"))
    change_confirm(actor=intake, change_id=change_b.pk)
    with pytest.raises(DomainError) as refused:
        change_confirm(actor=intake, change_id=change_a.pk)
    assert refused.value.code == RegistryErrorCode.CHANGE_NO_LONGER_VALID
    assert refused.value.details == [{"field": "kind", "message": MSG_NEW_BUT_ENROLLED}]
    assert list(enrolments_of(NEW_ID).values_list("employer_id", "status")) == [(employer_b.pk, "active")]
    assert InsuredPerson.objects.filter(id_number_index=blind_index(NEW_ID)).count() == 1
    change_a.refresh_from_db()
    assert (change_a.status, change_a.person_id, change_a.enrolment_id) == ("pending", None, None)


def test_confirmation_rechecks_name_against_person_registered_meanwhile(employer_user_a, employer_user_b, intake):
    change_a = change_submit(actor=employer_user_a, data=addition(name="王芳"))
    change_b = change_submit(actor=employer_user_b, data=addition(name="王方", insurance_type="medical"))
    change_confirm(actor=intake, change_id=change_a.pk)
    with pytest.raises(DomainError) as refused:
        change_confirm(actor=intake, change_id=change_b.pk)
    assert refused.value.details == [{"field": "name", "message": MSG_NAME}]
    assert list(InsuredPerson.objects.filter(id_number_index=blind_index(NEW_ID)).values_list("name", flat=True)) == [
        "王芳"]
    assert enrolments_of(NEW_ID).count() == 1


# --- permissions -------------------------------------------------------------------------------

def test_other_employer_cannot_touch_the_change(employer_user_a, employer_user_b):
    change = change_submit(actor=employer_user_a, data=addition())
    for attempt in (lambda: change_update(actor=employer_user_b, change_id=change.pk, data={"name": "李四"}),
                    lambda: change_withdraw(actor=employer_user_b, change_id=change.pk)):
        with pytest.raises(NotFound) as refused:
            attempt()
        assert (refused.value.status, refused.value.code, refused.value.message) == (404, "not_found", MSG_NOT_FOUND)
    with pytest.raises(NotFound) as missing:
        change_withdraw(actor=employer_user_b, change_id=change.pk + 1000)
    assert missing.value.as_body() == refused.value.as_body()
    change.refresh_from_db()
    assert (change.status, change.name) == ("pending", "王芳")
    assert events_for(change) == [RegistryEvent.CHANGE_SUBMITTED]


def test_staff_of_another_jurisdiction_gets_not_found(employer_user_a, staff_factory):
    change = change_submit(actor=employer_user_a, data=addition())
    elsewhere = staff_factory("intake", jurisdiction="220100")
    with pytest.raises(NotFound):
        change_confirm(actor=elsewhere, change_id=change.pk)
    with pytest.raises(NotFound):
        change_reject(actor=elsewhere, change_id=change.pk, reason="不属本区")
    result = changes_decide_many(actor=elsewhere, change_ids=[change.pk], action="confirm")
    assert result == {"done": [], "failed": [{"id": change.pk, "message": MSG_NOT_FOUND}]}
    change.refresh_from_db()
    assert change.status == "pending"
    assert not InsuredPerson.objects.filter(id_number_index=blind_index(NEW_ID)).exists()


def test_staff_see_only_their_jurisdictions_changes(employer_user_c, intake, staff_factory):
    change = change_submit(actor=employer_user_c, data=addition())
    assert change.region == "220100"
    with pytest.raises(NotFound):
        change_confirm(actor=intake, change_id=change.pk)
    change_confirm(actor=staff_factory("intake", jurisdiction="220100"), change_id=change.pk)
    change.refresh_from_db()
    assert change.status == "confirmed"
    assert last_event(change).region == "220100"


def test_staff_without_intake_role_forbidden(employer_user_a, staff_factory):
    change = change_submit(actor=employer_user_a, data=addition())
    reviewer = staff_factory("reviewer", "inspector")
    for attempt in (lambda: change_confirm(actor=reviewer, change_id=change.pk),
                    lambda: change_reject(actor=reviewer, change_id=change.pk, reason="x")):
        with pytest.raises(Forbidden) as refused:
            attempt()
        assert (refused.value.status, refused.value.code) == (403, "forbidden")
    change.refresh_from_db()
    assert change.status == "pending"
    assert events_for(change) == [RegistryEvent.CHANGE_SUBMITTED]


def test_individual_forbidden_everywhere(employer_user_a, individual_user):
    change = change_submit(actor=employer_user_a, data=addition())
    attempts = [
        lambda: change_submit(actor=individual_user, data=addition(id_number=NEW_ID_2, name="赵强")),
        lambda: change_update(actor=individual_user, change_id=change.pk, data={"name": "王五"}),
        lambda: change_withdraw(actor=individual_user, change_id=change.pk),
        lambda: change_confirm(actor=individual_user, change_id=change.pk),
        lambda: change_reject(actor=individual_user, change_id=change.pk, reason="x"),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
    change.refresh_from_db()
    assert (change.status, change.name) == ("pending", "王芳")
    assert EnrolmentChange.objects.count() == 1


def test_employer_cannot_decide_and_staff_cannot_declare(employer_user_a, intake):
    change = change_submit(actor=employer_user_a, data=addition())
    with pytest.raises(Forbidden):
        change_confirm(actor=employer_user_a, change_id=change.pk)
    with pytest.raises(Forbidden):
        change_reject(actor=employer_user_a, change_id=change.pk, reason="自己退回")
    with pytest.raises(Forbidden):
        change_submit(actor=intake, data=addition(id_number=NEW_ID_2, name="赵强"))
    with pytest.raises(Forbidden):
        change_withdraw(actor=intake, change_id=change.pk)
    change.refresh_from_db()
    assert change.status == "pending"


# --- bulk decisions ----------------------------------------------------------------------------

def test_bulk_confirm_one_failure_does_not_hold_back_the_others(employer_a, employer_user_a, intake, zhang_wei):
    first = change_submit(actor=employer_user_a, data=addition())
    failing = change_submit(actor=employer_user_a, data=reduction(kind="reduce_retire"))
    third = change_submit(actor=employer_user_a, data=addition(id_number=NEW_ID_2, name="赵强"))
    Enrolment.objects.filter(person=zhang_wei).update(status="terminated")  # roster changed meanwhile

    result = changes_decide_many(actor=intake, change_ids=[first.pk, failing.pk, third.pk, first.pk, 987654],
                                 action="confirm")

    assert result == {"done": [first.pk, third.pk], "failed": [
        {"id": failing.pk, "message": str(RegistryErrorCode.CHANGE_NO_LONGER_VALID.label)},
        {"id": 987654, "message": MSG_NOT_FOUND}]}
    assert dict(EnrolmentChange.objects.values_list("pk", "status")) == {
        first.pk: "confirmed", failing.pk: "pending", third.pk: "confirmed"}
    assert enrolments_of(NEW_ID).get().status == "active"
    assert enrolments_of(NEW_ID_2).get().status == "active"
    assert list(Enrolment.objects.filter(person=zhang_wei).values_list("status", flat=True)) == ["terminated"]
    assert events_for(first) == [RegistryEvent.CHANGE_SUBMITTED, RegistryEvent.CHANGE_CONFIRMED]
    assert events_for(failing) == [RegistryEvent.CHANGE_SUBMITTED]


def test_bulk_reject_with_reason(employer_user_a, intake):
    first = change_submit(actor=employer_user_a, data=addition())
    second = change_submit(actor=employer_user_a, data=addition(id_number=NEW_ID_2, name="赵强"))
    change_withdraw(actor=employer_user_a, change_id=second.pk)
    result = changes_decide_many(actor=intake, change_ids=[first.pk, second.pk], action="reject", reason="缺合同")
    assert result == {"done": [first.pk], "failed": [
        {"id": second.pk, "message": str(RegistryErrorCode.CHANGE_NOT_PENDING.label)}]}
    assert list(EnrolmentChange.objects.order_by("pk").values_list("status", "reject_reason")) == [
        ("rejected", "缺合同"), ("withdrawn", "")]


def test_bulk_reject_without_reason_decides_nothing(employer_user_a, intake):
    first = change_submit(actor=employer_user_a, data=addition())
    result = changes_decide_many(actor=intake, change_ids=[first.pk], action="reject", reason=" ")
    assert result["done"] == [] and [f["id"] for f in result["failed"]] == [first.pk]
    first.refresh_from_db()
    assert first.status == "pending"


def test_bulk_unknown_action_decides_nothing(employer_user_a, intake):
    first = change_submit(actor=employer_user_a, data=addition())
    with pytest.raises((ValueError, DomainError)):
        changes_decide_many(actor=intake, change_ids=[first.pk], action="approve", reason="批量处理")
    first.refresh_from_db()
    assert first.status == "pending"


def test_bulk_by_staff_without_role_fails_every_item(employer_user_a, staff_factory):
    first = change_submit(actor=employer_user_a, data=addition())
    result = changes_decide_many(actor=staff_factory("hotline"), change_ids=[first.pk], action="confirm")
    assert result == {"done": [], "failed": [{"id": first.pk, "message": "您的角色无权办理此业务。如确需办理，请联系安全管理员调整角色。"}]}
    first.refresh_from_db()
    assert first.status == "pending"


# --- registry state and batch checks (selectors.person_states_for, checks.registry_problems) ------

def test_person_states_for_exact_states(employer_a, employer_b, zhang_wei):
    from gongshang.registry.selectors import person_states_for

    EnrolmentFactory(person=zhang_wei, employer=employer_b, status="terminated")
    EnrolmentFactory(person=zhang_wei, employer=employer_b, insurance_type="pension", status="suspended")
    EnrolmentFactory(person=zhang_wei, employer=employer_a, status="terminated", start_month=date(2025, 1, 1))
    states = person_states_for(employer_id=employer_a.pk, entries=[
        (ZHANG_WEI_ID, "张伟", "injury"), (ZHANG_WEI_ID, "张三", "pension"), (ZHANG_WEI_ID, "", "medical"),
        (NEW_ID, "王芳", "injury")])
    assert states == {
        # the open relation wins over a later closed one
        (ZHANG_WEI_ID, "injury"): rules.PersonState(in_registry=True, name_matches=True, here_status="active",
                                                   here_start=date(2020, 1, 1), ever_enrolled=True,
                                                   open_elsewhere=False, enrolled_elsewhere=True),
        (ZHANG_WEI_ID, "pension"): rules.PersonState(in_registry=True, name_matches=False, here_status=None,
                                                    here_start=None, ever_enrolled=True, open_elsewhere=True,
                                                    enrolled_elsewhere=True),
        (ZHANG_WEI_ID, "medical"): rules.PersonState(in_registry=True, name_matches=True),
        (NEW_ID, "injury"): rules.PersonState(),
    }


def test_person_states_for_latest_closed_relation_here(employer_a, employer_b):
    from gongshang.registry.selectors import person_states_for

    person = InsuredPersonFactory(id_number=NEW_ID, name="王芳")
    EnrolmentFactory(person=person, employer=employer_a, status="retired", start_month=date(2022, 5, 1))
    EnrolmentFactory(person=person, employer=employer_a, status="terminated", start_month=date(2018, 1, 1))
    state = person_states_for(employer_id=employer_a.pk, entries=[(NEW_ID, "王芳", "injury")])[(NEW_ID, "injury")]
    assert (state.here_status, state.here_start, state.open_elsewhere, state.enrolled_elsewhere) == (
        "retired", date(2022, 5, 1), False, False)
    from_b = person_states_for(employer_id=employer_b.pk, entries=[(NEW_ID, "王芳", "injury")])[(NEW_ID, "injury")]
    assert (from_b.here_status, from_b.ever_enrolled, from_b.open_elsewhere, from_b.enrolled_elsewhere) == (
        None, True, False, True)


def test_registry_problems_for_a_batch(employer_a, employer_user_a, zhang_wei):
    from gongshang.registry.services.checks import registry_problems
    from gongshang.registry.validation import clean_change_input

    pending = change_submit(actor=employer_user_a, data=addition())
    today = timezone.localdate()
    rows = [clean_change_input(data)[0] for data in (
        addition(),  # already pending
        addition(id_number=NEW_ID_2, name="赵强"),  # fine
        reduction(kind="reduce_suspend"),  # fine
        addition(id_number=ZHANG_WEI_ID, name="张伟"),  # already active here
        addition(id_number="370202198803151238", name="坏号"),  # incomplete: skipped
        addition(id_number=NEW_ID_2, name="赵强", effective_month=ym(rules.add_months(this_month(), 2))),
    )]
    window = rules.effective_month_window(today, backdate_months=2, ahead_months=1)
    assert registry_problems(employer_id=employer_a.pk, rows=rows) == [
        [("id_number", MSG_DUPLICATE_PENDING)],
        [],
        [],
        [("id_number", "该人员在本单位已是参保缴费状态，无需增员。")],
        [],
        [("effective_month", f"生效月份须在{window[0].year}年{window[0].month}月至{window[1].year}年"
                             f"{window[1].month}月之间；更早的月份请办理补缴。")],
    ]
    assert registry_problems(employer_id=employer_a.pk, rows=rows[:1], exclude_change_id=pending.pk) == [[]]
    assert registry_problems(employer_id=employer_a.pk, rows=rows[:1], check_pending=False) == [[]]
    # `today` moves the window: a month later, this month is still allowed, two months ahead too
    later = rules.add_months(this_month(), 1)
    assert registry_problems(employer_id=employer_a.pk, rows=rows[5:], today=later) == [[]]
