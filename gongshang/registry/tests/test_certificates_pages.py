"""证明打印 pages: print, see the code, download the exact bytes, verify publicly; and the PNG look."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from gongshang.core.documents import codes
from gongshang.core.models import IssuedDocument
from gongshang.registry.tests.certificate_helpers import (  # noqa: F401 (fixture)
    change,
    contributions,
    media,
    pdf_text,
    stored_bytes,
    year_of_months,
)

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "certificates"


@pytest.fixture
def handler_client(client, employer_user_a, zhang_wei, employer_a):
    contributions(zhang_wei, employer_a, year_of_months(2026)[:10])
    client.force_login(employer_user_a)
    return client


def test_page_shows_the_three_printouts_with_stable_ids(handler_client):
    body = handler_client.get("/registry/certificates/").content.decode()
    for marker in ('id="issue-employer-certificate"', 'id="person-search-form"', 'id="person-query"',
                   'id="change-report-form"', 'id="report-start"', 'id="report-end"', 'id="issue-change-report"'):
        assert marker in body


def test_print_employer_certificate_then_download_and_verify(handler_client, client):
    response = handler_client.post("/registry/certificates/employer/")
    document = IssuedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/registry/certificates/issued/{document.pk}/"
    page = handler_client.get(response["Location"]).content.decode()
    assert codes.display(document.code) in page and 'id="document-download"' in page
    download = handler_client.get(f"/registry/certificates/issued/{document.pk}/file.pdf?download=1")
    data = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    assert data == stored_bytes(document)
    verify = client.get(f"/v/{document.code}/").content.decode()
    assert 'data-status="genuine"' in verify


def test_search_by_name_or_id_number_only_among_own_people(handler_client, li_na):
    by_name = handler_client.get("/registry/certificates/", {"q": "张"}).content.decode()
    assert "张伟" in by_name and "370202********1237" in by_name and "370202198803151237" not in by_name
    by_id = handler_client.get("/registry/certificates/", {"q": "370202198803151237"}).content.decode()
    assert 'id="print-person-1"' in by_id
    foreign = handler_client.get("/registry/certificates/", {"q": "李娜"}).content.decode()
    assert "李娜" in foreign and 'id="person-not-found"' in foreign and 'id="print-person-1"' not in foreign


def test_print_person_certificate_from_the_page(handler_client, zhang_wei, li_na):
    response = handler_client.post("/registry/certificates/person/", {"person_id": zhang_wei.pk})
    assert response.status_code == 302
    assert IssuedDocument.objects.get().holder_summary == "张*、370202********1237"
    foreign = handler_client.post("/registry/certificates/person/", {"person_id": li_na.pk})
    assert foreign.status_code == 404
    assert IssuedDocument.objects.count() == 1


def test_change_report_form_errors_are_shown_beside_the_fields(handler_client):
    response = handler_client.post("/registry/certificates/change-report/",
                                   {"start_month": "2026-06", "end_month": "2026-01"})
    assert response.status_code == 422
    assert "截止月份不能早于起始月份" in response.content.decode()
    response = handler_client.post("/registry/certificates/change-report/", {"start_month": "abc", "end_month": ""})
    body = response.content.decode()
    assert "月份格式应为 2026-01" in body and 'id="report-end"' in body
    assert not IssuedDocument.objects.exists()


def test_another_employer_cannot_open_or_download_the_document(handler_client, client, employer_user_b):
    handler_client.post("/registry/certificates/employer/")
    document = IssuedDocument.objects.get()
    client.force_login(employer_user_b)
    assert client.get(f"/registry/certificates/issued/{document.pk}/").status_code == 404
    assert client.get(f"/registry/certificates/issued/{document.pk}/file.pdf").status_code == 404


def test_error_on_print_is_a_message_not_a_500(client, employer_user_b):
    client.force_login(employer_user_b)
    response = client.post("/registry/certificates/employer/", follow=True)
    assert response.status_code == 200
    assert "还没有工伤保险参保记录" in response.content.decode()


def test_pages_need_an_employer_or_staff_login(client, individual_user):
    assert client.get("/registry/certificates/").status_code == 302
    client.force_login(individual_user)
    assert client.get("/registry/certificates/").status_code == 403


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
def test_render_pages_as_png_for_a_look(employer_user_a, employer_a, zhang_wei):
    """Writes test-artifacts/certificates/*.png: open them to check the CJK text by eye."""
    from gongshang.registry.certificates import services

    contributions(zhang_wei, employer_a, year_of_months(2026)[:10], unpaid=(date(2026, 10, 1),))
    change(employer_a, employer_user_a, name="欧阳娜娜", id_number="370202199105123410", status="confirmed")
    change(employer_a, employer_user_a, name="陈静", id_number="370202199208154426", kind="reduce_retire",
           direction="reduce")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    printed = {
        "employer": services.employer_certificate_issue(actor=employer_user_a),
        "person": services.person_certificate_issue(actor=employer_user_a, id_number=zhang_wei.id_number),
        "change_report": services.change_report_issue(actor=employer_user_a, start_month=date(2026, 1, 1),
                                                      end_month=date(2026, 12, 1)),
    }
    for name, document in printed.items():
        pdf = ARTIFACTS / f"{name}.pdf"
        pdf.write_bytes(stored_bytes(document))
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(ARTIFACTS / name)], check=True, timeout=60)
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
    fonts = subprocess.run(["pdffonts", str(ARTIFACTS / "person.pdf")], capture_output=True, text=True,
                           timeout=60).stdout
    # The CJK face is embedded under its @font-face name (backed by WenQuanYi or Noto CJK).
    assert "GS-CJK" in fonts
