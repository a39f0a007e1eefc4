"""The checklist per institution kind (pure)."""

import pytest

from ..rules import checklist as c

SECTION_NAMES = {"基础管理", "就医服务", "医疗服务质量", "目录及费用结算", "欺诈骗保重点问题"}


@pytest.mark.parametrize("kind", c.KINDS)
def test_every_kind_has_every_section_and_unique_codes(kind):
    items = c.checklist_for(kind)
    assert {label for label, _items in c.sections_for(kind)} == SECTION_NAMES
    assert len({i.code for i in items}) == len(items)
    assert all(i.question and i.look_at for i in items)


def test_medical_checks_each_fraud_pattern():
    patterns = {i.pattern for i in c.checklist_for(c.MEDICAL) if i.pattern}
    assert patterns == {c.SWAPPED_ITEM, c.PHANTOM_BED, c.FALSE_RECORDS, c.EXCESSIVE_TESTS, c.EXCESSIVE_TREATMENT}


def test_kind_specific_items():
    medical = {i.code for i in c.checklist_for(c.MEDICAL)}
    rehab = {i.code for i in c.checklist_for(c.REHABILITATION)}
    device = {i.code for i in c.checklist_for(c.DEVICE)}
    assert "JY03" in medical and "JY03" not in rehab and "JY03" not in device  # 转诊: medical only
    assert "ZL03" in rehab and "ZL03" not in medical                       # 康复训练记录
    assert "QZ06" in device and "QZ02" not in device                       # 辅具: no 挂床住院


def test_unknown_kind_refused():
    with pytest.raises(ValueError):
        c.checklist_for("pharmacy")


def test_answer_problem():
    assert c.answer_problem(c.MEDICAL, "JC01", c.OK) is None
    assert c.answer_problem(c.DEVICE, "QZ02", c.FAIL)[0] == "item"      # not on a device supplier's list
    assert c.answer_problem(c.MEDICAL, "XX99", c.OK)[0] == "item"
    field, message = c.answer_problem(c.MEDICAL, "JC01", "maybe")
    assert field == "result" and "符合" in message


def test_progress_counts_answers_and_failures():
    answers = {"JC01": {"result": c.OK}, "QZ02": {"result": c.FAIL}, "ML01": {"result": c.NA}, "JC02": {"note": "x"}}
    p = c.progress(c.MEDICAL, answers)
    assert (p.answered, p.failed, p.failed_codes) == (3, 1, ("QZ02",))
    assert p.total == len(c.checklist_for(c.MEDICAL)) and not p.complete
    full = {i.code: {"result": c.OK} for i in c.checklist_for(c.DEVICE)}
    assert c.progress(c.DEVICE, full).complete
