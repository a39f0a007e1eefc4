"""The OpenAPI document says what the API answers: every operation lists the error statuses it
can return, each with the one error body {"code", "message", "details"}.

The statuses follow from where they come from, so they are derived here in one place rather
than repeated on 70 operations:

- 400, 422  every operation: unreadable body, a refusal by a business rule (DomainError's
            default), invalid fields, and a NUL in the query string (web middleware);
- 401, 403  operations that need a bearer token (no or expired token; role or audience);
- 404       operations with a path id, and writes that load records by id (load-and-check);
- 409       writes: the state changed meanwhile (workflow conflicts, Idempotency-Key in progress);
- 413       POST/PUT/PATCH: bodies larger than DATA_UPLOAD_MAX_MEMORY_SIZE;
- 415, 503  multipart uploads (the file type is checked by content; 503 when the file store is
            unreachable and nothing was saved);
- 429       rate-limited operations;
- EXTRA_STATUSES  what the rules do not derive (e.g. a GET download refused in the wrong state: 409).

A route's own `response={...}` statuses are kept; their error bodies are the same schema.
"""

from copy import deepcopy

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "description": "统一错误格式",
    "required": ["code", "message", "details"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "description": "机器可读的错误代码，例如 validation_error、not_found"},
        "message": {"type": "string", "description": "中文说明：哪里不对、怎样改"},
        "details": {
            "description": "字段错误时为 [{\"field\", \"message\"}] 列表，其他情况为对象（可为空）",
            "anyOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}],
        },
    },
}
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}

DESCRIPTIONS = {
    400: "请求无法解析（JSON 或 multipart 格式错误），或业务规则不允许",
    401: "未登录，或令牌无效、已过期、已注销",
    403: "无权办理此业务（账户类型、角色或授权不符）",
    404: "记录不存在，或不在您的管辖/权限范围内",
    409: "与当前状态冲突（已被办理、重复提交，或同一幂等键的请求仍在处理）",
    413: "请求内容或上传文件过大",
    415: "上传文件的类型不被接受（按文件内容判断）",
    422: "提交的数据有误：details 逐项说明字段和修改方法",
    429: "操作过于频繁，请稍后再试",
    503: "文件存储暂时不可用，本次提交没有保存，请稍后重试",
}

WRITE_METHODS = {"post", "put", "patch", "delete"}
BODY_METHODS = {"post", "put", "patch"}
AUTH_PREFIX = "/api/v1/auth/"

# Statuses a rule above does not derive, by operationId.
EXTRA_STATUSES: dict[str, set[int]] = {
    # The quick report code is a credential: lookups are rate limited and need an SMS grant or the
    # reporter's own token.
    "gongshang_quickreports_api_send_access_code": {404, 429},
    "gongshang_quickreports_api_grant_access": {404, 429},
    "gongshang_quickreports_api_get_report": {403, 404, 429},
    "gongshang_quickreports_api_add_supplement": {403, 404, 429},
    # Lists filtered by a record id answer 404 when it is out of scope.
    "gongshang_benefits_api_entitlements": {404},
    # Downloads that issue a document or need a finished state: 409 when the state does not allow it
    # (a run not yet released, an import still running, an employer not yet registered).
    "gongshang_benefits_api_bank_file": {409},
    "gongshang_registry_imports_api_error_file": {409},
    "gongshang_registry_certificates_api_employer_certificate": {409},
    "gongshang_registry_certificates_api_person_certificate": {409},
    "gongshang_registry_certificates_api_change_report": {409},
}


def _is_multipart(operation: dict) -> bool:
    return "multipart/form-data" in (operation.get("requestBody") or {}).get("content", {})


def statuses_for(path: str, method: str, operation: dict) -> set[int]:
    statuses = {400, 422}
    secured = bool(operation.get("security"))
    has_path_id = any(p.get("in") == "path" for p in operation.get("parameters", [])) or "{" in path
    write = method in WRITE_METHODS
    if secured:
        statuses |= {401, 403}
    if has_path_id or (secured and write):
        statuses.add(404)
    if write and not path.startswith(AUTH_PREFIX):  # /auth/ keeps no Idempotency-Key records
        statuses.add(409)
    if method in BODY_METHODS:
        statuses.add(413)
    if _is_multipart(operation):
        statuses |= {413, 415, 503}
    statuses |= EXTRA_STATUSES.get(operation.get("operationId", ""), set())
    return statuses


# ninja's default descriptions: replaced by ours, which say when the status happens.
GENERIC_DESCRIPTIONS = {"Bad Request", "Unauthorized", "Forbidden", "Not Found", "Conflict", "Content Too Large",
                        "Unsupported Media Type", "Unprocessable Content", "Unprocessable Entity", "Too Many Requests",
                        "Service Unavailable"}


def _error_response(status: int, existing: dict | None) -> dict:
    description = (existing or {}).get("description", "")
    if not description or description in GENERIC_DESCRIPTIONS:
        description = DESCRIPTIONS.get(status, "错误")
    return {**(existing or {}), "description": description,
            "content": {"application/json": {"schema": deepcopy(ERROR_REF)}}}


def complete_error_responses(schema: dict) -> dict:
    """Add the error responses to every operation of an OpenAPI document (in place)."""
    schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA_NAME] = deepcopy(ERROR_SCHEMA)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in WRITE_METHODS | {"get", "head", "options"}:
                continue
            # ninja keys responses by int; one spelling, so a status cannot appear twice.
            responses = {str(code): value for code, value in operation.get("responses", {}).items()}
            declared = {int(code) for code in responses if code.isdigit() and 400 <= int(code) < 500}
            for status in declared | statuses_for(path, method, operation):
                responses[str(status)] = _error_response(status, responses.get(str(status)))
            operation["responses"] = dict(sorted(responses.items()))
    return schema
