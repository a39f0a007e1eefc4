"""身份核验 at 增员 (services/changes.py for one request, imports/rows.py for a batch): the population
register refuses a wrong ID number and name; an outage refuses nothing and the 受理员 sees it.

The fake register (integrations/fakes/population.py) answers from its test identities file: 查无
→ not_found, 死亡 or a death record → deceased, 在册 with another name → name_mismatch."""

import pytest
from django.urls import reverse

from gongshang.core.errors import FieldErrors
from gongshang.integrations.models import IdentityCheck
from gongshang.integrations.tests.factories_identity import (
    COUNTING,
    DECEASED_ID,
    DECEASED_NAME,
    DOWN,
    LISTED_ID,
    LISTED_NAME,
    UNKNOWN_ID,
    CountingRegister,
    death_record,
)
from gongshang.registry.choices import ImportStatus
from gongshang.registry.models import EnrolmentChange
from gongshang.registry.services.changes import change_submit, change_update, changes_submit_many

from .imports_helpers import add_row, reduce_row, sheet_bytes, upload
from .test_change_services import NEW_ID, addition, reduction

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-06-10 10:00 +08:00")]
FIX = "请核对身份证号和姓名是否与身份证一致"


@pytest.fixture
def counting(settings):
    settings.POPULATION_REGISTER_BACKEND = COUNTING
    CountingRegister.asked = []
    return CountingRegister


def refused(actor, data) -> dict:
    with pytest.raises(FieldErrors) as exc:
        change_submit(actor=actor, data=data)
    assert exc.value.status == 422
    return exc.value.errors


@pytest.mark.parametrize("id_number, name, field, words", [
    (UNKNOWN_ID, "王芳", "id_number", "查无此身份证号"),
    (LISTED_ID, "周建华", "name", "姓名与身份证号不一致"),
    (DECEASED_ID, DECEASED_NAME, "id_number", "已死亡"),
])
def test_a_wrong_pair_is_refused_and_the_check_recorded(employer_user_a, employer_a, id_number, name, field, words):
    errors = refused(employer_user_a, addition(id_number=id_number, name=name))
    assert list(errors) == [field] and words in errors[field] and FIX in errors[field]
    assert not EnrolmentChange.objects.exists()
    check = IdentityCheck.objects.get()
    assert (check.context, check.actor, check.region, check.id_number) == (
        "enrolment", employer_user_a, employer_a.region, id_number)


def test_a_reported_death_refuses_the_addition(employer_user_a):
    death_record(NEW_ID, "王芳")
    errors = refused(employer_user_a, addition())
    assert "已死亡" in errors["id_number"]


def test_a_matching_pair_is_accepted(employer_user_a, counting):
    change = change_submit(actor=employer_user_a, data=addition(id_number=LISTED_ID, name=LISTED_NAME))
    assert change.status == "pending"
    assert IdentityCheck.objects.get().result == "match"
    assert counting.asked == [(LISTED_ID, LISTED_NAME)]


def test_several_insurance_types_ask_the_register_once(employer_user_a, counting):
    created = changes_submit_many(actor=employer_user_a, data=addition(), insurance_types=["injury", "medical", "pension"])
    assert len(created) == 3 and len(counting.asked) == 1
    assert IdentityCheck.objects.count() == 1  # one person, one check


def test_a_refused_declaration_of_several_types_keeps_its_check(employer_user_a):
    with pytest.raises(FieldErrors) as exc:
        changes_submit_many(actor=employer_user_a, data=addition(id_number=UNKNOWN_ID),
                            insurance_types=["injury", "medical"])
    assert FIX in exc.value.errors["id_number"] and "【" not in exc.value.errors["id_number"]
    assert not EnrolmentChange.objects.exists()
    assert list(IdentityCheck.objects.values_list("result", flat=True)) == ["not_found"]


def test_an_outage_accepts_and_the_intake_desk_sees_it(employer_user_a, staff_factory, client, settings):
    settings.POPULATION_REGISTER_BACKEND = DOWN
    change = change_submit(actor=employer_user_a, data=addition(id_number=UNKNOWN_ID))  # not even asked
    assert change.status == "pending" and IdentityCheck.objects.get().result == "unavailable"
    client.force_login(staff_factory("intake"))
    page = client.get(reverse("registry:staff_change_detail", args=[change.pk])).content.decode()
    assert "身份核验：人口库暂不可用，未能核验，请核对身份证件" in page
    settings.POPULATION_REGISTER_BACKEND = COUNTING  # the register answers again: the desk asks by hand
    from gongshang.integrations.services.identity import identity_check

    identity_check(actor=staff_factory("exchange"), id_number=UNKNOWN_ID, name="王芳", context="staff")
    page = client.get(reverse("registry:staff_change_detail", args=[change.pk])).content.decode()
    assert "身份核验：人口库中查无此身份证号，请核实" in page


def test_the_intake_desk_sees_a_match(employer_user_a, staff_factory, client):
    change = change_submit(actor=employer_user_a, data=addition())
    client.force_login(staff_factory("intake"))
    page = client.get(reverse("registry:staff_change_detail", args=[change.pk])).content.decode()
    assert 'id="identity-status">身份信息一致<' in page


def test_a_reduction_is_not_checked(employer_user_a, zhang_wei):
    change_submit(actor=employer_user_a, data=reduction())
    assert not IdentityCheck.objects.exists()


def test_changing_a_pending_request_checks_again(employer_user_a):
    change = change_submit(actor=employer_user_a, data=addition())
    with pytest.raises(FieldErrors) as exc:
        change_update(actor=employer_user_a, change_id=change.pk, data={"id_number": UNKNOWN_ID})
    assert FIX in exc.value.errors["id_number"]
    change.refresh_from_db()
    assert change.id_number == NEW_ID
    assert list(IdentityCheck.objects.order_by("pk").values_list("result", flat=True)) == ["match", "not_found"]
    updated = change_update(actor=employer_user_a, change_id=change.pk, data={"id_number": LISTED_ID,
                                                                              "name": LISTED_NAME})
    assert (updated.id_number, updated.name) == (LISTED_ID, LISTED_NAME)
    assert IdentityCheck.objects.count() == 3


def test_a_request_changed_meanwhile_is_a_conflict(employer_user_a, monkeypatch):
    from gongshang.core.errors import DomainError
    from gongshang.registry.services import changes

    change = change_submit(actor=employer_user_a, data=addition())
    real = changes._identity_prechecked

    def meanwhile(*args, **kwargs):
        asked = real(*args, **kwargs)
        EnrolmentChange.objects.filter(pk=change.pk).update(name="王芳芳")  # another tab saved a new name
        return asked

    monkeypatch.setattr(changes, "_identity_prechecked", meanwhile)
    with pytest.raises(DomainError) as exc:
        change_update(actor=employer_user_a, change_id=change.pk, data={"declared_wage": "7000"})
    assert exc.value.status == 409
    change.refresh_from_db()
    assert change.name == "王芳芳" and change.declared_wage is None


# --- the batch import ------------------------------------------------------------------------------

def start(actor, rows, *, direction="add", mode="valid_rows"):
    from gongshang.registry.imports.services import roster_import_start

    return roster_import_start(actor=actor, uploaded_file=upload(sheet_bytes(rows, direction=direction)),
                               direction=direction, mode=mode)


def test_a_batch_refuses_the_wrong_rows_and_asks_once_per_person(employer_user_a, employer_a, counting):
    death_record(add_row(5)["身份证号"], "职工五")
    rows = [add_row(1), add_row(2, 身份证号=UNKNOWN_ID), add_row(3, 身份证号=LISTED_ID, 姓名="周建华"),
            add_row(4, 身份证号=DECEASED_ID, 姓名=DECEASED_NAME), add_row(5),
            add_row(1, 险种="医疗保险"), add_row(6, 身份证号=LISTED_ID, 姓名=LISTED_NAME, 险种="养老保险")]
    result = start(employer_user_a, rows)
    assert (result.status, result.accepted, result.rejected) == (ImportStatus.SUCCEEDED, 3, 4)
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "身份证号"), (4, "姓名"), (5, "身份证号"),
                                                                (6, "身份证号")]
    assert result.errors[0]["message"] == f"第 3 行“身份证号”：公安人口库中查无此身份证号，{FIX}。"
    assert result.errors[1]["message"] == f"第 4 行“姓名”：姓名与身份证号不一致（公安人口库核验未通过），{FIX}。"
    assert "已死亡" in result.errors[2]["message"] and "已死亡" in result.errors[3]["message"]
    assert sorted(EnrolmentChange.objects.values_list("name", "insurance_type")) == [
        ("周建国", "pension"), ("职工一", "injury"), ("职工一", "medical")]
    assert len(counting.asked) == 6  # 7 rows, 6 distinct persons
    checks = IdentityCheck.objects.filter(context="enrolment")
    assert checks.count() == 6 and set(checks.values_list("actor", "region")) == {(employer_user_a.pk, "370200")}


def test_a_batch_row_already_refused_is_not_asked(employer_user_a, counting):
    rows = [add_row(1, 身份证号="370202198001010001"), add_row(2, 姓名=""), add_row(3, 生效月份="2001-01")]
    result = start(employer_user_a, rows)
    assert result.rejected == 3
    assert counting.asked == [(add_row(3)["身份证号"], "职工三")]  # its month is wrong, its person is asked


def test_a_batch_during_an_outage_is_accepted_and_recorded(employer_user_a, settings):
    settings.POPULATION_REGISTER_BACKEND = DOWN
    result = start(employer_user_a, [add_row(1), add_row(2, 身份证号=UNKNOWN_ID)], mode="all_or_nothing")
    assert (result.status, result.accepted) == (ImportStatus.SUCCEEDED, 2)
    assert list(IdentityCheck.objects.values_list("result", flat=True)) == ["unavailable", "unavailable"]


def test_a_reduction_batch_is_not_checked(employer_user_a, zhang_wei):
    result = start(employer_user_a, [reduce_row(zhang_wei.id_number, "张伟")], direction="reduce")
    assert result.accepted == 1 and not IdentityCheck.objects.exists()


def test_a_batch_over_the_uploaders_identity_budget_is_refused_whole(employer_user_a, counting, settings):
    settings.IDENTITY_BATCH_CHECK_LIMIT = 2
    result = start(employer_user_a, [add_row(1), add_row(2), add_row(3)])
    assert result.status == ImportStatus.REJECTED and result.accepted == 0
    assert "身份核验" in result.failure_message and "未导入任何数据" in result.failure_message
    assert result.errors[0]["message"] == result.failure_message
    assert not EnrolmentChange.objects.exists() and counting.asked == []
    assert start(employer_user_a, [add_row(4)]).status == ImportStatus.REJECTED  # the budget is spent for the day
