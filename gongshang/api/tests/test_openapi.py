"""The OpenAPI document is the contract schemathesis checks (.ci/schemathesis.sh): every operation
declares its error statuses with the one error schema, request bodies refuse unknown fields, and
parameters carry their real formats and bounds."""

import pytest

from gongshang.api.api import api
from gongshang.api.openapi import ERROR_REF, EXTRA_STATUSES
from gongshang.api.pagination import MAX_OFFSET

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def operations(schema):
    for path, items in schema["paths"].items():
        for method, operation in items.items():
            if method in METHODS:
                yield path, method, operation


def resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_operation_declares_its_errors_with_the_one_schema(schema):
    checked = 0
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        expected = {"400", "422"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        if method != "get" and not path.startswith("/api/v1/auth/"):
            expected.add("409")
        assert expected <= set(responses), (method, path, sorted(responses))
        for status, response in responses.items():
            if status.startswith("4"):
                assert response["content"]["application/json"]["schema"] == ERROR_REF, (method, path, status)
                assert response["description"] and response["description"] != "Not Found"
        checked += 1
    assert checked >= 69


def test_uploads_declare_size_and_type_refusals(schema):
    uploads = [(p, op) for p, m, op in operations(schema)
               if "multipart/form-data" in (op.get("requestBody") or {}).get("content", {})]
    assert len(uploads) >= 5
    for path, operation in uploads:
        assert {"413", "415"} <= set(operation["responses"]), path


def test_the_error_schema(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message", "details"] and error["additionalProperties"] is False


def test_request_bodies_refuse_unknown_fields(schema):
    bodies = 0
    for path, method, operation in operations(schema):
        content = (operation.get("requestBody") or {}).get("content", {})
        if "application/json" in content:
            body = resolve(schema, content["application/json"]["schema"])
            if body.get("type") == "array":  # a list body (bill lines): each item refuses unknown fields
                body = resolve(schema, body["items"])
            if "anyOf" in body:  # an optional body (settle: discharged_at may be given)
                body = resolve(schema, next(o for o in body["anyOf"] if o.get("type") != "null"))
            assert body.get("additionalProperties") is False, (method, path)
            bodies += 1
    assert bodies >= 20


def test_every_offset_and_limit_is_bounded(schema):
    lists = 0
    for path, _, operation in operations(schema):
        params = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if "offset" in params:
            assert params["offset"]["minimum"] == 0 and params["offset"]["maximum"] == MAX_OFFSET, path
            assert params["limit"]["minimum"] == 1 and params["limit"]["maximum"] == 200, path
            lists += 1
    assert lists >= 9  # registry changes/employees, recognition applications/queue, staff quick reports, own tokens,
    # 我的工伤 (me/cases), appraisal standard-items and applications (and the other appraisal lists)


def test_mobile_numbers_declare_their_format(schema):
    found = 0
    for name, component in schema["components"]["schemas"].items():
        for field, prop in component.get("properties", {}).items():
            if field.endswith("mobile") and component.get("additionalProperties") is False:
                assert "1[3-9][0-9]{9}" in prop["pattern"], (name, field)
                found += 1
    assert found >= 8


def test_due_date_and_queue_parameters(schema):
    due = {p["name"]: p for p in schema["paths"]["/api/v1/calendar/due-date"]["get"]["parameters"]}
    assert (due["length"]["schema"]["minimum"], due["length"]["schema"]["maximum"]) == (0, 3660)
    assert due["start"]["schema"]["format"] == "date" and due["unit"]["schema"]["enum"] == ["natural", "working"]
    queue = {p["name"]: p for p in schema["paths"]["/api/v1/recognition/queue"]["get"]["parameters"]}
    assert queue["view"]["schema"]["enum"] == ["unallocated", "mine", "overdue", "open", "expired"]


def test_served_document_is_the_completed_one(client):
    served = client.get("/api/v1/openapi.json").json()
    assert "Error" in served["components"]["schemas"]
    assert "401" in served["paths"]["/api/v1/auth/me"]["get"]["responses"]


def test_extra_statuses_name_real_operations(schema):
    ids = {operation["operationId"] for _, _, operation in operations(schema)}
    assert set(EXTRA_STATUSES) <= ids  # a renamed view would silently lose its extra statuses
    assert "409" in schema["paths"]["/api/v1/benefits/payroll-runs/{run_id}/bank-file"]["get"]["responses"]


def test_ci_fuzzes_the_api_on_sqlite_and_on_postgresql():
    """Some server errors exist on one database only (the offset overflow was PostgreSQL's)."""
    from pathlib import Path

    run = (Path(__file__).resolve().parents[3] / ".ci" / "run").read_text()
    fuzz_lines = [line for line in run.splitlines() if ".ci/schemathesis.sh" in line]
    assert len(fuzz_lines) == 2, fuzz_lines
    assert "env -u DATABASE_URL" in fuzz_lines[0] and "SCHEMATHESIS_DATABASE_URL" not in fuzz_lines[0]
    assert 'SCHEMATHESIS_DATABASE_URL="postgres://' in run


FILE_TYPES = {"application/pdf", "application/octet-stream", "text/csv",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}


def test_every_success_answer_is_described(schema):
    """What hospitals and other systems receive is in the document: each 2xx answer is a JSON object
    with its fields (or a list of them), a declared file type, or 204 without a body."""
    untyped = []
    for path, method, operation in operations(schema):
        successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        assert successes, (method, path)
        for status, response in successes.items():
            content = response.get("content") or {}
            if status == "204" and not content:
                continue
            if content and set(content) <= FILE_TYPES:
                assert all(c["schema"].get("format") == "binary" or c["schema"].get("type") == "string"
                           for c in content.values()), (method, path)
                continue
            body = resolve(schema, (content.get("application/json") or {}).get("schema", {}))
            if body.get("type") == "array":
                body = resolve(schema, body.get("items", {}))
            if not body.get("properties"):
                untyped.append(f"{method.upper()} {path} {status}")
    assert not untyped, untyped


def test_schema_names_are_unique(schema):
    """The document names each schema by its class name: two classes of one name would make one
    operation document the other's fields (schemathesis then reports answers as violations)."""
    from collections import defaultdict

    from ninja import Schema

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    modules = defaultdict(set)
    for cls in walk(Schema):
        if cls.__module__.startswith("gongshang."):
            modules[cls.__name__].add(cls.__module__)
    assert not {name: m for name, m in modules.items() if len(m) > 1}
