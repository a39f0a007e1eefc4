"""The code as a credential: sessions, grants, lockouts that the holder survives, limits under lock,
and corrections that re-link the registry person."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongshang.accounts.models import SmsCode
from gongshang.core.errors import DomainError
from gongshang.core.models import OutboxMessage
from gongshang.quickreports.choices import ReportFlag
from gongshang.quickreports.models import QuickReport, QuickReportMedia
from gongshang.quickreports.services import supplement as supplement_service
from gongshang.quickreports.services.supplement import SupplementInput, quick_report_supplement

from .conftest import other_person
from .media_fixtures import photo

pytestmark = pytest.mark.django_db
UNKNOWN_VALID_ID = "110101199003071235"


def _sms() -> str:
    return OutboxMessage.objects.filter(template="sms_quickreport_access_code").order_by("-pk").first().params["code"]


def _session_text(client) -> str:
    return json.dumps(dict(client.session.items()), ensure_ascii=False)


def test_grant_renews_session_and_code_is_never_kept_in_session(worker, submit, employer_user_a):
    result = submit(worker)
    client = Client()
    client.force_login(employer_user_a)
    client.post(reverse("quickreports:supplement_start"), {"code": result.code})
    before = client.session.session_key
    response = client.post(reverse("quickreports:supplement_start"), {"code": result.code, "sms_code": _sms()})
    assert response.status_code == 302
    assert client.session.session_key != before  # cycle_key: a planted cookie gains nothing
    compact = result.code.replace("-", "")
    assert result.code not in _session_text(client) and compact not in _session_text(client)
    assert client.session["quickreport_supplement_ready"] == [result.report.pk]  # the id only, never the code
    assert "quickreport_codes" not in client.session  # watermarks no longer need the code
    response = client.post(response["Location"], {"note": "单位已送医"})
    assert response.status_code == 302
    assert not client.session.get("quickreport_supplement_ready")  # used: cleared
    page = client.get(response["Location"]).content.decode()
    assert "已提交第 2 版补充信息" in page and "重新输入快报唯一标志码" in page


def test_done_page_code_encrypted_and_shown_once(client, worker):
    client.force_login(worker)
    client.post(reverse("quickreports:start"), {"accept": "yes"})
    client.post(reverse("quickreports:report", args=["self"]), {
        "accident_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "address": "车间", "description": "摔伤"})
    code = OutboxMessage.objects.get(template="sms_quickreport_code").params["code"]
    assert code not in _session_text(client) and code.replace("-", "") not in _session_text(client)
    assert code in client.get(reverse("quickreports:done")).content.decode()
    again = client.get(reverse("quickreports:done")).content.decode()
    assert code not in again and "只在提交后显示一次" in again


def test_wrong_sms_codes_from_one_address_do_not_lock_out_the_holder(worker, submit, settings):
    result = submit(worker)
    url = reverse("api:grant_access", args=[result.code])
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    attacker.post(reverse("api:send_access_code", args=[result.code]))
    statuses = [attacker.post(url, {"sms_code": "000000"}, content_type="application/json").status_code
                for _ in range(12)]
    assert statuses[0] == 422 and statuses[-1] == 429
    # the wrong tries spent that SMS code; after the resend interval the holder asks for a new one
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    holder = Client(REMOTE_ADDR="10.1.1.1")
    assert holder.post(reverse("api:send_access_code", args=[result.code])).status_code == 200
    response = holder.post(url, {"sms_code": _sms()}, content_type="application/json")
    assert response.status_code == 200, response.content


def test_verification_ceiling_per_report_across_addresses(worker, submit, settings):
    settings.QUICKREPORT_ACCESS_VERIFY_PER_REPORT_HOUR = 3
    result = submit(worker)
    url = reverse("api:grant_access", args=[result.code])
    statuses = [Client(REMOTE_ADDR=f"10.0.0.{i}").post(url, {"sms_code": "000000"},
                                                       content_type="application/json").status_code
                for i in range(5)]
    assert statuses == [422, 422, 422, 429, 429]


def test_code_lookups_from_one_address_do_not_lock_out_the_holder(worker, submit, token_for):
    result = submit(worker)
    url = reverse("api:get_report", args=[result.code])
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    statuses = [attacker.get(url).status_code for _ in range(32)]
    assert statuses[-1] == 429
    holder = Client(REMOTE_ADDR="10.1.1.1")
    assert holder.get(url, **token_for(worker)).status_code == 200


def test_media_limit_rechecked_under_the_row_lock(worker, submit, monkeypatch):
    result = submit(worker, photos=[photo() for _ in range(3)])
    report = result.report
    original_check = supplement_service._check

    def racing_check(*args, **kwargs):
        checked = original_check(*args, **kwargs)
        monkeypatch.setattr(supplement_service, "_check", original_check)
        # another supplement wins the race between the early check and the write
        quick_report_supplement(actor=worker, report=report, data=SupplementInput(note="并发"),
                                photos=[photo()])
        return checked

    monkeypatch.setattr(supplement_service, "_check", racing_check)
    with pytest.raises(DomainError) as exc:
        quick_report_supplement(actor=worker, report=report, data=SupplementInput(note="慢"),
                                photos=[photo()])
    assert exc.value.code == "too_many_photos"
    assert QuickReportMedia.objects.filter(report=report, replaced_by__isnull=True).count() == 4


def test_corrected_id_number_relinks_or_unlinks_registry_person(bystander, zhang_wei, employer_a, submit):
    result = submit(bystander, reporter_kind="other", reporter_mobile="13700000009",
                    persons=[other_person(id_number="370202198803151237")])
    case = result.report.accident.cases.get()
    assert (case.person_id, case.employer_id) == (zhang_wei.pk, employer_a.pk)
    fix = {"case_number": case.number, "id_number": UNKNOWN_VALID_ID}
    quick_report_supplement(actor=bystander, report=result.report,
                            data=SupplementInput(persons=[fix]))
    case.refresh_from_db()
    assert case.person_id is None and case.employer_id is None  # no stale link to 张伟 or his employer
    assert ReportFlag.INCOMPLETE in QuickReport.objects.get().flags
    back = {"case_number": case.number, "id_number": "370202198803151237"}
    quick_report_supplement(actor=bystander, report=result.report,
                            data=SupplementInput(persons=[back]))
    case.refresh_from_db()
    assert (case.person_id, case.employer_id) == (zhang_wei.pk, employer_a.pk)


def test_employer_report_keeps_reporting_employer_when_id_matches_nobody(employer_user_a, zhang_wei, employer_a,
                                                                        submit):
    result = submit(employer_user_a, reporter_kind="employer", reporter_mobile="13800000001",
                    persons=[other_person(id_number="370202198803151237")])
    case = result.report.accident.cases.get()
    quick_report_supplement(actor=employer_user_a, report=result.report,
                            data=SupplementInput(persons=[{"case_number": case.number, "id_number": UNKNOWN_VALID_ID}]))
    case.refresh_from_db()
    assert case.person_id is None and case.employer_id == employer_a.pk


