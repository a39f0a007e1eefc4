"""The review, statement and outlier pages: what they show and the forms going through the services."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from gongshang.accounts.tests.factories import UserFactory

from ..models import Encounter, InstitutionStatement
from ..services import statements as services
from .factories import InstitutionFactory, ReviewEncounterFactory, ReviewLineFlagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-03 10:00 +08:00")]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def inspector(staff_factory):
    return staff_factory("inspector", display_name="孙稽核")


@pytest.fixture
def encounter(db):
    e = ReviewEncounterFactory(fund_amount=Decimal("800.00"), flagged=True,
                               settled_at=timezone.make_aware(datetime(2026, 11, 20, 9)))
    ReviewLineFlagFactory(line__encounter=e, reason="单价超过最高限价，超出部分不予支付", amount=Decimal("20.00"))
    return e


def test_queue_and_detail_show_flags_and_actions(inspector, encounter):
    client = client_for(inspector)
    page = client.get("/medical/review/").content.decode()
    assert encounter.case.number in page and "剩余" in page
    detail = client.get(f"/medical/review/{encounter.pk}/").content.decode()
    assert "单价超过最高限价" in detail and 'id="deduct-form"' in detail and "data-confirm" in detail
    assert encounter.case.injured_name not in detail  # masked


def test_deduct_form_over_the_fund_amount_shows_the_reason(inspector, encounter):
    client = client_for(inspector)
    r = client.post(f"/medical/review/{encounter.pk}/deduct/", {"amount": "800.01", "reason": "超限"}, follow=True)
    assert "不能超过" in r.content.decode()
    assert Encounter.objects.get(pk=encounter.pk).status == "settled"
    client.post(f"/medical/review/{encounter.pk}/deduct/", {"amount": "20", "reason": "超限"})
    assert Encounter.objects.get(pk=encounter.pk).status == "deducted"


def test_other_roles_get_403_and_other_region_404(staff_factory, encounter):
    assert client_for(staff_factory("benefits_reviewer")).get("/medical/review/").status_code == 403
    outsider = staff_factory("inspector", jurisdiction="370100")
    assert client_for(outsider).get(f"/medical/review/{encounter.pk}/").status_code == 404


def test_compute_all_approve_release_and_bank_file(inspector, staff_factory):
    inst = InstitutionFactory(bank_name="青岛银行", bank_account="6222020200012345678")
    ReviewEncounterFactory(institution=inst, status="approved", settled_at=timezone.make_aware(datetime(2026, 11, 5)))
    client = client_for(inspector)
    r = client.post("/medical/statements/compute/", {"period": "2026-11"}, follow=True)
    assert "已生成 1 张结算单" in r.content.decode()
    s = InstitutionStatement.objects.get()
    detail = client.get(f"/medical/statements/{s.pk}/").content.decode()
    assert "复核通过" not in detail  # the maker may not approve, and is told why
    assert "不能由生成人本人复核" in detail
    checker, releaser = staff_factory("inspector"), staff_factory("inspector")
    assert "不能由生成人本人复核" not in client_for(checker).get(f"/medical/statements/{s.pk}/").content.decode()
    client_for(checker).post(f"/medical/statements/{s.pk}/action/", {"action": "approve"})
    approved = client_for(checker).get(f"/medical/statements/{s.pk}/").content.decode()
    assert 'value="release"' not in approved and "复核人不能拨付本人复核的结算单" in approved
    assert "复核人不能拨付" not in client_for(releaser).get(f"/medical/statements/{s.pk}/").content.decode()
    client_for(releaser).post(f"/medical/statements/{s.pk}/action/", {"action": "release"})
    s.refresh_from_db()
    assert s.status == "released"
    csv_response = client_for(releaser).get(f"/medical/statements/{s.pk}/bank-file.csv")
    assert csv_response.status_code == 200 and "6222020200012345678" in csv_response.content.decode("utf-8-sig")
    listing = client.get("/medical/statements/").content.decode()
    assert "2026-11" in listing and inst.name in listing


def test_institution_sees_its_statements_page(inspector):
    inst = InstitutionFactory()
    user = UserFactory(kind="institution", username="inst-page")
    inst.api_clients.add(user)
    ReviewEncounterFactory(institution=inst, status="approved", settled_at=timezone.make_aware(datetime(2026, 11, 5)))
    services.statement_compute(actor=inspector, institution=inst, period="2026-11")
    page = client_for(user).get("/medical/my/statements/").content.decode()
    assert "2026-11" in page and "1000.00" in page


def test_outlier_dashboard_renders_svg_and_figures(inspector):
    inst = InstitutionFactory(name="甲医院")
    ReviewEncounterFactory(institution=inst, total=Decimal("6000.00"))
    page = client_for(inspector).get("/medical/outliers/?start=2026-01-01&end=2026-12-31").content.decode()
    assert "<svg" in page and "6000.00" in page and "甲医院" in page
    bad = client_for(inspector).get("/medical/outliers/?start=2026-13-01").content.decode()
    assert "格式应为 YYYY-MM-DD" in bad


def test_detail_shows_the_person_s_masked_id_and_the_recognised_injury(inspector, zhang_wei, employer_a,
                                                                       employer_user_a):
    from gongshang.appraisal.tests.factories import recognised_case

    case = recognised_case(zhang_wei, employer_a, employer_user_a)  # linked to the registry person
    assert not case.injured_id_number
    e = ReviewEncounterFactory(case=case, settled_at=timezone.make_aware(datetime(2026, 11, 20, 9)))
    detail = client_for(inspector).get(f"/medical/review/{e.pk}/").content.decode()
    assert "370202********1237" in detail and "370202198803151237" not in detail and "，，" not in detail
    assert "右手：右手食指挤压伤（2025年7月1日认定）" in detail


def test_detail_of_an_unrecognised_case_says_so_and_flag_reasons_wrap(inspector, encounter):
    detail = client_for(inspector).get(f"/medical/review/{encounter.pk}/").content.decode()
    assert "尚未认定工伤" in detail
    # The reasons take a row of their own under their line, wrapped (not a column running off the table).
    assert '<td colspan="8" class="cell-wrap"><div class="provisional">审核提示：单价超过最高限价' in detail


@pytest.mark.parametrize("query", ["end=9999-12-31", "start=9999-12-30&end=9999-12-31", "end=0001-01-01",
                                   "start=0001-01-01&end=0001-01-02"])
def test_outlier_dashboard_dates_at_the_calendar_edges_fall_back_to_the_last_year(inspector, query):
    r = client_for(inspector).get(f"/medical/outliers/?{query}")
    assert r.status_code == 200
    assert "统计期间" in r.content.decode()


def test_approvals_ask_for_confirmation_first(inspector, staff_factory, encounter):
    import re

    detail = client_for(inspector).get(f"/medical/review/{encounter.pk}/").content.decode()
    approve = re.search(r'<form[^>]*id="approve-form".*?</form>', detail, re.S).group(0)
    assert "data-confirm" in approve and "800.00" in approve
    inst = encounter.institution
    ReviewEncounterFactory(institution=inst, status="approved", settled_at=timezone.make_aware(datetime(2026, 11, 5)))
    statement = services.statement_compute(actor=inspector, institution=inst, period="2026-11")
    page = client_for(staff_factory("inspector")).get(f"/medical/statements/{statement.pk}/").content.decode()
    button = re.search(r'<button[^>]*value="approve"[^>]*>', page).group(0)
    assert "data-confirm" in button
