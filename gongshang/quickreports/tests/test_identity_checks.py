"""身份核验 of the injured worker at a 工伤快报 (services/people.check_identities): recorded, never
refusing (evidence first, 48 hours); the staff page and API tell the desk what the register said."""

import pytest
from django.urls import reverse

from gongshang.integrations.models import IdentityCheck
from gongshang.integrations.tests.factories_identity import DOWN, LISTED_ID, LISTED_NAME, UNKNOWN_ID
from gongshang.quickreports.models import QuickReport
from gongshang.quickreports.services.supplement import SupplementInput, quick_report_supplement

from .conftest import other_person

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-06-10 10:00 +08:00")]
WARNING = "身份核验：姓名与身份证号不一致，请核实"


def employer_report(submit, employer_user_a, **person):
    return submit(employer_user_a, reporter_kind="employer", reporter_mobile="13800000001",
                  persons=[other_person(**person)])


def staff_page(client, officer, report) -> str:
    client.force_login(officer)
    return client.get(reverse("quickreports:inbox_detail", args=[report.pk])).content.decode()


def test_a_name_mismatch_does_not_block_the_report_and_the_desk_is_warned(
        client, submit, employer_user_a, staff_factory, api_client, token_for):
    result = employer_report(submit, employer_user_a, name="周建华", id_number=LISTED_ID)
    assert QuickReport.objects.count() == 1 and result.case_numbers
    check = IdentityCheck.objects.get()
    assert (check.context, check.result, check.actor, check.region) == (
        "quick_report", "name_mismatch", employer_user_a, result.report.region)
    officer = staff_factory("intake")
    assert WARNING in staff_page(client, officer, result.report)
    detail = api_client.get(f"/api/v1/staff/quick-reports/{result.report.pk}", **token_for(officer))
    assert detail.status_code == 200 and detail.json()["persons"][0]["identity_warning"] == WARNING


def test_a_matching_worker_shows_no_warning(client, worker, submit, staff_factory):
    result = submit(worker)  # 本人: the registry's own data
    assert IdentityCheck.objects.get().result == "match"
    page = staff_page(client, staff_factory("intake"), result.report)
    assert "identity-warning" not in page and "身份核验：" not in page  # the menu links 身份核验 itself


def test_a_person_without_id_number_is_not_checked(submit, employer_user_a):
    employer_report(submit, employer_user_a, name="王五", id_number="")
    assert not IdentityCheck.objects.exists()


def test_an_outage_is_shown_to_the_desk(client, submit, employer_user_a, staff_factory, settings):
    settings.POPULATION_REGISTER_BACKEND = DOWN
    result = employer_report(submit, employer_user_a, name="王五", id_number=UNKNOWN_ID)
    assert IdentityCheck.objects.get().result == "unavailable"
    assert "身份核验：人口库暂不可用" in staff_page(client, staff_factory("intake"), result.report)


def test_a_reporter_over_the_rate_limit_still_reports(submit, employer_user_a, settings):
    settings.IDENTITY_CHECK_RATE_LIMIT = 0
    result = employer_report(submit, employer_user_a, name="周建华", id_number=LISTED_ID)
    assert result.case_numbers and not IdentityCheck.objects.exists()


def test_a_corrected_name_is_checked_again(client, submit, employer_user_a, staff_factory):
    result = employer_report(submit, employer_user_a, name="周建华", id_number=LISTED_ID)
    case = result.report.accident.cases.get()
    quick_report_supplement(actor=employer_user_a, report=result.report,
                            data=SupplementInput(persons=[{"case_number": case.number, "name": LISTED_NAME}]))
    assert list(IdentityCheck.objects.order_by("pk").values_list("result", flat=True)) == ["name_mismatch", "match"]
    assert WARNING not in staff_page(client, staff_factory("intake"), result.report)
    quick_report_supplement(actor=employer_user_a, report=result.report, data=SupplementInput(note="补充说明"))
    assert IdentityCheck.objects.count() == 2  # nothing of the person changed: not asked again
