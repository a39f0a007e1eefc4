"""Pages of the conclusions part: the staff form (panel proposal), delivery, the applicant's view
with 下载并签收, the 再次鉴定 package and provincial import, staff 公示 with objections."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.accounts.tests.factories import EmployerUserFactory
from gongshang.appraisal.models import AppraisalConclusion, PublicationObjection, PublishedConclusion
from gongshang.appraisal.services import conclusions
from gongshang.core.files.pdf import blank_pdf

from .factories import make_application
from .factories_conclusions import batch_of, examined

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture(autouse=True)
def parameters(db):
    from gongshang.benefits.demo import seed_parameters

    seed_parameters()


@pytest.fixture
def application(case, worker, apr):
    return examined(case=case, creator=worker, apr=apr, grade=7)


def test_staff_concludes_through_the_form_showing_the_panels_proposal(client, apr, application):
    client.force_login(apr)
    page = client.get(f"/appraisal/{application.pk}/conclusion/new/")
    text = page.content.decode()
    assert page.status_code == 200 and "专家组建议" in text and "7 级" in text and "5.7.2.16" in text
    r = client.post(f"/appraisal/{application.pk}/conclusion/new/", {"grade": "6", "self_care": ""})
    assert r.status_code == 422 and "结论与专家组意见不一致，请填写理由" in r.content.decode()
    r = client.post(f"/appraisal/{application.pk}/conclusion/new/",
                    {"grade": "7", "self_care": "", "standard_items": "5.7.2.16"})
    assert r.status_code == 302
    page = client.get(f"/appraisal/{application.pk}/conclusion/").content.decode()
    assert "七级伤残" in page and "青劳鉴〔2026〕1号" in page and "登记送达" in page
    r = client.post(f"/appraisal/{application.pk}/conclusion/deliver/", {"method": "post", "tracking_number": ""})
    assert r.status_code == 302
    assert not AppraisalConclusion.objects.get().delivery_method  # refused: no tracking number
    client.post(f"/appraisal/{application.pk}/conclusion/deliver/", {"method": "post", "tracking_number": "EMS123"})
    assert AppraisalConclusion.objects.get().tracking_number == "EMS123"


def test_applicant_views_downloads_and_signs(client, apr, worker, application):
    conclusions.conclusion_create(actor=apr, application=application, data={})
    conclusions.conclusion_deliver(actor=apr, application=application, method="online")
    client.force_login(worker)
    page = client.get(f"/appraisal/{application.pk}/conclusion/").content.decode()
    assert "下载并签收" in page and "data-confirm" in page and 'id="conclude-link"' not in page
    r = client.get(f"/appraisal/{application.pk}/conclusion.pdf?download=1")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    client.post(f"/appraisal/{application.pk}/conclusion/receive/")
    page = client.get(f"/appraisal/{application.pk}/conclusion/").content.decode()
    assert "2026年3月17日" in page and "已签收" in page


def test_another_employer_gets_404_and_ben_reads(client, apr, staff_factory, employer_b, application):
    conclusions.conclusion_create(actor=apr, application=application, data={})
    client.force_login(EmployerUserFactory(employer=employer_b, username="another"))
    assert client.get(f"/appraisal/{application.pk}/conclusion/").status_code == 404
    assert client.get(f"/appraisal/{application.pk}/conclusion.pdf").status_code == 404
    client.force_login(staff_factory("benefits_reviewer"))
    assert client.get(f"/appraisal/{application.pk}/conclusion/").status_code == 200


def test_package_refer_and_provincial_import_pages(client, apr, worker, case, application):
    first = conclusions.conclusion_create(actor=apr, application=application, data={})
    second = make_application(case=case, creator=worker, kind="second", status="accepted", previous_conclusion=first,
                              received_on=date(2026, 3, 2), accepted_on=date(2026, 3, 2))
    client.force_login(apr)
    assert "报送省级鉴定委员会" in client.get(f"/appraisal/{second.pk}/package/").content.decode()
    assert client.post(f"/appraisal/{second.pk}/refer/").status_code == 302
    second.refresh_from_db()
    assert second.status == "referred"
    r = client.get(f"/appraisal/{second.pk}/package.zip")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = client.post(f"/appraisal/{second.pk}/provincial/", {"number": "", "concluded_on": "2026-03-01", "grade": "6"})
    assert r.status_code == 422
    r = client.post(f"/appraisal/{second.pk}/provincial/", {
        "number": "鲁劳鉴〔2026〕5号", "concluded_on": "2026-03-01", "grade": "6", "self_care": "",
        "file": SimpleUploadedFile("省级.pdf", blank_pdf(), content_type="application/pdf")})
    assert r.status_code == 302, r.content.decode()[:2000]
    page = client.get(f"/appraisal/{second.pk}/conclusion/").content.decode()
    assert "省级最终结论" in page and "六级伤残" in page


def test_staff_publishes_a_batch_and_records_an_objection(client, apr, application):
    conclusions.conclusion_create(actor=apr, application=application, data={})
    client.force_login(apr)
    page = client.get("/appraisal/publications/staff/").content.decode()
    assert batch_of(application).number in page
    client.post(f"/appraisal/batches/{application.batch_id}/publish/")
    line = PublishedConclusion.objects.get()
    client.post(f"/appraisal/publications/{line.pk}/objection/", {"raised_by": "李某", "text": "等级偏高"})
    assert PublicationObjection.objects.get().text == "等级偏高"
    assert "等级偏高" in client.get("/appraisal/publications/staff/").content.decode()
