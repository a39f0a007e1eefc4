"""Review findings on 月度发放 (issue 6 review): arrears for skipped months whatever the order of
runs, failures re-issued as new rows without touching the released run, period input, the release
deadline (before the 20th), bank-return amounts that are not numbers, one-time items once across
runs, 继续计算 only while computing."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from gongshang.benefits.models import Payment, PayrollRun
from gongshang.benefits.services import bankfiles, payroll, payroll_sql, run_deadline
from gongshang.benefits.services import entitlements as ent
from gongshang.benefits.services.parameters import parameter_add
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent

from .test_payroll import people, two_cases  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/benefits"


def release(people, run):  # noqa: F811
    maker, checker = people
    payroll.run_approve(actor=checker, run_id=run.pk)
    return payroll.run_release(actor=maker, run_id=run.pk)


def months_paid(entitlement):
    return sorted(entitlement.payments.values_list("period", "run__period"))


def test_skipped_month_paid_as_arrears_in_the_next_run(people, two_cases):  # noqa: F811
    maker, checker = people
    payroll.run_create(actor=maker, period="2025-11")
    january = payroll.run_create(actor=checker, period="2026-01")  # December skipped
    allowance = two_cases[0].entitlements.get(benefit_type="disability_allowance")
    assert months_paid(allowance) == [(date(2025, 11, 1), date(2025, 11, 1)), (date(2025, 12, 1), date(2026, 1, 1)),
                                      (date(2026, 1, 1), date(2026, 1, 1))]
    assert payroll.run_totals(january)["by_kind"]["arrears"] == {"count": 3, "amount": D("4800") + D("8100") + D("4000")}
    # a stray run for the skipped month afterwards finds nothing owed (no cut-off moved, nothing twice)
    december = payroll.run_create(actor=maker, period="2025-12")
    assert Payment.objects.filter(run=december).count() == 0
    february = payroll.run_create(actor=maker, period="2026-02")
    assert Payment.objects.filter(run=february).count() == 3
    assert Payment.objects.values("entitlement", "period").distinct().count() == Payment.objects.count() == 14


def test_runs_created_out_of_order_leave_no_gap(people, two_cases):  # noqa: F811
    maker, checker = people
    payroll.run_create(actor=maker, period="2026-01")  # first ever run: Nov and Dec are arrears
    payroll.run_create(actor=maker, period="2025-11")  # stray old run: nothing left to pay
    allowance = two_cases[1].entitlements.get(benefit_type="disability_allowance")
    assert [p for p, _ in months_paid(allowance)] == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
    assert PayrollRun.objects.get(period=date(2025, 11, 1)).payments.count() == 0


def test_resumed_entitlement_gets_the_suspended_months(people, two_cases):  # noqa: F811
    maker, checker = people
    allowance = two_cases[0].entitlements.get(benefit_type="disability_allowance")
    ent.entitlement_suspend(actor=maker, entitlement_id=allowance.pk, reason="未认证")
    payroll.run_create(actor=maker, period="2025-11")
    ent.entitlement_resume(actor=maker, entitlement_id=allowance.pk)
    payroll.run_create(actor=maker, period="2025-12")
    assert months_paid(allowance) == [(date(2025, 11, 1), date(2025, 12, 1)), (date(2025, 12, 1), date(2025, 12, 1))]


def _return(people, run, fail_first: bool = True):  # noqa: F811
    maker, _ = people
    rows = list(csv.reader(io.StringIO(bankfiles.export_csv(actor=maker, run_id=run.pk).lstrip("\ufeff"))))[1:]
    lines = ["支付流水号,金额,结果,失败原因"] + [f"{r[0]},{r[4]},{'失败' if i == 0 and fail_first else '成功'},账户冻结"
                                          for i, r in enumerate(rows)]
    bankfiles.bank_return_import(actor=maker, run_id=run.pk,
                                 upload=SimpleUploadedFile("r.csv", "\n".join(lines).encode()))
    return rows


def test_failure_reissued_as_new_row_and_released_run_never_changes(people, two_cases):  # noqa: F811
    maker, checker = people
    november = release(people, payroll.run_create(actor=maker, period="2025-11"))
    file_before = _return(people, november)
    totals = payroll.run_totals(november)
    failed = Payment.objects.get(status="failed")
    december = payroll.run_create(actor=maker, period="2025-12")
    release(people, december)
    january = payroll.run_create(actor=maker, period="2026-01")
    failed.refresh_from_db()
    assert (failed.run_id, failed.status, failed.attempts) == (november.pk, "failed", 1)
    reissue = failed.reissues.get()
    assert (reissue.run_id, reissue.period, reissue.attempts, reissue.amount) == (december.pk, failed.period, 2,
                                                                                 failed.amount)
    assert not Payment.objects.filter(run=january, reissue_of__isnull=False).exists()  # once per failure
    assert payroll.run_totals(november) == totals
    rows = list(csv.reader(io.StringIO(bankfiles.export_csv(actor=maker, run_id=november.pk).lstrip("\ufeff"))))[1:]
    assert rows == file_before
    assert sum(D(r[4]) for r in rows) == totals["all"]["amount"] == D("397900.00")


@pytest.mark.parametrize("last_month, reissued", [(date(2025, 10, 1), False), (date(2025, 11, 1), True)])
def test_no_reissue_for_entitlement_stopped_before_the_month(people, two_cases, last_month, reissued):  # noqa: F811
    maker, checker = people
    november = release(people, payroll.run_create(actor=maker, period="2025-11"))
    allowance = two_cases[0].entitlements.get(benefit_type="disability_allowance")
    payment = allowance.payments.get()
    bankfiles.bank_return_import(actor=maker, run_id=november.pk, upload=SimpleUploadedFile(
        "r.csv", f"支付流水号,金额,结果,失败原因\n{payment.pk},{payment.amount},失败,账户冻结".encode()))
    ent.entitlement_stop(actor=maker, entitlement_id=allowance.pk, reason="other", last_month=last_month)
    payroll.run_create(actor=checker, period="2025-12")
    assert Payment.objects.filter(reissue_of=payment).exists() is reissued


# On 2025-12-10 the latest period is next month, 2026-01.
@pytest.mark.time_machine(datetime(2025, 12, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
@pytest.mark.parametrize("period", ["2025-1", "1900-01", "2026-02", "2027-01", "2024-12", "", "2025-13",
                                    "2025-11-01"])
def test_bad_periods_answer_422_naming_period(api_client, token_for, people, two_cases, period):  # noqa: F811
    maker, _ = people
    response = api_client.post(f"{BASE}/payroll-runs", {"period": period}, content_type="application/json",
                               **token_for(maker))
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["details"]] == ["period"]
    assert not PayrollRun.objects.exists()


@pytest.mark.time_machine(datetime(2025, 12, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_period_upper_bound_is_next_month(people, two_cases):  # noqa: F811
    maker, _ = people
    with pytest.raises(FieldErrors) as exc:
        payroll.run_create(actor=maker, period="2026-02")
    assert exc.value.errors["period"] == "发放月份不能晚于下月（2026-01）"
    assert payroll.run_create(actor=maker, period="2026-01").status == "computed"


def test_period_lower_bound_is_the_first_parameter_or_entitlement(people, two_cases):  # noqa: F811
    maker, _ = people
    with pytest.raises(FieldErrors) as exc:
        payroll.run_create(actor=maker, period="2024-12")
    assert "2025-01" in exc.value.errors["period"]
    assert payroll.run_create(actor=maker, period="2025-01").status == "computed"


def test_release_deadline_is_the_20th_or_the_regional_day(api_client, token_for, people, two_cases):  # noqa: F811
    maker, checker = people
    run = payroll.run_create(actor=maker, period="2025-11")
    info = run_deadline.deadline_info(run, today=date(2025, 11, 19))
    assert (info["release_deadline"], info["days_left"], info["overdue"], info["warnings"]) == (
        date(2025, 11, 20), 1, False, [])
    late = run_deadline.deadline_info(run, today=date(2025, 11, 23))
    assert late["overdue"] is True and late["warnings"] == ["已超过发放时限 2025-11-20（每月 20 日前发放）3 天，请尽快复核、发放。"]
    assert [o["run"].pk for o in run_deadline.overdue_runs(PayrollRun.objects.all(), today=date(2025, 11, 23))] == [
        run.pk]
    auth = token_for(maker)
    body = api_client.get(f"{BASE}/payroll-runs/{run.pk}", **auth).json()
    assert body["release_deadline"] == "2025-11-20" and body["overdue"] is True  # today is after it
    overdue = api_client.get(f"{BASE}/payroll-runs?overdue=true", **auth).json()
    assert [(o["id"], o["release_deadline"]) for o in overdue] == [(run.pk, "2025-11-20")]
    page = api_client.get(f"/benefits/payroll/{run.pk}/")
    released = release(people, run)
    assert run_deadline.deadline_info(released)["released_late"] is True
    assert api_client.get(f"{BASE}/payroll-runs?overdue=true", **auth).json() == []
    parameter_add(actor=None, region="370200", kind="payment_day", valid_from=date(2025, 1, 1), value=D("15"),
                  source="青岛市发放日（演示值）")
    assert run_deadline.release_deadline(region="370200", period=date(2026, 3, 1)) == date(2026, 3, 15)
    assert page.status_code in (302, 200)


def test_release_page_warns_when_late(client, people, two_cases):  # noqa: F811
    maker, checker = people
    run = payroll.run_create(actor=maker, period="2025-11")
    client.force_login(maker)
    response = client.get("/benefits/payroll/")
    assert "超过发放时限仍未发放" in response.content.decode() and "2025-11-20" in response.content.decode()
    detail = client.get(f"/benefits/payroll/{run.pk}/").content.decode()
    assert "2025-11-20 前发放到账" in detail and "已超过发放时限" in detail
    payroll.run_approve(actor=checker, run_id=run.pk)
    response = client.post(f"/benefits/payroll/{run.pk}/action/", {"action": "release"}, follow=True)
    assert "晚于发放时限 2025-11-20" in response.content.decode()


@pytest.mark.parametrize("amount", ["Infinity", "1E+40", "sNaN", "NaN", "-1.00", "12.345"])
def test_bank_return_amounts_that_are_not_money(api_client, token_for, people, two_cases, amount):  # noqa: F811
    maker, _ = people
    november = release(people, payroll.run_create(actor=maker, period="2025-11"))
    payment = Payment.objects.filter(run=november).first()
    body = f"支付流水号,金额,结果,失败原因\n{payment.pk},{amount},成功,\n".encode()
    response = api_client.post(f"{BASE}/payroll-runs/{november.pk}/bank-return",
                               {"file": SimpleUploadedFile("r.csv", body)}, **token_for(maker))
    assert response.status_code == 200
    [line] = response.json()["rejected_lines"]
    assert (line["line"], line["field"]) == (2, "金额") and line["reason"].startswith("第 2 行金额：")
    payment.refresh_from_db()
    assert payment.status == "sent"


def test_one_time_item_once_across_runs_of_different_periods(people, two_cases):  # noqa: F811
    maker, _ = people
    november = payroll.run_create(actor=maker, period="2025-11")
    subsidy = Payment.objects.get(period_kind="once", entitlement__case=two_cases[0])
    december = PayrollRun.objects.create(region="370200", period=date(2025, 12, 1), created_by=maker)
    # what a second run computing at the same time would try: the constraint refuses it …
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {payroll_sql.P} ({payroll_sql.COLUMNS}) VALUES "  # noqa: S608
                       "(%s, %s, %s, '370200', 'one_time_disability_subsidy', 'fund', 1, 'pending', 1, '', 'once', NULL)",
                       [december.pk, subsidy.entitlement_id, connection.ops.adapt_datefield_value(date(2025, 12, 1))])
    # … and the run's own statement skips it without failing
    assert payroll_sql.insert_once(run_id=december.pk, region="370200", period=date(2025, 12, 1), lo=0,
                                   hi=10**9) == 0
    assert Payment.objects.filter(entitlement=subsidy.entitlement).get().run_id == november.pk


def test_resume_only_while_computing(client, people, two_cases):  # noqa: F811
    maker, _ = people
    run = payroll.run_create(actor=maker, period="2025-11")
    events = AuditEvent.objects.filter(event_type="benefits.run_computed").count()
    with pytest.raises(DomainError) as exc:
        payroll.run_resume(actor=maker, run_id=run.pk)
    assert exc.value.status == 409 and "无需继续计算" in exc.value.message
    client.force_login(maker)
    response = client.post(f"/benefits/payroll/{run.pk}/action/", {"action": "resume"}, follow=True)
    assert "该批次已计算完成（待复核），无需继续计算。" in response.content.decode()
    assert AuditEvent.objects.filter(event_type="benefits.run_computed").count() == events == 1
