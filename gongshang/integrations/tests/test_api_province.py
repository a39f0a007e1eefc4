"""省级交换 API: packages (export, list, detail, send, download), transfers (list, take over),
statistics reports (generate, list, download, send). Status, body and database; another region's
object answers 404, a role without the action 403, bad input 422 naming the field."""

import io
import json
import zipfile

import pytest

from gongshang.benefits.models import Entitlement

from ..choices import BatchKind, PackageStatus, TransferStatus
from ..models import CasePackage, ExchangeBatch, StatisticsReport, TransferIn
from .factories_province import (
    TRANSFERS_SAMPLE,
    paid_case,
    province_batch,
    province_world,
    run_adapter,
    sample_bytes,
    second_appraisal,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-16 10:00 +08:00")]
BASE = "/api/v1/exchange"


@pytest.fixture
def w(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a):
    return province_world(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a)


@pytest.fixture
def case(w):
    return paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)


def _post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_export_a_transfer_package_then_read_send_and_download_it(api_client, token_for, w, case):
    ben = token_for(w.ben)
    response = _post(api_client, f"{BASE}/packages", {"case_number": case.number, "purpose": "transfer",
                                                      "target_region": "370700"}, ben)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"] == "SJ-370200-2026-000001" and body["status"] == "exported"
    assert body["target_region_label"] == "山东省潍坊市（370700）" and body["actions"] == ["send"]
    assert body["worker"] != "张伟" and body["entitlements"][0]["amount"]
    package = CasePackage.objects.get(pk=body["id"])
    assert body["package_sha256"] == package.file.sha256
    listed = api_client.get(f"{BASE}/packages?purpose=transfer", **ben).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == package.pk
    assert api_client.get(f"{BASE}/packages?status=sent", **ben).json()["count"] == 0
    exc = token_for(w.exc)
    assert api_client.get(f"{BASE}/packages/{package.pk}", **exc).json()["reference"] == package.reference
    sent = api_client.post(f"{BASE}/packages/{package.pk}/send", **exc)
    assert sent.status_code == 200 and sent.json()["status"] == "sent" and sent.json()["actions"] == []
    assert sent.json()["batch_id"] == ExchangeBatch.objects.get(kind=BatchKind.CASE_PACKAGE).pk
    again = api_client.post(f"{BASE}/packages/{package.pk}/send", **exc)
    assert again.status_code == 409 and again.json()["code"] == "exchange_package_not_exported"
    download = api_client.get(f"{BASE}/packages/{package.pk}/download", **exc)
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert json.loads(archive.read("manifest.json"))["reference"] == package.reference


def test_export_a_reappraisal_package(api_client, token_for, w):
    application = second_appraisal(person=w.person, employer=w.employer, handler=w.handler, apr=w.apr)
    response = _post(api_client, f"{BASE}/packages", {"case_number": application.case.number,
                                                      "purpose": "reappraisal"}, token_for(w.apr))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["application_id"] == application.pk and body["earlier_conclusion"]["grade_label"] == "7级"
    application.refresh_from_db()
    assert application.status == "referred"


def test_export_refusals(api_client, token_for, w, case):
    ben = token_for(w.ben)
    unknown = _post(api_client, f"{BASE}/packages", {"case_number": "GS370200-2026-999999", "purpose": "transfer",
                                                     "target_region": "370700"}, ben)
    assert unknown.status_code == 422 and unknown.json()["details"][0]["field"] == "case_number"
    bad_target = _post(api_client, f"{BASE}/packages", {"case_number": case.number, "purpose": "transfer",
                                                        "target_region": "110100"}, ben)
    assert bad_target.status_code == 422 and bad_target.json()["details"][0]["field"] == "target_region"
    extra = _post(api_client, f"{BASE}/packages", {"case_number": case.number, "purpose": "transfer", "x": 1}, ben)
    assert extra.status_code == 422
    wrong_role = _post(api_client, f"{BASE}/packages", {"case_number": case.number, "purpose": "reappraisal"}, ben)
    assert wrong_role.status_code == 403 and "鉴定管理员" in wrong_role.json()["message"]
    not_allowed = _post(api_client, f"{BASE}/packages", {"case_number": case.number, "purpose": "transfer",
                                                         "target_region": "370700"}, token_for(w.exc))
    assert not_allowed.status_code == 403
    assert not CasePackage.objects.exists()


def test_another_regions_package_answers_404(api_client, token_for, w, case, staff_factory):
    package = _post(api_client, f"{BASE}/packages", {"case_number": case.number, "purpose": "transfer",
                                                     "target_region": "370700"}, token_for(w.ben)).json()
    elsewhere = token_for(staff_factory("exchange", jurisdiction="370700"))
    for method, url in (("get", f"{BASE}/packages/{package['id']}"), ("post", f"{BASE}/packages/{package['id']}/send"),
                        ("get", f"{BASE}/packages/{package['id']}/download")):
        assert getattr(api_client, method)(url, **elsewhere).status_code == 404
    assert api_client.get(f"{BASE}/packages", **elsewhere).json()["count"] == 0
    assert CasePackage.objects.get().status == PackageStatus.EXPORTED


def test_transfers_list_and_take_over(api_client, token_for, w):
    run_adapter(province_batch(sample_bytes(TRANSFERS_SAMPLE), kind=BatchKind.PROVINCE_TRANSFERS))
    transfer = TransferIn.objects.get()
    exc = token_for(w.exc)  # one token per account (a one-time password is not reused)
    listed = api_client.get(f"{BASE}/transfers", **exc).json()
    assert listed["count"] == 1 and listed["items"][0]["name"] != "王强"
    assert listed["items"][0]["id_number"] == "370702********3014" and listed["items"][0]["actions"] == []
    ben = token_for(w.ben)
    assert api_client.get(f"{BASE}/transfers?status=received", **ben).json()["items"][0]["actions"] == ["take_over"]
    bad = _post(api_client, f"{BASE}/transfers/{transfer.pk}/take-over", {"bank_account": "12ab"}, ben)
    assert bad.status_code == 422 and bad.json()["details"][0]["field"] == "bank_account"
    refused = _post(api_client, f"{BASE}/transfers/{transfer.pk}/take-over", {}, exc)
    assert refused.status_code == 403
    taken = _post(api_client, f"{BASE}/transfers/{transfer.pk}/take-over", {}, ben)
    assert taken.status_code == 200, taken.content
    body = taken.json()
    assert body["status"] == TransferStatus.ACCEPTED and body["case_number"] and body["actions"] == []
    assert body["benefits_url"] == f"/benefits/cases/{body['case_id']}/"
    assert Entitlement.objects.get(case_id=body["case_id"]).status == "pending"
    again = _post(api_client, f"{BASE}/transfers/{transfer.pk}/take-over", {}, token_for(w.ben2))
    assert again.status_code == 409


def test_reports_generate_list_download_send(api_client, token_for, w):
    exc = token_for(w.exc)
    bad = _post(api_client, f"{BASE}/reports", {"month": "2026-03"}, exc)
    assert bad.status_code == 422 and bad.json()["details"][0]["field"] == "month"
    created = _post(api_client, f"{BASE}/reports", {"month": "2026-02"}, exc)
    assert created.status_code == 201, created.content
    first = created.json()
    assert (first["month"], first["version"], first["latest"], first["actions"]) == ("2026-02", 1, True, ["send"])
    second = _post(api_client, f"{BASE}/reports", {"month": "2026-02"}, exc).json()
    lead = token_for(w.lead)
    listed = api_client.get(f"{BASE}/reports", **lead).json()
    assert [r["version"] for r in listed["items"]] == [2, 1] and listed["items"][0]["actions"] == []
    assert _post(api_client, f"{BASE}/reports", {"month": "2026-02"}, lead).status_code == 403
    download = api_client.get(f"{BASE}/reports/{second['id']}/download", **lead)
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    old = api_client.post(f"{BASE}/reports/{first['id']}/send", **exc)
    assert old.status_code == 409 and old.json()["code"] == "exchange_report_not_latest"
    sent = api_client.post(f"{BASE}/reports/{second['id']}/send", **exc)
    assert sent.status_code == 200 and sent.json()["sent"] is True
    assert StatisticsReport.objects.get(pk=second["id"]).batch.kind == BatchKind.STATISTICS
    assert api_client.post(f"{BASE}/reports/{second['id']}/send", **exc).status_code == 409


def test_another_regions_transfer_and_report_answer_404(api_client, token_for, w, staff_factory):
    run_adapter(province_batch(sample_bytes(TRANSFERS_SAMPLE), kind=BatchKind.PROVINCE_TRANSFERS))
    transfer = TransferIn.objects.get()
    report = _post(api_client, f"{BASE}/reports", {"month": "2026-02"}, token_for(w.exc)).json()
    ben = token_for(staff_factory("benefits_reviewer", jurisdiction="370700"))
    taken = _post(api_client, f"{BASE}/transfers/{transfer.pk}/take-over", {}, ben)
    assert taken.status_code == 404 and set(taken.json()) == {"code", "message", "details"}
    assert api_client.get(f"{BASE}/transfers", **ben).json()["count"] == 0
    exc = token_for(staff_factory("exchange", jurisdiction="370700"))
    assert api_client.get(f"{BASE}/reports/{report['id']}/download", **exc).status_code == 404
    assert api_client.post(f"{BASE}/reports/{report['id']}/send", **exc).status_code == 404
    assert api_client.get(f"{BASE}/reports", **exc).json()["count"] == 0
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RECEIVED and not Entitlement.objects.exists()
    assert StatisticsReport.objects.get(pk=report["id"]).batch_id is None
