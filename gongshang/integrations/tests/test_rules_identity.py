"""What each answer of the register means for 增员, binding and staff pages (rules/identity.py)."""

from ..choices import IdentityResult as R
from ..rules import identity as rules

FIX = "请核对身份证号和姓名是否与身份证一致"


def test_enrolment_refuses_every_wrong_pair_naming_the_field_and_the_fix():
    assert rules.enrolment_refusal(R.NAME_MISMATCH)[0] == "name"
    assert rules.enrolment_refusal(R.NOT_FOUND)[0] == "id_number"
    assert rules.enrolment_refusal(R.DECEASED)[0] == "id_number"
    for result in rules.REFUSED:
        field, message = rules.enrolment_refusal(result)
        assert FIX in message and ("姓名" in message or "身份证号" in message)
    assert rules.enrolment_refusal(R.MATCH) is None
    assert rules.enrolment_refusal(R.UNAVAILABLE) is None  # the employer is not held up by an outage


def test_binding_refuses_the_wrong_pairs_only():
    assert {r for r in R.values if rules.binding_refusal(r)} == set(rules.REFUSED)
    assert "已死亡" in rules.binding_refusal(R.DECEASED)


def test_staff_warnings():
    assert rules.staff_warning(R.NAME_MISMATCH) == "身份核验：姓名与身份证号不一致，请核实"
    assert rules.staff_warning(R.UNAVAILABLE).startswith("身份核验：人口库暂不可用")
    assert rules.staff_warning(R.MATCH) == "" and rules.staff_warning(None) == ""
