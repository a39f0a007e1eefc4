"""The public verification pages /v/ and /v/<code>/: genuine, revoked, unknown, file check, rate limit."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.core.documents import codes
from gongshang.core.documents.services import document_issue, document_revoke
from gongshang.core.files.storage import open_stored

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def document():
    return document_issue(actor=None, kind="test.notice", title="工伤保险单位参保证明",
                          template_name="documents/plain_document.html", context={"paragraphs": ["测试"]},
                          holder_summary="青岛海川机械制造有限公司", region="370200",
                          facts=[("工伤保险参保缴费人数", "12 人")])


def original_bytes(document) -> bytes:
    with open_stored(document.file) as handle:
        return handle.read()


def test_home_page_offers_the_code_form(client):
    response = client.get("/v/")
    assert response.status_code == 200
    assert 'id="verify-code"' in response.content.decode()


def test_typed_code_redirects_to_its_page(client, document):
    typed = codes.display(document.code).lower()
    response = client.get("/v/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/v/{document.code}/"


def test_mistyped_code_is_explained_on_the_form(client, document):
    typo = document.code[:-1] + ("0" if document.code[-1] != "0" else "1")
    body = client.get("/v/", {"code": typo}).content.decode()
    assert "校验位不符" in body
    body = client.get("/v/", {"code": "ABC"}).content.decode()
    assert "您输入了 3 位" in body


def test_genuine_document_page_shows_masked_facts_and_hash(client, document):
    response = client.get(f"/v/{codes.display(document.code)}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="genuine"' in body and "真实有效" in body
    assert "工伤保险单位参保证明" in body
    assert document.sha256 in body
    assert "山东省青岛市社会保险经办机构" in body
    assert "12 人" in body


def test_original_file_matches(client, document):
    upload = SimpleUploadedFile("证明.pdf", original_bytes(document), content_type="application/pdf")
    body = client.post(f"/v/{document.code}/", {"file": upload}).content.decode()
    assert 'data-match="true"' in body and "文件与原件一致" in body


def test_altered_file_is_rejected(client, document):
    data = bytearray(original_bytes(document))
    index = data.find(b"/Producer")
    data[index + 1] = ord("p")  # one byte changed
    upload = SimpleUploadedFile("证明.pdf", bytes(data), content_type="application/pdf")
    body = client.post(f"/v/{document.code}/", {"file": upload}).content.decode()
    assert 'data-match="false"' in body and "文件已被修改" in body


def test_unknown_codes_all_answer_alike(client, document):
    payload = "ABCDEFGHJKMNPQR"
    unknown = payload + codes.check_character(payload)
    answers = [client.get(f"/v/{code}/") for code in (unknown, "NOT-A-CODE", document.code[:-1] + "*")]
    assert {a.status_code for a in answers} == {404}
    # The page's CSRF token is masked afresh on every response; everything else must be equal.
    bodies = {re.sub(r'"X-CSRFToken": "[^"]*"', "", a.content.decode()) for a in answers}
    assert len(bodies) == 1
    assert "未找到" in bodies.pop()


def test_upload_to_an_unknown_code_reveals_nothing(client, document):
    upload = SimpleUploadedFile("证明.pdf", original_bytes(document), content_type="application/pdf")
    response = client.post("/v/AAAAAAAAAAAAAAAA/", {"file": upload})
    assert response.status_code == 404
    assert "文件与原件一致" not in response.content.decode()


def test_revoked_document_says_so_with_the_reason(client, document, staff_factory):
    document_revoke(actor=staff_factory("intake"), document=document, reason="参保人数有误，已重新出具")
    body = client.get(f"/v/{document.code}/").content.decode()
    assert 'data-status="revoked"' in body and "已作废" in body and "参保人数有误" in body


def test_rate_limit_per_ip_then_429(client, document, settings):
    settings.DOCUMENT_VERIFY_LIMIT = 3
    for _ in range(3):
        assert client.get(f"/v/{document.code}/").status_code == 200
    blocked = client.get(f"/v/{document.code}/")
    assert blocked.status_code == 429
    assert "核验次数过多" in blocked.content.decode()
    # Another address is not affected.
    other = client.get(f"/v/{document.code}/", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_rate_limit_counts_unknown_codes_too(client, settings):
    settings.DOCUMENT_VERIFY_LIMIT = 2
    assert client.get("/v/AAAAAAAAAAAAAAAA/").status_code == 404
    assert client.get("/v/BBBBBBBBBBBBBBBB/").status_code == 404
    assert client.get("/v/CCCCCCCCCCCCCCCC/").status_code == 429
