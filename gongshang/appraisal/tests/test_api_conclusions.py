"""API of conclusions, delivery, 签收, PDF, 公示 and 再次鉴定: status, body and database; the public
list shows no unmasked name or ID; BEN reads conclusions; another employer answers 404."""

import hashlib
import io
import json
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.accounts.tests.factories import EmployerUserFactory
from gongshang.appraisal.models import AppraisalConclusion, PublicationObjection
from gongshang.appraisal.services import conclusions, publication
from gongshang.benefits.models import Entitlement
from gongshang.core.files.pdf import blank_pdf

from .factories import make_application
from .factories_conclusions import batch_of, examined

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
BASE = "/api/v1/appraisal"


@pytest.fixture(autouse=True)
def parameters(db):
    from gongshang.benefits.demo import seed_parameters

    seed_parameters()


@pytest.fixture
def application(case, worker, apr):
    return examined(case=case, creator=worker, apr=apr, grade=7)


def test_conclude_deliver_receive_and_download(api_client, token_for, apr, worker, application):
    staff = token_for(apr)
    r = api_client.post(f"{BASE}/applications/{application.pk}/conclusion", {"basis": {"rule": ""}},
                        content_type="application/json", **staff)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["grade"] == 7 and body["result_label"] == "七级伤残" and body["verification_code"]
    assert Entitlement.objects.filter(case=application.case, status="pending").exists()
    r = api_client.post(f"{BASE}/applications/{application.pk}/deliver", {"method": "post"},
                        content_type="application/json", **staff)
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "tracking_number"
    r = api_client.post(f"{BASE}/applications/{application.pk}/deliver", {"method": "online"},
                        content_type="application/json", **staff)
    assert r.status_code == 200 and r.json()["delivery_method"] == "online"
    mine = token_for(worker)
    r = api_client.get(f"{BASE}/applications/{application.pk}/conclusion.pdf", **mine)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    r = api_client.post(f"{BASE}/applications/{application.pk}/receive", **mine)
    assert r.status_code == 200 and r.json()["received_on"] == "2026-03-02"
    assert r.json()["second_appraisal_until"] == "2026-03-17" and r.json()["status"] == "delivered"
    r = api_client.post(f"{BASE}/applications/{application.pk}/receive", **mine)
    assert r.status_code == 409


def test_bad_grade_is_422_and_the_worker_cannot_conclude(api_client, token_for, apr, worker, application):
    r = api_client.post(f"{BASE}/applications/{application.pk}/conclusion", {"grade": 12, "reason": "x"},
                        content_type="application/json", **token_for(apr))
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "grade"
    r = api_client.post(f"{BASE}/applications/{application.pk}/conclusion", {},
                        content_type="application/json", **token_for(worker))
    assert r.status_code == 403


def test_ben_reads_the_conclusion_another_employer_gets_404(api_client, token_for, apr, staff_factory, employer_b,
                                                            application):
    conclusions.conclusion_create(actor=apr, application=application, data={})
    ben = token_for(staff_factory("benefits_reviewer"))
    r = api_client.get(f"{BASE}/applications/{application.pk}/conclusion", **ben)
    assert r.status_code == 200 and r.json()["number"] == "青劳鉴〔2026〕1号"
    other = token_for(EmployerUserFactory(employer=employer_b, username="other-handler"))
    assert api_client.get(f"{BASE}/applications/{application.pk}/conclusion", **other).status_code == 404
    assert api_client.get(f"{BASE}/applications/{application.pk}/conclusion.pdf", **other).status_code == 404


def test_publications_are_public_masked_and_objections_recorded(api_client, token_for, apr, application):
    conclusions.conclusion_create(actor=apr, application=application, data={})
    line = publication.batch_publish(actor=apr, batch=batch_of(application))[0]
    r = api_client.get(f"{BASE}/publications", {"region": "370200"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 1 and body["items"][0]["masked_name"] == "张*"
    text = r.content.decode()
    assert "张伟" not in text and "370202198803151237" not in text
    assert api_client.get(f"{BASE}/publications", {"page": 0}).status_code == 422
    r = api_client.post(f"{BASE}/publications/{line.pk}/objections", {"raised_by": "李某", "text": "等级偏高"},
                        content_type="application/json", **token_for(apr))
    assert r.status_code == 201 and PublicationObjection.objects.get().raised_by == "李某"


def test_second_appraisal_goes_out_as_one_package_and_comes_back(api_client, token_for, apr, worker, case,
                                                                 application):
    first = conclusions.conclusion_create(actor=apr, application=application, data={})
    second = make_application(case=case, creator=worker, kind="second", status="accepted", previous_conclusion=first,
                              received_on=date(2026, 3, 2), accepted_on=date(2026, 3, 2))
    staff = token_for(apr)
    r = api_client.post(f"{BASE}/applications/{second.pk}/refer", **staff)
    assert r.status_code == 200 and r.json()["status"] == "referred"
    r = api_client.get(f"{BASE}/applications/{second.pk}/package", **staff)
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    manifest = json.loads(archive.read("manifest.json"))
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    data = json.dumps({"grade": 6, "number": "鲁劳鉴〔2026〕5号", "concluded_on": "2026-03-01"})
    upload = SimpleUploadedFile("省级.pdf", blank_pdf(), content_type="application/pdf")
    r = api_client.post(f"{BASE}/applications/{second.pk}/provincial-conclusion", {"data": data, "file": upload},
                        **staff)
    assert r.status_code == 201, r.content
    assert r.json()["provincial"] is True and r.json()["supersedes_number"] == first.number
    r = api_client.get(f"{BASE}/applications/{second.pk}/conclusion.pdf", **staff)
    assert r.status_code == 200
    assert AppraisalConclusion.objects.get(number="鲁劳鉴〔2026〕5号").provincial
    r = api_client.post(f"{BASE}/applications/{application.pk}/provincial-conclusion",
                        {"data": data, "file": SimpleUploadedFile("a.pdf", blank_pdf(), content_type="application/pdf")},
                        **staff)
    assert r.status_code == 409


def test_package_is_refused_for_an_initial_application(api_client, token_for, client, apr, application):
    r = api_client.get(f"{BASE}/applications/{application.pk}/package", **token_for(apr))
    assert r.status_code == 409 and "再次鉴定" in r.json()["message"]
    client.force_login(apr)
    assert client.get(f"/appraisal/{application.pk}/package.zip").status_code == 409
    assert client.get(f"/appraisal/{application.pk}/package/").status_code == 409
    # no link to the package page (the menu's 案卷包与转移 is the exchange desk, another page)
    assert f"/appraisal/{application.pk}/package/" not in client.get(f"/appraisal/{application.pk}/conclusion/").content.decode()


def test_deliver_with_an_unknown_method_answers_with_chinese_labels(api_client, token_for, case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr)
    conclusions.conclusion_create(actor=apr, application=application, data={})
    r = api_client.post(f"/api/v1/appraisal/applications/{application.pk}/deliver", {"method": "fax"},
                        content_type="application/json", **token_for(apr))
    assert r.status_code == 422
    detail = r.json()["details"][0]
    assert detail["field"] == "method"
    assert " or " not in detail["message"] and "'" not in detail["message"]
    assert "送达方式" in detail["message"] and "窗口领取" in detail["message"]


def test_list_filters_answer_unknown_values_with_chinese_labels(api_client, token_for, apr):
    auth = token_for(apr)
    for url, field, label in (("/api/v1/appraisal/applications?view=nope", "view", "待审核"),
                              ("/api/v1/appraisal/applications?status=nope", "status", "草稿"),
                              ("/api/v1/appraisal/standard-items?category=nope", "category", "门类")):
        r = api_client.get(url, **auth)
        assert r.status_code == 422, url
        detail = r.json()["details"][0]
        assert detail["field"] == field and label in detail["message"] and "'" not in detail["message"], detail


def test_package_hash_returned_at_referral_matches_the_downloadable_package(api_client, token_for, case, worker, apr,
                                                                            time_machine):
    first = conclusions.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr), data={})
    second = make_application(case=case, creator=worker, kind="second", status="accepted", previous_conclusion=first,
                              received_on=date(2026, 3, 2), accepted_on=date(2026, 3, 2))
    auth = token_for(apr)
    r = api_client.post(f"/api/v1/appraisal/applications/{second.pk}/refer", **auth)
    assert r.status_code == 200, r.content
    recorded = r.json()["package_sha256"]
    time_machine.move_to("2026-03-02 10:05 +08:00")   # later: a rebuilt package would carry a new generated_at
    r = api_client.get(f"/api/v1/appraisal/applications/{second.pk}/package", **auth)
    assert r.status_code == 200
    assert hashlib.sha256(r.content).hexdigest() == recorded
