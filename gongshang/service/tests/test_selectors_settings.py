from datetime import date
from decimal import Decimal

import pytest

from gongshang.service.models import FundIncome, ServiceSetting
from gongshang.service.selectors.settings import fund_income_for, setting_for

pytestmark = pytest.mark.django_db


def test_setting_for_defaults_when_the_region_has_none():
    found = setting_for("370200", date(2026, 12, 1))
    assert found.pk is None and found.consultation_days == 2 and found.prevention_cap_percent == Decimal("3.00")


def test_setting_for_takes_the_row_valid_on_the_day():
    ServiceSetting.objects.create(region="370200", valid_from=date(2026, 1, 1), valid_to=date(2026, 6, 30),
                                  complaint_days=7)
    ServiceSetting.objects.create(region="370200", valid_from=date(2026, 7, 1), complaint_days=4)
    assert setting_for("370200", date(2026, 3, 1)).complaint_days == 7
    assert setting_for("370200", date(2026, 7, 1)).complaint_days == 4
    assert setting_for("370700", date(2026, 7, 1)).complaint_days == 5


def test_fund_income_for_the_year():
    FundIncome.objects.create(region="370200", year=2025, contribution_income=Decimal("1000000.00"))
    assert fund_income_for("370200", 2025).contribution_income == Decimal("1000000.00")
    assert fund_income_for("370200", 2024) is None
