"""Review 5 fixes in the rules and documents: decision basis, 60-day citation, checklist gaps,
documents' authority, appeal rights and addressees, exact suspension and holiday dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from gongshang.recognition import deadlines
from gongshang.recognition.models import RecognitionSuspension
from gongshang.recognition.rules import deadlines as deadline_rules
from gongshang.recognition.rules import decisions, materials
from gongshang.recognition.rules.materials import Facts
from gongshang.recognition.services import documents

A14_1 = "《工伤保险条例》第十四条第（一）项"
SUBMITTED = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai"))  # accepted the same day
AFTER_DUE = datetime(2027, 1, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


# 6. The basis fits the result (and the circumstance).
@pytest.mark.parametrize(("result", "article", "circumstance", "ok"), [
    ("recognized", A14_1, "art14_1", True),
    ("recognized", "《工伤保险条例》第十四条", "art14_1", False),  # no item
    ("recognized", "《工伤保险条例》第十四条第（九）项", "art14_1", False),  # no such item
    ("recognized", "《工伤保险条例》第十五条第（一）项", "art14_1", False),
    ("recognized", A14_1, "art15_1", False),
    ("deemed", "《工伤保险条例》第十五条第（一）项", "art15_1", True),
    ("deemed", "《工伤保险条例》第十五条第（一）项", "art14_1", False),
    ("deemed", "《工伤保险条例》第十五条第（四）项", "art15_1", False),
    ("not_recognized", "《工伤保险条例》第十六条第（二）项", "art14_1", True),
    ("not_recognized", "不符合《工伤保险条例》第十四条、第十五条规定的情形", "art14_1", True),
    ("not_recognized", "《工伤保险条例》第十四条第（一）项", "art14_1", False),
    ("not_recognized", "第十六条", "art14_1", True),
])
def test_article_fits_result(result, article, circumstance, ok):
    assert (decisions.article_error(result, article, circumstance) == "") is ok


def test_basis_errors_fields():
    assert set(decisions.basis_errors("recognized", " ", "")) == {"article", "reasoning"}
    assert set(decisions.basis_errors("recognized", A14_1, "x" * 4001)) == {"reasoning"}
    assert decisions.basis_errors("recognized", A14_1, "事实清楚", "art14_1") == {}


# 9. 60 days: 条例 第二十条 第一款; 15 days: 第二款.
def test_decision_period_citations():
    assert deadline_rules.DECISION.basis.startswith("条例第二十条第一款")
    assert deadline_rules.SIMPLE_DECISION.basis.startswith("条例第二十条第二款")


# 10. Checklist gaps.
def kinds(facts):
    return [r.kind for r in materials.required(facts)]


def test_missing_person_needs_proof_not_diagnosis_or_treatment():
    got = kinds(Facts(circumstance="art14_5_missing", treatments=("outpatient",)))
    assert got == ["application_form", "labour_relation", "injured_id", "business_trip_proof",
                   "missing_person_proof"]
    assert not materials.treatment_required("art14_5_missing", False)
    assert not materials.diagnosis_required("art14_5_missing")


def test_rail_ferry_train_commute_uses_the_authority_finding():
    got = kinds(Facts(circumstance="art14_6_rail", treatments=("outpatient",)))
    assert "traffic_liability" not in got and "accident_liability" in got


def test_occupational_disease_needs_no_treatment_choice():
    assert not materials.treatment_required("art14_4", False)
    assert materials.treatment_required("art14_1", False) and not materials.treatment_required("art14_1", True)


# 7. Documents: authority, seal, appeal rights only where a decision is made, addressees once.
def test_addressees_and_not_accepted_basis():
    assert decisions.addressees("employer", "青岛海川", "青岛海川", "张伟") == ["青岛海川", "张伟"]
    assert decisions.addressees("worker", "张伟", "青岛海川", "张伟") == ["张伟", "青岛海川"]
    assert decisions.addressees("relative", "李梅", "青岛海川", "张伟") == ["李梅", "青岛海川", "张伟"]
    assert decisions.not_accepted_basis("不属于本统筹区管辖") == ("依据《工伤保险条例》第十七条、《工伤认定办法》第八条的规定，"
                                                                 "决定不予受理")
    assert decisions.not_accepted_basis("其他") == "依据《工伤认定办法》第八条的规定，决定不予受理"


def test_authority_name(settings):
    assert documents.authority_name("370200") == "青岛市人力资源和社会保障局"
    assert documents.authority_name("110100") == "北京市人力资源和社会保障局"
    settings.RECOGNITION_AUTHORITY_NAMES = {"370200": "青岛市人社局（测试）"}
    assert documents.authority_name("370200") == "青岛市人社局（测试）"


@pytest.mark.django_db
@pytest.mark.parametrize(("template", "appeal"), [("acceptance", False), ("correction", False),
                                                  ("not_accepted", True), ("decision", True)])
def test_document_templates(draft, template, appeal):
    draft.not_accepted_reason = "超过申请时限"
    context = {**documents._context(draft), "version": 1, "items": ["说明"],
               "document": {"title": "认定工伤决定书", "issued_at": timezone.now()}}
    html = render_to_string(f"recognition/pdf/{template}.html", context)
    assert ("行政复议" in html and "6个月内" in html and "60日内" in html) is appeal
    assert "青岛市人力资源和社会保障局" in html and "（印章）" in html and "无需加盖印章" not in html
    if template == "decision":
        assert "青岛海川机械制造有限公司、张伟：" in html and "青岛海川机械制造有限公司、青岛海川" not in html
    if template == "not_accepted":
        assert "依据《工伤保险条例》第十七条、《工伤认定办法》第八条的规定" in html


# 18. Exact dates through the real calendar and the override table.
@pytest.mark.django_db
def test_suspension_exact_dates(draft, employer_user_a):
    draft.accepted_on = date(2026, 11, 13)
    draft.save()
    assert deadlines.decision_due(draft).due == date(2027, 1, 12)
    RecognitionSuspension.objects.create(application=draft, started_on=date(2026, 11, 18),
                                         ended_on=date(2026, 11, 22), reason="等待", started_by=employer_user_a)
    due = deadlines.decision_due(draft)
    assert (due.due, due.provisional, due.paused) == (date(2027, 1, 18), True, False)  # 1-17 is a Sunday


@pytest.mark.django_db
def test_holiday_override_table_moves_a_2027_due_date(draft):
    from gongshang.core.models import CalendarYear, HolidayOverride

    # + 15 days = Wed 2027-02-10, a 补假 day the holidays package estimates after 春节 (放假办法第六条):
    # provisional, the later candidate 02-11, the earlier 02-10.
    draft.received_on = date(2027, 1, 26)
    due = deadlines.acceptance_due(draft)
    assert (due.due, due.earliest, due.provisional) == (date(2027, 2, 11), date(2027, 2, 10), True)
    for day in range(6, 15):  # 春节 2027-02-06 … 02-14 (an administrator's entry)
        HolidayOverride.objects.create(date=date(2027, 2, day), is_workday=False, name="春节")
    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电（测试）")
    due = deadlines.acceptance_due(draft)
    assert (due.due, due.provisional) == (date(2027, 2, 15), False)


@pytest.mark.django_db
@pytest.mark.time_machine(SUBMITTED)
def test_overdue_list_follows_a_holiday_entered_later(draft, employer_user_a, add_materials, intake,
                                                      time_machine):
    from gongshang.core.models import HolidayOverride
    from gongshang.recognition import selectors
    from gongshang.recognition.services import intake as intake_svc
    from gongshang.recognition.services import submission

    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    app = intake_svc.application_accept(actor=intake, application=app)
    assert app.due_on == date(2027, 1, 22)
    HolidayOverride.objects.create(date=date(2027, 1, 22), is_workday=False, name="测试假日")
    from gongshang.recognition.services import transition

    time_machine.move_to(AFTER_DUE)
    assert transition.due_dates_refresh() == 1  # the nightly run, or the task after a calendar change
    assert list(selectors.staff_queue(actor=intake, overdue=True)) == []
    app.refresh_from_db()
    assert app.due_on == date(2027, 1, 25)


@pytest.mark.time_machine(SUBMITTED)
def test_a_calendar_change_refreshes_the_stored_due_date_the_overdue_page_shows(
        client, draft, employer_user_a, add_materials, intake, time_machine, django_capture_on_commit_callbacks,
        monkeypatch):
    from types import SimpleNamespace

    from gongshang.core.workdays import services as calendar
    from gongshang.core.workdays import tasks
    from gongshang.recognition.services import intake as intake_svc
    from gongshang.recognition.services import submission

    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    app = intake_svc.application_accept(actor=intake, application=app)
    enqueued = []
    time_machine.move_to(AFTER_DUE)
    client.force_login(intake)  # after the move: the idle timeout would end an older session
    assert "GS" in client.get("/recognition/staff/list/overdue/").content.decode()  # 01-22 passed
    admin = _calendar_admin()
    with django_capture_on_commit_callbacks(execute=True):
        # The worker's part, run here: what the task does when the queue hands it over.
        monkeypatch.setattr(tasks, "refresh_stored_due_dates",
                            SimpleNamespace(enqueue=lambda: enqueued.append(tasks.refresh_all())))
        calendar.holiday_override_set(actor=admin, date=date(2027, 1, 22), is_workday=False, name="测试假日")
    assert enqueued and enqueued[0]["gongshang.recognition.services.transition.due_dates_refresh"] == 1
    app.refresh_from_db()
    assert app.due_on == date(2027, 1, 25)
    page = client.get("/recognition/staff/list/overdue/")
    assert page.status_code == 200 and app.case.number not in page.content.decode()


def _calendar_admin():
    from django.conf import settings

    from gongshang.accounts.models import StaffRoleAssignment, User

    user = User.objects.create_user(username="sys", password="x", kind="staff",
                                    jurisdiction=settings.DEFAULT_POOLING_REGION)
    StaffRoleAssignment.objects.create(user=user, role="system_admin")
    return user
