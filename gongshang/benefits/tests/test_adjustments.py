"""待遇调整: preview, maker-checker approval, history, payroll uses the amount in force."""

from datetime import date
from decimal import Decimal as D

import pytest

from gongshang.benefits.models import EntitlementAmountChange, Payment
from gongshang.benefits.rules.adjustment import adjusted_amount
from gongshang.benefits.rules.items import RuleError
from gongshang.benefits.services import adjustments as svc
from gongshang.benefits.services import payroll
from gongshang.core.errors import DomainError, FieldErrors

from .test_payroll import people, two_cases  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_adjusted_amount_rule():
    assert adjusted_amount(D("4800.00"), "percent", D("3.5")) == D("4968.00")
    assert adjusted_amount(D("1000.05"), "percent", D("5")) == D("1050.05")  # 1050.0525 → half-up
    assert adjusted_amount(D("4800.00"), "fixed", D("120")) == D("4920.00")
    with pytest.raises(RuleError):
        adjusted_amount(D("1"), "percent", D("500"))
    with pytest.raises(RuleError):
        adjusted_amount(D("1"), "double", D("5"))


def test_preview_approve_history_and_payroll(people, two_cases):  # noqa: F811
    maker, checker = people
    payroll.run_create(actor=maker, period="2025-11")
    preview = svc.adjustment_preview(actor=maker, benefit_type="disability_allowance", method="percent",
                                     value=D("5"), effective_month=date(2026, 1, 1))
    assert preview["count"] == 2 and {r["new"] for r in preview["rows"]} == {D("5040.00"), D("8505.00")}
    row = svc.adjustment_propose(actor=maker, benefit_type="disability_allowance", method="percent", value=D("5"),
                                 effective_month=date(2026, 1, 1), source="鲁人社字〔2025〕1号（演示）")
    with pytest.raises(DomainError):
        svc.adjustment_decide(actor=maker, adjustment_id=row.pk, approve=True)
    row = svc.adjustment_decide(actor=checker, adjustment_id=row.pk, approve=True)
    assert row.status == "approved" and row.affected == 2
    assert EntitlementAmountChange.objects.count() == 2
    december = payroll.run_create(actor=maker, period="2025-12")  # before the effective month: old amounts
    january = payroll.run_create(actor=checker, period="2026-01")
    dec = set(Payment.objects.filter(run=december, benefit_type="disability_allowance").values_list("amount", flat=True))
    jan = set(Payment.objects.filter(run=january, benefit_type="disability_allowance").values_list("amount", flat=True))
    assert dec == {D("4800.00"), D("8100.00")} and jan == {D("5040.00"), D("8505.00")}


def test_refusals(people, two_cases):  # noqa: F811
    maker, _ = people
    payroll.run_create(actor=maker, period="2025-11")
    with pytest.raises(FieldErrors) as exc:
        svc.adjustment_preview(actor=maker, benefit_type="one_time_disability_subsidy", method="percent",
                               value=D("5"), effective_month=date(2025, 11, 1))
    assert set(exc.value.errors) == {"benefit_type", "effective_month"}


def test_pages(client, people, two_cases):  # noqa: F811
    maker, checker = people
    client.force_login(maker)
    data = {"benefit_type": "nursing_allowance", "method": "fixed", "value": "100", "effective_month": "2026-01-01",
            "source": "通知"}
    response = client.post("/benefits/adjustments/", {**data, "action": "preview"})
    assert response.status_code == 200 and "4100.00" in response.content.decode()
    response = client.post("/benefits/adjustments/", {**data, "action": "propose"})
    assert response.status_code == 302
    client.force_login(checker)
    detail = response.url
    assert "4100.00" in client.get(detail).content.decode()
    client.post(detail, {"action": "approve"})
    assert "已生效" in client.get(detail).content.decode()
    assert client.post("/benefits/adjustments/", {**data, "value": "x"}).status_code == 422


def test_adjustment_recap_uses_the_actual_wage_not_the_floored_one(people, zhang_wei, employer_a,  # noqa: F811
                                                                   parameters):
    """Creation caps the dependants' pensions at the actual wage (2,000, below the 60 % floor of 4,800;
    第三十九条第一款第（二）项); a 第四十条 raise of 300 each is re-capped at that same wage, not at the
    floored 本人工资."""
    from gongshang.benefits.services import entitlements as ent
    from gongshang.benefits.services.entitlements import Beneficiary, CreateInput

    from .factories import make_case, record

    maker, checker = people
    case = make_case(zhang_wei, employer_a, wage=D("2000"))
    record(maker, case, kind="death", grade=None, concluded_on=date(2025, 10, 15))
    ent.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(next_of_kin="王芳", dependants=[
        Beneficiary("王芳", "spouse"), Beneficiary("张一", "child"), Beneficiary("张二", "child", True)]))
    ent.entitlements_approve(actor=checker, case_id=case.pk)
    pensions = case.entitlements.filter(benefit_type="dependant_pension")
    assert sum(pensions.values_list("amount", flat=True)) == D("2000.00")
    assert set(pensions.values_list("pension_cap", flat=True)) == {D("2000.00")}
    proposal = svc.adjustment_propose(actor=maker, benefit_type="dependant_pension", method="fixed",
                                      value=D("300"), effective_month=date(2026, 1, 1), source="演示")
    svc.adjustment_decide(actor=checker, adjustment_id=proposal.pk, approve=True)
    assert sum(pensions.values_list("amount", flat=True)) == D("2000.00")
