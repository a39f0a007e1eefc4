"""/api/v1/registry/roster-imports: template, upload (202), result, error copy, permissions."""

import io
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from gongshang.registry.choices import ImportStatus
from gongshang.registry.imports import leases, services
from gongshang.registry.models import EnrolmentChange, RosterImport
from gongshang.registry.tests.imports_helpers import (
    add_row,
    header_row,
    inline_cell,
    raw_xlsx,
    sheet_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/registry/roster-imports"


def post(api_client, headers, rows=None, *, data=None, kind="add", mode="all_or_nothing"):
    data = data if data is not None else sheet_bytes(rows)
    return api_client.post(BASE, {"file": upload(data), "kind": kind, "mode": mode}, **headers)


@pytest.mark.parametrize("kind", ["add", "reduce"])
def test_template_download(api_client, employer_user_a, token_for, kind):
    response = api_client.get(f"{BASE}/template?kind={kind}", **token_for(employer_user_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[1] == "填写说明"


def test_template_kind_is_validated(api_client, employer_user_a, token_for):
    response = api_client.get(f"{BASE}/template?kind=other", **token_for(employer_user_a))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_upload_and_result(api_client, employer_user_a, token_for):
    headers = token_for(employer_user_a)
    response = post(api_client, headers, [add_row(1), add_row(2, 身份证号="12345")], mode="valid_rows")
    assert response.status_code == 202
    import_id = response.json()["id"]
    body = api_client.get(f"{BASE}/{import_id}", **headers).json()
    assert {k: body[k] for k in ("status", "total", "accepted", "rejected")} == {
        "status": "succeeded", "total": 2, "accepted": 1, "rejected": 1}
    assert body["errors"] == [{"row": 3, "column": "身份证号",
                               "message": "第 3 行“身份证号”：身份证号应为 18 位，您输入了 5 位，请核对"}]
    assert EnrolmentChange.objects.filter(roster_import_id=import_id).count() == 1
    error_file = api_client.get(f"{BASE}/{import_id}/error-file", **headers)
    assert error_file.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(error_file.streaming_content))).active.values)
    assert rows[-1][-1].startswith("身份证号：")


def test_all_or_nothing_via_api_writes_nothing(api_client, employer_user_a, token_for):
    headers = token_for(employer_user_a)
    response = post(api_client, headers, [add_row(1), add_row(2, 姓名="")])
    body = api_client.get(f"{BASE}/{response.json()['id']}", **headers).json()
    assert (body["status"], body["accepted"], body["rejected"]) == ("rejected", 0, 1)
    assert EnrolmentChange.objects.count() == 0


@pytest.mark.parametrize(("data", "status"), [(b"", 400), (b"hello world" * 40, 400), (b"PK\x03\x04" * 80, 400)])
def test_bad_files_answer_the_error_body(api_client, employer_user_a, token_for, data, status):
    response = post(api_client, token_for(employer_user_a), data=data)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == "import_file_invalid"
    assert body["details"][0]["field"] == "file"
    assert RosterImport.objects.count() == 0


def test_missing_fields_answer_422(api_client, employer_user_a, token_for):
    response = api_client.post(BASE, {"kind": "sideways"}, **token_for(employer_user_a))
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["details"]}
    assert {"file", "kind"} <= fields


def test_another_employers_import_answers_404(api_client, employer_user_a, employer_user_b, token_for):
    import_id = post(api_client, token_for(employer_user_a), [add_row(1)]).json()["id"]
    headers_b = token_for(employer_user_b)
    other = api_client.get(f"{BASE}/{import_id}", **headers_b)
    missing = api_client.get(f"{BASE}/999999", **headers_b)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert api_client.get(f"{BASE}/{import_id}/error-file", **headers_b).status_code == 404


def test_staff_see_their_jurisdiction_but_cannot_upload(api_client, employer_user_a, staff_factory, token_for):
    import_id = post(api_client, token_for(employer_user_a), [add_row(1)]).json()["id"]
    staff = token_for(staff_factory("intake"))
    assert api_client.get(f"{BASE}/{import_id}", **staff).status_code == 200
    elsewhere = token_for(staff_factory("intake", jurisdiction="220100"))
    assert api_client.get(f"{BASE}/{import_id}", **elsewhere).status_code == 404
    assert post(api_client, staff, [add_row(2)]).status_code == 403
    assert api_client.get(f"{BASE}/template?kind=add", **staff).status_code == 403


def test_anonymous_is_401(api_client):
    assert api_client.get(f"{BASE}/template?kind=add").status_code == 401
    assert api_client.post(BASE, {"kind": "add"}).status_code == 401


def test_error_file_of_clean_import_is_404_and_queued_is_409(api_client, employer_user_a, token_for, settings):
    headers = token_for(employer_user_a)
    clean_id = post(api_client, headers, [add_row(1)]).json()["id"]
    assert api_client.get(f"{BASE}/{clean_id}/error-file", **headers).status_code == 404
    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 0
    queued_id = post(api_client, headers, [add_row(2)]).json()["id"]
    assert RosterImport.objects.get(pk=queued_id).status == ImportStatus.QUEUED
    body = api_client.get(f"{BASE}/{queued_id}", **headers).json()
    assert (body["status"], body["errors"]) == ("queued", [])
    response = api_client.get(f"{BASE}/{queued_id}/error-file", **headers)
    assert response.status_code == 409 and response.json()["code"] == "import_not_finished"


@pytest.mark.parametrize(("data_builder", "code", "fragment"), [
    (lambda: raw_xlsx('<row r="1048576">' + inline_cell("XFD1048576", "x") + "</row>"), "sheet_too_large",
     "最多 100000 行人员数据"),
    (lambda: raw_xlsx(header_row() + '<row r="2">' + inline_cell("A2", "长" * 40_000) + "</row>"), "cell_too_long",
     "32767"),
])
def test_hostile_sheets_answer_422_and_the_server_carries_on(api_client, employer_user_a, token_for, data_builder,
                                                             code, fragment):
    headers = token_for(employer_user_a)
    response = post(api_client, headers, data=data_builder())
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code and fragment in body["message"]
    assert body["details"] == [{"field": "file", "message": body["message"]}]
    assert RosterImport.objects.count() == 0
    assert post(api_client, headers, [add_row(1)]).status_code == 202


def test_an_import_of_a_dead_worker_answers_failed_and_can_be_retried(api_client, employer_user_a, employer_user_b,
                                                                      staff_factory, token_for, settings):
    headers = token_for(employer_user_a)
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as clock:
        settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 0
        with mock.patch.object(services, "enqueue"):
            import_id = post(api_client, headers, [add_row(1)]).json()["id"]
        leases.claim_import(import_id)  # ... and the worker dies
        settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 256 * 1024
        assert api_client.get(f"{BASE}/{import_id}", **headers).json()["status"] == "running"
        assert api_client.post(f"{BASE}/{import_id}/retry", **headers).status_code == 409
        clock.shift(301)
        body = api_client.get(f"{BASE}/{import_id}", **headers).json()
        assert (body["status"], body["accepted"]) == ("failed", 0) and "处理过程中断" in body["failure_message"]
        assert api_client.post(f"{BASE}/{import_id}/retry", **token_for(employer_user_b)).status_code == 404
        assert api_client.post(f"{BASE}/{import_id}/retry", **token_for(staff_factory("intake"))).status_code == 403
        response = api_client.post(f"{BASE}/{import_id}/retry", **headers)
        assert (response.status_code, response.json()) == (202, {"id": import_id})
        body = api_client.get(f"{BASE}/{import_id}", **headers).json()
        assert (body["status"], body["accepted"], body["failure_message"]) == ("succeeded", 1, "")
        again = api_client.post(f"{BASE}/{import_id}/retry", **headers)
        assert (again.status_code, again.json()["code"]) == (409, "import_not_retryable")
