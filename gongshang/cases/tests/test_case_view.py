"""The case page's context (cases/case_view.py): one timeline across the stages, oldest first, in
sentences for the reader; what each audience may download."""

import pytest

from gongshang.cases import case_view
from gongshang.recognition.services import submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(employer_user_a, draft, add_materials):
    add_materials(employer_user_a, draft)
    return submission.application_submit(actor=employer_user_a, application=draft)


def test_one_timeline_oldest_first_across_stages(worker, application):
    page = case_view.case_page(actor=worker, case=application.case)
    timeline = page["timeline"]
    assert [i["at"] for i in timeline] == sorted(i["at"] for i in timeline)
    stages = [i["label"] for i in timeline]
    assert stages[0] in ("快报", "案件") and "认定" in stages
    texts = [i["text"] for i in timeline]
    assert "提交工伤快报" in texts and "上传材料：门诊病历" in texts
    assert "材料存入案件材料库" not in texts  # uploads told once, by the recognition timeline
    assert "快报现场影像存入案件材料库，后续申请直接使用" in texts


def test_staff_read_names_and_the_worker_reads_the_agency(worker, application, intake):
    from gongshang.recognition.services import intake as intake_svc

    intake_svc.application_allocate(actor=intake, application=application, assignee_id=intake.pk)
    told = case_view.case_page(actor=worker, case=application.case)["timeline"]
    assert any(i["by"] == "经办机构" and i["text"] == "经办机构已安排工作人员办理" for i in told)
    staff = case_view.case_page(actor=intake, case=application.case)["timeline"]
    assert any(i["text"] == "分配给受理员 孙受理" for i in staff)


def test_documents_through_the_existing_download_endpoints(worker, application):
    documents = case_view.case_page(actor=worker, case=application.case)["documents"]
    urls = [d["url"] for d in documents]
    assert urls and all(u.startswith(f"/recognition/{application.pk}/materials/") for u in urls)


def test_benefits_events_name_the_benefit_not_its_row_number(worker, staff_factory, zhang_wei, employer_a):
    """The timeline told "待遇审核通过（第 2 项待遇）" with the entitlement's database id (第 3817 项 in
    production): each benefits event names the benefit instead."""
    from gongshang.accounts.choices import StaffRole
    from gongshang.benefits.models import Entitlement
    from gongshang.benefits.tests.factories import approved_case

    maker, checker = staff_factory(StaffRole.BENEFITS_REVIEWER), staff_factory(StaffRole.BENEFITS_REVIEWER)
    case, _ = approved_case(zhang_wei, employer_a, maker, checker)
    texts = [i["text"] for i in case_view.case_page(actor=worker, case=case)["timeline"]]
    approved = [t for t in texts if t.startswith("待遇审核通过")]
    assert approved and all("项待遇" not in t for t in approved), approved
    names = {e.get_benefit_type_display() for e in Entitlement.objects.filter(case=case)}
    assert {t.split("：", 1)[1] for t in approved} == names


def test_the_page_reads_the_report_applications_and_conclusion_once(intake, application):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = case_view.case_page(actor=intake, case=application.case)
    froms = [q["sql"].split(" FROM ", 1)[1].split(" ", 1)[0] for q in captured.captured_queries
             if q["sql"].startswith("SELECT") and " FROM " in q["sql"]]
    for table in ('"quickreports_quickreport"', '"recognition_recognitionapplication"', '"benefits_caseconclusion"',
                  '"appraisal_appraisalapplication"'):
        assert froms.count(table) <= 1, table
    assert [a["url"] for a in page["applications"]] and page["journey"].stages
