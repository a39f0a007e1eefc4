"""月度统计报表: each section computed by aggregate queries for the region and month only, the xlsx in
the province's format, a new version each time, only the latest sent, once."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from gongshang.appraisal.models import AppraisalConclusion
from gongshang.benefits.models import Entitlement, Payment, PayrollRun
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.files.storage import open_stored
from gongshang.medical.models import InstitutionStatement
from gongshang.medical.tests.factories import InstitutionFactory
from gongshang.recognition.models import RecognitionApplication

from ..choices import BatchKind, Direction
from ..models import ExchangeBatch, StatisticsReport
from ..services import statistics
from .factories_province import paid_case, province_world, second_appraisal

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-16 10:00 +08:00")]
FEB = datetime(2026, 2, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
MONTH = date(2026, 2, 1)


@pytest.fixture
def w(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a):
    return province_world(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a)


def _row(rows, label):
    return next(row for row in rows if row[0] == label)


@pytest.fixture
def february(w):
    """Some of everything in February 2026 (and some outside it: other months, another region)."""
    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    application = second_appraisal(person=w.person, employer=w.employer, handler=w.handler, apr=w.apr)
    InjuryCase.objects.filter(pk__in=[case.pk, application.case_id]).update(created_at=FEB)
    InjuryCase.objects.filter(pk=application.case_id).update(source="application")
    RecognitionApplication.objects.filter(case=application.case).update(decided_on=date(2026, 2, 3))
    AppraisalConclusion.objects.filter(case=application.case).update(concluded_on=date(2026, 2, 20))
    Entitlement.objects.filter(case=case).update(approved_at=FEB)
    run = PayrollRun.objects.create(region="370200", period=MONTH, status="released", created_by=w.ben,
                                    released_at=FEB)
    allowance = Entitlement.objects.get(case=case, benefit_type="disability_allowance")
    Payment.objects.create(run=run, entitlement=allowance, period=MONTH, region="370200",
                           benefit_type="disability_allowance", payer="fund", amount=Decimal("4000.00"), status="paid")
    Payment.objects.create(run=run, entitlement=allowance, period=date(2026, 1, 1), region="370200",
                           benefit_type="disability_allowance", payer="fund", amount=Decimal("4000.00"),
                           status="failed")
    InstitutionStatement.objects.create(institution=InstitutionFactory(), region="370200", period=MONTH,
                                        status="released", encounter_count=3, payable=Decimal("1234.56"),
                                        created_by=w.ben, released_at=FEB)
    InstitutionStatement.objects.create(institution=InstitutionFactory(region="370700"), region="370700",
                                        period=MONTH, status="released", encounter_count=9,
                                        payable=Decimal("999.00"), created_by=w.ben, released_at=FEB)
    return case, application


def test_figures_of_the_region_and_month(w, february):
    case, application = february
    figures = statistics.figures_for("370200", MONTH)
    assert figures["month"] == "2026-02" and figures["region_name"] == "山东省青岛市"
    assert _row(figures["cases"], "工伤快报")[1] == 1 and _row(figures["cases"], "认定申请")[1] == 1
    assert figures["cases"][-1] == ["合计", 2]
    assert _row(figures["decisions"], "认定为工伤")[1] == 1 and figures["decisions"][-1] == ["合计", 1]
    assert _row(figures["appraisals"], "七级") == ["七级", 1, 0]
    approved = Entitlement.objects.filter(case=case)
    allowance = approved.get(benefit_type="disability_allowance")
    assert _row(figures["entitlements"], "伤残津贴") == ["伤残津贴", "按月", 1, f"{allowance.amount:.2f}"]
    assert figures["entitlements"][-1][2] == approved.count()
    assert _row(figures["payments"], "工伤保险基金") == ["工伤保险基金", 2, "8000.00", 1, "4000.00"]
    assert _row(figures["fund"], "伤残津贴") == ["伤残津贴", 1, "4000.00"]  # the failed payment was not spent
    assert _row(figures["fund"], statistics.MEDICAL) == [statistics.MEDICAL, 3, "1234.56"]
    assert figures["fund"][-1] == ["合计", 4, "5234.56"]
    january = statistics.figures_for("370200", date(2026, 1, 1))
    assert january["cases"][-1] == ["合计", 0] and january["fund"][-1] == ["合计", 0, "0.00"]


def test_the_figures_are_aggregate_queries(w, february, django_assert_max_num_queries):
    case, _application = february
    run = PayrollRun.objects.get()
    rows = [Payment(run=run, entitlement=e, period=date(2025, 12, 1), region="370200", benefit_type=e.benefit_type,
                    payer=e.payer, amount=Decimal("1.00"), attempts=1) for e in Entitlement.objects.filter(case=case)]
    Payment.objects.bulk_create(rows)
    with django_assert_max_num_queries(8):
        statistics.figures_for("370200", MONTH)


def test_the_report_is_an_xlsx_in_the_provinces_format_and_versioned(w, february):
    first = statistics.statistics_report_create(actor=w.exc, month="2026-02")
    assert (first.region, first.month, first.version) == ("370200", MONTH, 1)
    with open_stored(first.file) as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert book.sheetnames == ["说明"] + [s.sheet for s in statistics.SECTIONS]
    assert [c.value for c in book["说明"]["A"]][:3] == ["统筹区代码", "统筹区名称", "统计月份"]
    for section in statistics.SECTIONS:
        sheet = book[section.sheet]
        assert tuple(c.value for c in sheet[1]) == section.headers
        assert sheet.cell(sheet.max_row, 1).value == "合计"
    fund = book["6 基金支出"]
    assert Decimal(str(fund.cell(fund.max_row, 3).value)) == Decimal("5234.56")  # a number, shown 0.00
    assert fund.cell(fund.max_row, 3).number_format == "0.00"
    second = statistics.statistics_report_create(actor=w.exc, month=MONTH)
    assert second.version == 2 and second.file.sha256 != first.file.sha256
    assert StatisticsReport.objects.filter(month=MONTH).count() == 2


def test_only_the_latest_version_is_sent_once(w, february):
    first = statistics.statistics_report_create(actor=w.exc, month="2026-02")
    second = statistics.statistics_report_create(actor=w.exc, month="2026-02")
    with pytest.raises(DomainError) as old:
        statistics.statistics_report_send(actor=w.exc, report_id=first.pk)
    assert old.value.status == 409 and old.value.code == "exchange_report_not_latest"
    sent = statistics.statistics_report_send(actor=w.exc, report_id=second.pk)
    batch = ExchangeBatch.objects.get(pk=sent.batch_id)
    assert (batch.kind, batch.direction, batch.checksum) == (BatchKind.STATISTICS, Direction.OUTBOUND,
                                                             second.file.sha256)
    with pytest.raises(DomainError) as again:
        statistics.statistics_report_send(actor=w.exc, report_id=second.pk)
    assert again.value.code == "exchange_report_sent"
    assert ExchangeBatch.objects.count() == 1


@pytest.mark.parametrize("month", ["2026-03", "2026-04", "2026-13", "二月", "", "1999-12"])
def test_the_month_must_be_over_and_well_formed(w, month):
    with pytest.raises(FieldErrors) as refused:
        statistics.statistics_report_create(actor=w.exc, month=month)
    assert set(refused.value.errors) == {"month"}
    assert not StatisticsReport.objects.exists()


def test_only_the_exchange_administrator_generates_and_sends(w):
    for actor in (w.lead, w.ben):
        with pytest.raises(Forbidden):
            statistics.statistics_report_create(actor=actor, month="2026-02")
    report = statistics.statistics_report_create(actor=w.exc, month="2026-02")
    with pytest.raises(Forbidden):
        statistics.statistics_report_send(actor=w.lead, report_id=report.pk)


SH = ZoneInfo("Asia/Shanghai")
LAST_JAN = datetime(2026, 1, 31, 23, 59, 59, tzinfo=SH)  # 15:59:59 UTC: still January here
FIRST_FEB = datetime(2026, 2, 1, 0, 0, tzinfo=SH)  # 16:00 UTC on 31 January: February here
LAST_FEB = datetime(2026, 2, 28, 23, 59, 59, tzinfo=SH)
FIRST_MAR = datetime(2026, 3, 1, 0, 0, tzinfo=SH)


def test_hand_computed_figures_at_the_month_edges_in_shanghai_time(w):
    """A known data set with rows on both sides of each edge of February (Asia/Shanghai) and in another
    统筹区; every figure is the one counted by hand."""
    from gongshang.medical.tests.factories import InjuryCaseFactory

    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    InjuryCase.objects.filter(pk=case.pk).update(created_at=LAST_JAN)
    for when, source, region in [(LAST_JAN, "application", "370200"), (FIRST_FEB, "quick_report", "370200"),
                                 (LAST_FEB, "application", "370200"), (FIRST_MAR, "quick_report", "370200"),
                                 (FIRST_FEB, "quick_report", "370700")]:
        made = InjuryCaseFactory(source=source, region=region)
        InjuryCase.objects.filter(pk=made.pk).update(created_at=when)
    Entitlement.objects.filter(case=case).update(approved_at=LAST_JAN)
    allowance = Entitlement.objects.get(case=case, benefit_type="disability_allowance")
    Entitlement.objects.filter(pk=allowance.pk).update(approved_at=FIRST_FEB, amount=Decimal("3333.33"))

    run_periods = iter(date(2024, month, 1) for month in range(1, 13))  # one run of the region per month

    def run(released_at, region="370200"):
        return PayrollRun.objects.create(region=region, period=next(run_periods), status="released", created_by=w.ben,
                                         released_at=released_at)

    periods = iter(date(2025, month, 1) for month in range(1, 13))  # one payment of the item per month

    def pay(run_, amount, payer="fund", status="paid", benefit_type="disability_allowance"):
        Payment.objects.create(run=run_, entitlement=allowance, period=next(periods), region=run_.region, payer=payer,
                               benefit_type=benefit_type, amount=Decimal(amount), status=status)

    feb = run(FIRST_FEB)
    pay(feb, "100.10")
    pay(feb, "200.20", status="failed")
    pay(feb, "300.30", payer="employer", status="sent")
    pay(run(LAST_JAN), "999.00")
    pay(run(FIRST_MAR), "888.00")
    pay(run(FIRST_FEB, region="370700"), "777.00")
    for released_at, count, payable in [(LAST_FEB, 2, "50.05"), (FIRST_MAR, 5, "60.00"), (LAST_JAN, 7, "70.00")]:
        InstitutionStatement.objects.create(institution=InstitutionFactory(), region="370200", period=MONTH,
                                            status="released", encounter_count=count, payable=Decimal(payable),
                                            created_by=w.ben, released_at=released_at)

    figures = statistics.figures_for("370200", MONTH)
    assert _row(figures["cases"], "工伤快报")[1] == 1 and _row(figures["cases"], "认定申请")[1] == 1
    assert figures["cases"][-1] == ["合计", 2]
    assert _row(figures["entitlements"], "伤残津贴") == ["伤残津贴", "按月", 1, "3333.33"]
    assert figures["entitlements"][-1] == ["合计", "", 1, "3333.33"]
    assert _row(figures["payments"], "工伤保险基金") == ["工伤保险基金", 2, "300.30", 1, "200.20"]
    assert _row(figures["payments"], "用人单位") == ["用人单位", 1, "300.30", 0, "0.00"]
    assert figures["payments"][-1] == ["合计", 3, "600.60", 1, "200.20"]
    assert _row(figures["fund"], "伤残津贴") == ["伤残津贴", 1, "100.10"]
    assert _row(figures["fund"], statistics.MEDICAL) == [statistics.MEDICAL, 2, "50.05"]
    assert figures["fund"][-1] == ["合计", 3, "150.15"]
    january = statistics.figures_for("370200", date(2026, 1, 1))
    assert january["cases"][-1] == ["合计", 2] and january["payments"][-1] == ["合计", 1, "999.00", 0, "0.00"]
    assert january["fund"][-1] == ["合计", 8, "1069.00"]
    march = statistics.statistics_report_create(actor=w.exc, month="2026-02")
    with open_stored(march.file) as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    payments = book["5 待遇发放"]
    assert [c.value for c in payments[payments.max_row]] == ["合计", 3, 600.6, 1, 200.2]
