"""The issue's "done when": the yearly confirmation suspends and resumes payments with arrears.
Payroll runs before the lapse (paid), during it (nothing for the suspended item), and after the
confirmation: the months missed are paid in the next run, each once, and never again."""

from datetime import date
from decimal import Decimal

import pytest

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.models import Payment
from gongshang.benefits.services import payroll
from gongshang.integrations.models import Certification
from gongshang.integrations.services import eligibility as services
from gongshang.integrations.services import eligibility_cycle as cycle

from .factories_eligibility import beneficiary

pytestmark = pytest.mark.django_db
REGION = "370200"


def months(first: date, last: date) -> list[date]:
    out, day = [], first
    while day <= last:
        out.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


@pytest.mark.time_machine("2026-09-10 10:00 +08:00")
def test_lapse_stops_payment_and_confirmation_pays_the_missed_months_once(staff_factory, zhang_wei, employer_a,
                                                                          time_machine):
    maker, checker = staff_factory(StaffRole.BENEFITS_REVIEWER), staff_factory(StaffRole.BENEFITS_REVIEWER)
    _case, (allowance,) = beneficiary(zhang_wei, employer_a, maker, checker, grade=3)  # 伤残津贴 4,800/month from 2025-11
    assert allowance.amount == Decimal("4800.00")
    cycle.run_cycle(region=REGION)

    def paid_periods():
        return sorted(Payment.objects.filter(entitlement=allowance).values_list("period", flat=True))

    time_machine.move_to("2026-10-10 10:00 +08:00")
    october = payroll.run_create(actor=maker, period="2026-10")
    assert paid_periods() == months(date(2025, 11, 1), date(2026, 10, 1))           # before the lapse: paid

    time_machine.move_to("2026-11-02 08:00 +08:00")
    assert cycle.run_cycle(region=REGION).lapsed == 1                                 # due 2026-11-01: lapsed
    time_machine.move_to("2026-11-10 10:00 +08:00")
    payroll.run_create(actor=maker, period="2026-11")
    time_machine.move_to("2026-12-10 10:00 +08:00")
    payroll.run_create(actor=maker, period="2026-12")
    assert paid_periods() == months(date(2025, 11, 1), date(2026, 10, 1))           # during the lapse: nothing

    time_machine.move_to("2027-01-05 10:00 +08:00")
    services.certification_confirm(actor=checker, certification=Certification.objects.get(), note="本人到窗口")
    time_machine.move_to("2027-01-10 10:00 +08:00")
    january = payroll.run_create(actor=maker, period="2027-01")
    assert paid_periods() == months(date(2025, 11, 1), date(2027, 1, 1))            # the missed months paid …
    in_january = Payment.objects.filter(run=january, entitlement=allowance)
    assert sorted(in_january.values_list("period", flat=True)) == [date(2026, 11, 1), date(2026, 12, 1),
                                                                   date(2027, 1, 1)]
    assert sum(p.amount for p in in_january) == Decimal("14400.00")
    assert Payment.objects.filter(run=october, entitlement=allowance).count() == 12

    time_machine.move_to("2027-02-10 10:00 +08:00")
    february = payroll.run_create(actor=maker, period="2027-02")
    assert list(Payment.objects.filter(run=february, entitlement=allowance).values_list("period", flat=True)) == [
        date(2027, 2, 1)]                                                             # … once
    assert len(paid_periods()) == len(set(paid_periods())) == 16
