"""一窗受理 rules (pure): matters named, what the decision does to each follow-on, the desks, the table."""

from gongshang.service.rules import window as rules


def test_matters_named_in_receipt_order():
    assert rules.matters_named(wants_appraisal=True, wants_benefits=True) == ("recognition", "appraisal", "benefits")
    assert rules.matters_named(wants_appraisal=False, wants_benefits=True) == ("recognition", "benefits")
    assert rules.matters_named(wants_appraisal=False, wants_benefits=False) == ("recognition",)


def test_recognised_means_work_injury_or_deemed():
    assert rules.is_recognised("recognized") and rules.is_recognised("deemed")
    assert not rules.is_recognised("not_recognized") and not rules.is_recognised("")


def test_follow_on_after_the_decision():
    assert rules.follow_on("appraisal", recognised=True, injury_stable=True).action == "create_follow_on"
    waiting = rules.follow_on("appraisal", recognised=True, injury_stable=False)
    assert waiting.action == "" and "第七条" in waiting.note
    assert rules.follow_on("benefits", recognised=True, injury_stable=False).action == "create_follow_on"
    cancelled = rules.follow_on("benefits", recognised=False, injury_stable=True)
    assert cancelled.action == "cancel" and "不是工伤" in cancelled.note


def test_desks():
    assert rules.desk_errors("appraisal", ["appraisal_admin"]) == ""
    assert "鉴定管理员" in rules.desk_errors("appraisal", ["benefits_reviewer"])
    assert rules.desk_errors("benefits", ["benefits_reviewer"]) == ""
    assert rules.desk_errors("recognition", ["benefits_reviewer"])
    assert rules.queue_kinds(["appraisal_admin"]) == ("appraisal",)
    assert rules.queue_kinds(["benefits_reviewer"]) == ("benefits",)
    assert rules.queue_kinds(["window"]) == ("appraisal", "benefits")
    assert rules.queue_kinds(["intake"]) == ()


def test_matter_table():
    table = rules.MATTER_WORKFLOW.table()
    assert table["waiting"] == {"prepared", "withdrawn", "created", "cancelled"}
    assert table["prepared"] == {"withdrawn", "created", "cancelled"}
    assert table["accepted"] == {"done", "cancelled"}  # decided, or the application ended without a decision
    for final in ("created", "done", "withdrawn", "cancelled"):
        assert table[final] == frozenset()
    assert not rules.MATTER_WORKFLOW.can("prepare", "prepared")
    assert rules.REQUEST_WORKFLOW.can("recognised", "waiting_recognition")
    assert not rules.REQUEST_WORKFLOW.can("not_recognised", "follow_ons_created")
    assert rules.REQUEST_WORKFLOW.can("recognition_ended", "waiting_recognition")
    assert not rules.REQUEST_WORKFLOW.can("recognition_ended", "follow_ons_created")


def test_ended_note_names_how_the_application_ended():
    assert "已撤回" in rules.ended_note("withdrawn") and "不再办理" in rules.ended_note("withdrawn")
    assert "不予受理" in rules.ended_note("not_accepted") and "已删除" in rules.ended_note("deleted")


def test_bases_cite_the_articles():
    assert "第二十五条" in rules.APPRAISAL_BASIS and "60日" in rules.APPRAISAL_BASIS
    assert "第二十条" in rules.RECOGNITION_DECISION_BASIS
    assert "第三十三条" in rules.BENEFITS_BASIS
    assert len(rules.APPRAISAL_BASIS) <= 200 and len(rules.BENEFITS_BASIS) <= 200
