"""The one API error body {"code", "message", "details"}, for every failure path."""

import logging
import re

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gongshang.core.errors import CoreErrorCode, DomainError

logger = logging.getLogger(__name__)

# Chinese messages for pydantic's error types; anything else falls back to a generic sentence.
PYDANTIC_MESSAGES = {
    "missing": "必填项，请填写",
    "string_type": "应为文本",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601，例如 2026-11-23T09:30:00+08:00",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "too_long": "条目过多",
    "too_short": "条目过少",
    "value_error": "取值不正确",
    "extra_forbidden": "接口没有这个字段，请删除或检查拼写",
}

NOT_AN_OBJECT = {"model_type", "model_attributes_type", "dict_type"}
NOT_AN_OBJECT_MESSAGE = "请求体应为 JSON 对象（{\"字段\": 值}），不能是列表、数字、文本或 null"
BOUND_WORDS = {"greater_than": "应大于 {gt}", "greater_than_equal": "最小为 {ge}", "less_than": "应小于 {lt}",
               "less_than_equal": "最大为 {le}"}
MALFORMED_MULTIPART_MESSAGE = ("请求体不是有效的 multipart/form-data：Content-Type 须带 boundary 参数，且各部分须按该"
                               "分隔符分隔。请让 HTTP 客户端自动生成 Content-Type，不要手工填写。")
UNREADABLE_MESSAGE = "请求体无法读取（连接中断或内容不完整），请重新提交。"

LOCATION_PREFIXES = {"body", "query", "path", "form", "file", "header", "cookie", "payload", "data"}



def _expected(text: str) -> str:
    """Pydantic's "'', 'a' or 'b'" as a Chinese list: "（留空）、a、b" (no quotes, no English)."""
    values = re.findall(r"'([^']*)'", text)
    return "、".join(v or "（留空）" for v in values) if values else text

def field_name(loc) -> str:
    parts = [str(p) for p in loc]
    if len(parts) == 2 and parts[0] == "body":
        return "body"  # ("body", <parameter>): the request body as a whole, e.g. a list instead of an object
    # ninja prefixes the source and the parameter name ("body", "payload"): keep what a caller sent.
    while len(parts) > 1 and parts[0] in LOCATION_PREFIXES:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _bound(kind: str, ctx: dict) -> str | None:
    template = BOUND_WORDS.get(kind)
    try:
        return template.format(**ctx) if template else None
    except (KeyError, IndexError):
        return None


def translate_validation_errors(errors) -> list[dict]:
    details = []
    for err in errors:
        kind = err.get("type", "")
        message = PYDANTIC_MESSAGES.get(kind)
        if kind == "value_error" and err.get("msg"):
            # Our own validators raise ValueError with a Chinese message.
            message = str(err["msg"]).removeprefix("Value error, ")
        if kind == "string_too_short" and (err.get("ctx") or {}).get("min_length") == 1:
            message = PYDANTIC_MESSAGES["missing"]
        elif kind in {"string_too_short", "string_too_long"} and err.get("ctx"):
            limit = err["ctx"].get("min_length") or err["ctx"].get("max_length")
            message = f"{message}（长度限制 {limit}）"
        if kind in {"enum", "literal_error"} and err.get("ctx", {}).get("expected"):
            message = f"{message}，可选：{_expected(str(err['ctx']['expected']))}"
        limit = _bound(kind, err.get("ctx") or {})
        if limit is not None:
            message = f"{message}（{limit}）"
        field = field_name(err.get("loc", ()))
        if field == "body" and kind in NOT_AN_OBJECT:
            message = NOT_AN_OBJECT_MESSAGE
        details.append({"field": field, "message": message or "取值不正确"})
    return details


def error_body(code, message, details=None) -> dict:
    return {"code": str(code), "message": str(message), "details": details if details is not None else {}}


def malformed_request_body(exc: Exception) -> tuple[dict, int]:
    """A request body Django cannot parse (multipart without or with a wrong boundary, too many
    fields, a broken upload): the one error body, 400, whatever reads the body first."""
    if isinstance(exc, RequestDataTooBig):
        return error_body("request_too_large", "提交的表单内容过大（不含上传的文件），请删减文字后重试。"), 413
    if isinstance(exc, MultiPartParserError):
        message, detail = MALFORMED_MULTIPART_MESSAGE, "multipart 格式不正确（缺少 boundary 或分隔符不符）"
    elif isinstance(exc, UnreadablePostError):
        message, detail = UNREADABLE_MESSAGE, "请求体不完整"
    else:
        message, detail = "请求无法解析，请检查请求格式后重试。", "请求格式不正确"
    return error_body(CoreErrorCode.VALIDATION, message, [{"field": "body", "message": detail}]), 400


def install_error_handlers(api) -> None:
    @api.exception_handler(DomainError)
    def on_domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_body(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def on_validation_error(request, exc: NinjaValidationError):
        details = translate_validation_errors(exc.errors)
        fields = "、".join(d["field"] for d in details)
        body = error_body(CoreErrorCode.VALIDATION, f"提交的数据有误，请检查：{fields}", details)
        return api.create_response(request, body, status=422)

    def on_malformed_body(request, exc):
        # RequestDataTooBig: the form fields (not files) exceed DATA_UPLOAD_MAX_MEMORY_SIZE.
        body, status = malformed_request_body(exc)
        return api.create_response(request, body, status=status)

    for exc_class in (RequestDataTooBig, MultiPartParserError, UnreadablePostError, SuspiciousOperation):
        api.add_exception_handler(exc_class, on_malformed_body)

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request, exc):
        body = error_body(CoreErrorCode.UNAUTHENTICATED, "请先登录：请求需携带有效的 Authorization: Bearer 令牌。")
        return api.create_response(request, body, status=401)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, error_body(CoreErrorCode.NOT_FOUND, CoreErrorCode.NOT_FOUND.label),
                                   status=404)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if exc.status_code == 400 and str(exc.message).startswith("Cannot parse request body"):
            body = error_body(CoreErrorCode.VALIDATION, "请求体不是有效的 JSON，请检查格式（UTF-8 编码的 JSON 对象）。",
                              [{"field": "body", "message": PYDANTIC_MESSAGES["json_invalid"]}])
            return api.create_response(request, body, status=400)
        code = {401: CoreErrorCode.UNAUTHENTICATED, 403: CoreErrorCode.FORBIDDEN, 404: CoreErrorCode.NOT_FOUND,
                429: CoreErrorCode.RATE_LIMITED}.get(exc.status_code, CoreErrorCode.VALIDATION)
        return api.create_response(request, error_body(code, exc.message or code.label), status=exc.status_code)

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        logger.exception("Unhandled API error on %s %s", request.method, request.path)
        return api.create_response(request, error_body(CoreErrorCode.INTERNAL, CoreErrorCode.INTERNAL.label),
                                   status=500)
