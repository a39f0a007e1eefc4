"""The mismatch list: scoped to the staff member's 统筹区, open first, filtered; rows masked."""

from datetime import date

import pytest

from ..choices import MismatchKind
from ..selectors.contributions import mismatch_list, mismatch_row
from .factories_contributions import ContributionMismatchFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-16 10:00 +0800")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_scope_order_and_filters(staff_factory):
    resolved = ContributionMismatchFactory(status="resolved", note="已核实")
    september = ContributionMismatchFactory(month=date(2026, 9, 1), kind=MismatchKind.ENROLLED_UNPAID)
    october = ContributionMismatchFactory(employer_code="91370211MA3D8QXL2Y")
    ContributionMismatchFactory(batch__region="370211")
    actor = staff_factory("intake")
    assert list(mismatch_list(actor=actor)) == [october, september, resolved]
    assert list(mismatch_list(actor=actor, filters={"month": date(2026, 9, 17)})) == [september]
    assert list(mismatch_list(actor=actor, filters={"kind": "enrolled_unpaid"})) == [september]
    assert list(mismatch_list(actor=actor, filters={"status": "resolved"})) == [resolved]
    assert list(mismatch_list(actor=actor, filters={"employer_code": " 91370211"})) == [october]
    assert not mismatch_list(actor=staff_factory("benefits_reviewer")).exists()


def test_the_row_masks_id_number_and_name(staff_factory):
    mismatch = ContributionMismatchFactory(id_number="370202199506071235", name="王磊")
    row = mismatch_row(mismatch, actor=staff_factory("exchange"))
    assert (row["id_number"], row["name"], row["month"], row["wage_base"]) == (
        "370202********1235", "王*", "2026-10", "5200.00")
    assert row["actions"] == ["resolve", "view"] and row["is_open"] is True
