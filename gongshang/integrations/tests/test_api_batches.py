"""交换批次 API: status, body and database; another 统筹区's batch answers 404, a role without the
action 403; bad input a 4xx in the one error format naming the field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.accounts.choices import StaffRole
from gongshang.core.models import StoredFile

from ..adapters import FormatError
from ..choices import BatchStatus, DeadLetterStatus
from ..models import DeadLetter, ExchangeBatch
from .factories_batches import *  # noqa: F403
from .factories_batches import (
    GOOD_ID,
    MIXED,
    FakeAdapter,
    applied_refs,
    csv_bytes,
    registered,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-02 10:00 +08:00")]
BASE = "/api/v1/exchange"
DETAIL_KEYS = {"status", "total", "accepted", "rejected", "duplicate", "errors", "partner", "kind", "direction",
               "format_version", "checksum", "duplicate_of", "failure_message", "created_at", "finished_at"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def tok(token_for):
    issued = {}

    def get(user):
        if user.pk not in issued:
            issued[user.pk] = token_for(user)
        return issued[user.pk]

    return get


def _post_file(client, auth, content=MIXED, name="rows.csv", **fields):
    data = {"partner": "tax", "kind": "contributions", **fields,
            "file": SimpleUploadedFile(name, content, content_type="text/csv")}
    return client.post(f"{BASE}/batches", data, **auth)


def test_post_then_get(api_client, tok, fake_partner, exchange_admin):
    auth = tok(exchange_admin)
    r = _post_file(api_client, auth)
    assert r.status_code == 202, r.content
    batch_id = r.json()["id"]
    assert r.json() == {"id": batch_id}
    batch = ExchangeBatch.objects.get(pk=batch_id)
    assert (batch.status, batch.created_by, batch.region) == (BatchStatus.DONE, exchange_admin, "370200")
    body = api_client.get(f"{BASE}/batches/{batch_id}", **auth).json()
    assert set(body) == DETAIL_KEYS
    assert {k: body[k] for k in ("status", "total", "accepted", "rejected", "duplicate")} == {
        "status": "done", "total": 3, "accepted": 2, "rejected": 1, "duplicate": 0}
    assert body["errors"] == [{"row": 4, "message": "“id_number”列：身份证号应为 18 位，请交换方核对后重新报送。"}]
    assert (body["partner"], body["kind"], body["direction"], body["format_version"]) == (
        "tax", "contributions", "inbound", "1.1")
    assert body["checksum"] == batch.checksum and body["duplicate_of"] is None and body["failure_message"] == ""
    assert body["created_at"].startswith("2026-11-02T") and body["created_at"].endswith("+08:00")
    assert body["finished_at"].startswith("2026-11-02T") and body["finished_at"] >= body["created_at"]


def test_the_same_file_twice(api_client, tok, fake_partner, exchange_admin):
    auth = tok(exchange_admin)
    first = _post_file(api_client, auth).json()["id"]
    second = _post_file(api_client, auth)
    assert second.status_code == 202 and second.json()["id"] != first
    body = api_client.get(f"{BASE}/batches/{second.json()['id']}", **auth).json()
    assert (body["status"], body["duplicate_of"], body["duplicate"], body["accepted"]) == ("duplicate", first, 3, 0)
    assert applied_refs() == ["A1", "A2"]


def test_refusals_in_the_one_error_format(api_client, tok, fake_partner, exchange_admin):
    auth = tok(exchange_admin)
    unknown = _post_file(api_client, auth, kind="deaths")
    assert unknown.status_code == 400
    body = unknown.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "exchange_unknown_kind"
    assert {d["field"] for d in body["details"]} == {"partner", "kind"}
    version = _post_file(api_client, auth, format_version="9.9")
    assert version.status_code == 400 and version.json()["code"] == "exchange_format_version"
    assert "格式版本" in version.json()["message"]
    empty = _post_file(api_client, auth, content=b"")
    assert empty.status_code in (400, 422) and empty.json()["details"]
    pdf = _post_file(api_client, auth, content=b"%PDF-1.4\n%%EOF\n")
    assert pdf.status_code == 415 and pdf.json()["code"] == "exchange_file_format"
    missing = api_client.post(f"{BASE}/batches", {"partner": "tax", "kind": "contributions"}, **auth)
    assert missing.status_code == 422
    assert not ExchangeBatch.objects.exists() and not StoredFile.objects.exists()


def test_who_may(api_client, tok, fake_partner, exchange_admin, other_exchange_admin, staff_factory):
    batch_id = _post_file(api_client, tok(exchange_admin)).json()["id"]
    assert api_client.get(f"{BASE}/batches/{batch_id}", **tok(other_exchange_admin)).status_code == 404
    intake = tok(staff_factory(StaffRole.INTAKE))
    assert api_client.get(f"{BASE}/batches/{batch_id}", **intake).status_code == 200
    assert _post_file(api_client, intake).status_code == 403
    assert api_client.get(f"{BASE}/batches/{batch_id}/errors.csv", **intake).status_code == 403
    assert api_client.get(f"{BASE}/dead-letters", **intake).status_code == 403
    assert api_client.get(f"{BASE}/batches").status_code == 401
    assert ExchangeBatch.objects.count() == 1


def test_list_with_filters(api_client, tok, fake_partner, exchange_admin, other_exchange_admin):
    auth = tok(exchange_admin)
    first = _post_file(api_client, auth).json()["id"]
    second = _post_file(api_client, auth).json()["id"]
    _post_file(api_client, tok(other_exchange_admin))
    body = api_client.get(f"{BASE}/batches", **auth).json()
    assert body["count"] == 2 and [i["id"] for i in body["items"]] == [second, first]
    item = body["items"][0]
    assert (item["status"], item["status_label"], item["partner_label"], item["duplicate_of"]) == (
        "duplicate", "重复批次（未再处理）", "税务局（社保费征收）", first)
    done = api_client.get(f"{BASE}/batches?status=done&partner=tax&direction=inbound", **auth).json()
    assert [i["id"] for i in done["items"]] == [first]
    paged = api_client.get(f"{BASE}/batches?limit=1&offset=1", **auth).json()
    assert paged["count"] == 2 and [i["id"] for i in paged["items"]] == [first]
    wrong = api_client.get(f"{BASE}/batches?status=lost", **auth)
    assert wrong.status_code == 422 and wrong.json()["code"] == "validation_error"


def test_retry(api_client, tok, exchange_admin):
    class Broken(FakeAdapter):
        def process(self, batch, stream):
            raise FormatError("第 1 行表头不对，请按约定格式导出。")

    auth = tok(exchange_admin)
    with registered(Broken):
        batch_id = _post_file(api_client, auth).json()["id"]
    failed = api_client.get(f"{BASE}/batches/{batch_id}", **auth).json()
    assert (failed["status"], failed["failure_message"]) == ("failed", "第 1 行表头不对，请按约定格式导出。")
    with registered():
        r = api_client.post(f"{BASE}/batches/{batch_id}/retry", **auth)
        assert r.status_code == 202 and r.json() == {"id": batch_id}
        again = api_client.post(f"{BASE}/batches/{batch_id}/retry", **auth)
    assert again.status_code == 409 and again.json()["code"] == "exchange_batch_not_retryable"
    batch = ExchangeBatch.objects.get(pk=batch_id)
    assert (batch.status, batch.accepted, batch.failure_message) == (BatchStatus.DONE, 2, "")


def test_errors_csv_is_masked(api_client, tok, fake_partner, exchange_admin):
    auth = tok(exchange_admin)
    content = csv_bytes([["A1", "张伟", GOOD_ID], ["A2", "李娜", "3702111992070845"], ["A3", "王芳", "1"]])
    batch_id = _post_file(api_client, auth, content=content).json()["id"]
    r = api_client.get(f"{BASE}/batches/{batch_id}/errors.csv", **auth)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    text = b"".join(r.streaming_content).decode("utf-8")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "行号,错误原因,原始行（已脱敏）"
    assert lines[1].startswith("3,") and "name=李*" in lines[1] and "李娜" not in text
    assert lines[2] == "4,“id_number”列：身份证号应为 18 位，请交换方核对后重新报送。,ref=A3；name=王*；id_number=1"
    assert len(lines) == 3


def test_dead_letters_list_and_resolve(api_client, tok, fake_partner, exchange_admin, other_exchange_admin):
    auth = tok(exchange_admin)
    content = csv_bytes([["A1", "张伟", "37020219880315"], ["A2", "李娜", "13812345678"]])
    batch_id = _post_file(api_client, auth, content=content).json()["id"]
    body = api_client.get(f"{BASE}/dead-letters?batch={batch_id}", **auth).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert (first["batch"], first["row"], first["status"]) == (batch_id, 2, "open")
    assert first["payload"] == "ref=A1；name=张*；id_number=370202****0315"
    assert body["items"][1]["payload"] == "ref=A2；name=李*；id_number=138****5678"
    dead_id = first["id"]
    blank = api_client.post(f"{BASE}/dead-letters/{dead_id}/resolve", {"note": " "}, content_type="application/json",
                            **auth)
    assert blank.status_code == 422 and blank.json()["details"][0]["field"] == "note"
    other = api_client.post(f"{BASE}/dead-letters/{dead_id}/resolve", {"note": "已处理"},
                            content_type="application/json", **tok(other_exchange_admin))
    assert other.status_code == 404
    extra = api_client.post(f"{BASE}/dead-letters/{dead_id}/resolve", {"note": "已处理", "x": 1},
                            content_type="application/json", **auth)
    assert extra.status_code == 422
    r = api_client.post(f"{BASE}/dead-letters/{dead_id}/resolve", {"note": "已通知税务局更正"},
                        content_type="application/json", **auth)
    assert r.status_code == 200 and (r.json()["status"], r.json()["note"]) == ("resolved", "已通知税务局更正")
    assert DeadLetter.objects.get(pk=dead_id).status == DeadLetterStatus.RESOLVED
    open_rows = api_client.get(f"{BASE}/dead-letters", **auth).json()
    assert [d["row"] for d in open_rows["items"]] == [3]
    everything = api_client.get(f"{BASE}/dead-letters?status=", **auth).json()
    assert everything["count"] == 2
