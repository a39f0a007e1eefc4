"""Issued documents: verification codes, issuing (PDF, hash, storage, audit), revocation."""

import hashlib
import io

import pytest
from pypdf import PdfReader

from gongshang.core.audit.context import AuditContext, using
from gongshang.core.documents import codes
from gongshang.core.documents import services as document_services
from gongshang.core.documents.choices import DocumentEvent
from gongshang.core.documents.rendering import data_only_fetcher, issuer_name, verify_url
from gongshang.core.documents.services import document_issue, document_revoke
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.storage import open_stored
from gongshang.core.models import AuditEvent, IssuedDocument


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def issue(actor=None, **overrides):
    kwargs = {
        "actor": actor, "kind": "test.notice", "title": "工伤保险测试通知书",
        "template_name": "documents/plain_document.html",
        "context": {"paragraphs": ["兹通知张伟同志：您的参保信息已登记。"]},
        "holder_summary": "张*、370202********1237", "region": "370200",
        "facts": [("姓名", "张*")],
    }
    kwargs.update(overrides)
    return document_issue(**kwargs)


# --- codes -------------------------------------------------------------------------------------

def test_new_code_has_16_characters_75_random_bits_and_a_valid_check_character():
    code = codes.new_code()
    assert len(code) == 16
    assert set(code) <= set(codes.ALPHABET)
    assert codes.is_well_formed(code)
    assert len(codes.ALPHABET) ** codes.RANDOM_LENGTH >= 2**60


def test_codes_do_not_repeat():
    drawn = {codes.new_code() for _ in range(5000)}
    assert len(drawn) == 5000


def test_every_single_character_typo_is_caught_by_the_check_character():
    code = codes.new_code()
    for position in range(len(code)):
        for replacement in codes.ALPHABET:
            if replacement != code[position]:
                typo = code[:position] + replacement + code[position + 1:]
                assert not codes.is_well_formed(typo)


def test_typing_is_forgiving_case_dashes_spaces_and_look_alike_letters():
    code = "0123456789ABCDE"
    code += codes.check_character(code)
    typed = " " + codes.display(code).lower().replace("0", "o").replace("1", "l") + " "
    assert codes.normalize(typed) == code
    assert codes.display(code) == "0123-4567-89AB-CDE" + code[-1]


# --- issuing -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_issue_stores_pdf_whose_sha256_matches_the_row(staff_factory):
    staff = staff_factory("intake")
    document = issue(actor=staff)
    with open_stored(document.file) as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == document.sha256 == document.file.sha256
    assert document.file.content_type == "application/pdf"
    assert document.file.size == len(data)
    assert document.issued_by == staff
    assert document.issuer_name == issuer_name("370200") == "山东省青岛市社会保险经办机构"
    assert codes.is_well_formed(document.code)


@pytest.mark.django_db
def test_pdf_carries_the_chinese_text_the_code_and_the_verification_address(settings):
    settings.PUBLIC_BASE_URL = "https://gs.example.cn"
    document = issue()
    with open_stored(document.file) as handle:
        text = pdf_text(handle.read())
    compact = "".join(text.split())
    assert "兹通知张伟同志" in compact
    assert "工伤保险测试通知书" in compact
    assert codes.display(document.code) in compact
    assert "https://gs.example.cn/v/" in compact
    assert verify_url(document.code) == f"https://gs.example.cn/v/{document.code}/"


@pytest.mark.django_db
def test_without_the_setting_documents_point_to_the_address_the_request_came_to(settings, rf):
    settings.PUBLIC_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["192.168.1.5"]
    request = rf.get("/registry/certificates/", HTTP_HOST="192.168.1.5:9000")
    with using(AuditContext.from_request(request)):  # what the middleware sets for each request
        document = issue()
    with open_stored(document.file) as handle:
        compact = "".join(pdf_text(handle.read()).split())
    assert "http://192.168.1.5:9000/v/" in compact and "127.0.0.1" not in compact
    assert verify_url(document.code, request) == f"http://192.168.1.5:9000/v/{document.code}/"
    settings.PUBLIC_BASE_URL = "https://gs.example.cn"  # the setting wins over the request
    assert verify_url(document.code, request) == f"https://gs.example.cn/v/{document.code}/"


@pytest.mark.django_db
def test_issue_writes_an_audit_event_without_personal_data():
    document = issue()
    event = AuditEvent.objects.get(event_type=DocumentEvent.ISSUED)
    assert event.target_id == str(document.pk)
    assert event.region == "370200"
    assert "code" not in event.details and document.code not in str(event.details)
    assert "张" not in str(event.details)


@pytest.mark.django_db
def test_a_taken_code_is_never_reused(monkeypatch):
    first = issue()
    drawn = iter([first.code, first.code, "Z" * 15 + codes.check_character("Z" * 15)])
    monkeypatch.setattr(document_services.codes, "new_code", lambda: next(drawn))
    second = issue()
    assert second.code != first.code
    assert IssuedDocument.objects.count() == 2


@pytest.mark.django_db
def test_render_failure_is_a_domain_error_and_stores_nothing(media, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("pango exploded")

    monkeypatch.setattr("weasyprint.HTML.write_pdf", broken)
    with pytest.raises(DomainError) as info:
        issue()
    assert info.value.status == 503
    assert "文书生成失败" in info.value.message
    assert IssuedDocument.objects.count() == 0
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_rendering_fetches_data_uris_only():
    fetcher = data_only_fetcher()
    for url in ("http://10.0.0.1/secret.png", "https://example.cn/a.css", "file:///etc/passwd",
                "file:///usr/share/fonts/../../../etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,5bel5Lyk").read() == "工伤".encode()


@pytest.mark.django_db
def test_revoke_needs_a_reason_and_happens_once(staff_factory):
    staff = staff_factory("intake")
    document = issue()
    with pytest.raises(FieldErrors) as info:
        document_revoke(actor=staff, document=document, reason=" ")
    assert info.value.errors == {"reason": "请填写作废原因。"}
    document_revoke(actor=staff, document=document, reason="单位名称登记有误")
    document.refresh_from_db()
    assert document.is_revoked and document.revoke_reason == "单位名称登记有误"
    assert AuditEvent.objects.filter(event_type=DocumentEvent.REVOKED, target_id=str(document.pk)).exists()
    with pytest.raises(DomainError) as again:
        document_revoke(actor=staff, document=document, reason="再次作废")
    assert again.value.status == 409


@pytest.mark.django_db
def test_an_issuer_other_than_the_agency_is_named_on_the_document():
    default = issue()
    assert default.issuer_name == "山东省青岛市社会保险经办机构"
    decided = issue(issuer="青岛市人力资源和社会保障局")
    assert decided.issuer_name == "青岛市人力资源和社会保障局"
