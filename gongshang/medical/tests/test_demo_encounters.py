"""Demo 就诊与费用 (demo/encounters.py): one settled stay with flagged lines, one open stay; idempotent;
skips without its prerequisites."""

from datetime import date
from io import StringIO

import pytest

from gongshang.accounts.choices import Audience
from gongshang.accounts.tests.factories import UserFactory
from gongshang.appraisal.tests.factories import recognised_case
from gongshang.medical.demo import encounters as demo
from gongshang.medical.models import Encounter, LineFlag

from .factories import InstitutionFactory
from .factories_encounters import catalogue_item

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture
def prerequisites(zhang_wei, employer_a, employer_user_a):
    client = UserFactory(kind=Audience.INSTITUTION, username=demo.CLIENT, display_name="青岛大学附属医院（演示）")
    institution = InstitutionFactory(code="H37020200001", name="青岛大学附属医院（演示）", agreement_from=date(2025, 1, 1))
    institution.api_clients.add(client)
    for code in (demo.BED, demo.DRUG, demo.IMPLANT, demo.GAUZE, demo.MEAL):
        catalogue_item(code)
    return recognised_case(zhang_wei, employer_a, employer_user_a)


def test_seed_settles_one_stay_with_flags_and_leaves_one_open(prerequisites):
    out = StringIO()
    demo.seed(stdout=out)
    settled = Encounter.objects.get(status="settled")
    open_stay = Encounter.objects.get(status="open")
    assert settled.case == open_stay.case == prerequisites
    assert settled.flagged and settled.total == settled.fund_amount + settled.self_amount
    assert LineFlag.objects.filter(encounter=settled, rule="out_of_catalogue", line__catalogue_code=demo.NOT_LISTED)
    assert settled.lines.count() == 18 and open_stay.lines.count() == 2
    assert settled.discharged_at.date() < date(2026, 3, 2)
    assert "已出院结算 1 次" in out.getvalue()


def test_seed_twice_changes_nothing(prerequisites):
    demo.seed()
    before = list(Encounter.objects.values_list("pk", "status", "total"))
    demo.seed()
    assert list(Encounter.objects.values_list("pk", "status", "total")) == before


def test_seed_skips_without_catalogue_or_institution(zhang_wei, employer_a, employer_user_a):
    recognised_case(zhang_wei, employer_a, employer_user_a)
    out = StringIO()
    demo.seed(stdout=out)
    assert not Encounter.objects.exists() and "跳过" in out.getvalue()
