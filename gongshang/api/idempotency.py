"""Idempotency-Key for every creating POST under /api/ (one mechanism, not per endpoint).

Same principal + key + same request → the first response again, no second record.
Same key with a different request → 422. A request still running → 409.

Not kept: responses of 5xx, 401, 403, 409 and 429 (the caller should be able to retry them),
nothing under /api/v1/auth/ (its responses are credentials), and nothing under
/api/v1/quick-reports/… (those paths carry the 快报唯一标志码 itself).
Records expire after RECORD_TTL; an expired key starts afresh.

Sealed answers: the answer to POST /api/v1/quick-reports holds the 快报唯一标志码, a credential
the platform otherwise keeps only as a keyed hash. A retry over a bad network must still get it
(the reporter may never have seen the first answer), so that answer is kept encrypted with the
PII keys (gongshang.core.pii), replayed only to the same signed-in account with the same key and
byte-identical request, never kept for anonymous callers, and deleted once RECORD_TTL has passed.
"""

import base64
import hashlib
import json
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone

from gongshang.api.errors import error_body, malformed_request_body
from gongshang.core.errors import CoreErrorCode
from gongshang.core.models import IdempotencyRecord
from gongshang.core.pii.crypto import decrypt, encrypt

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
NOT_KEPT = {401, 403, 409, 429}
EXCLUDED_PREFIXES = ("/api/v1/auth/", "/api/v1/quick-reports/")
SEALED_PATHS = frozenset({"/api/v1/quick-reports"})
ANONYMOUS = "anonymous"
RECORD_TTL = timedelta(hours=24)
# Longer than any request may run (gunicorn's timeout): a first attempt still "in progress" after
# this died with its process, and its outcome cannot be known from here.
IN_PROGRESS_LEASE = timedelta(minutes=10)
MISMATCH_MESSAGE = ("同一个幂等键（Idempotency-Key）已用于另一份请求内容：重试请原样重发首次请求，"
                    "新的请求请换一个新的幂等键。")
INTERRUPTED_MESSAGE = ("首次请求在处理过程中中断，无法确认是否已办理；为避免重复提交，本次未再次办理。"
                       "请查看短信通知确认是否已受理；如未收到，请换一个新的幂等键后重新提交。")
UNREADABLE_MESSAGE = ("首次请求的结果已无法读取（加密密钥已更换），为避免重复提交未再次办理；"
                      "请查看短信通知，或换一个新的幂等键后提交。")
OPENAPI_PARAMETER = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
    "description": ("幂等键（可选，最多 200 个字符）：网络不稳定时用同一个键原样重发，返回首次的结果，"
                    "不会重复创建、重复发送短信；同一个键换了请求内容答 422，首次请求仍在处理答 409。"
                    f"有效期 {int(RECORD_TTL.total_seconds() // 3600)} 小时。"),
}


def _error(code: CoreErrorCode | str, status: int, message: str | None = None) -> JsonResponse:
    value = getattr(code, "value", code)
    return JsonResponse(error_body(value, message or code.label), status=status,
                        json_dumps_params={"ensure_ascii": False})


def _principal(request) -> str:
    """The authenticated caller (valid, unrevoked token or session), else "anonymous".

    Anonymous keys are shared by all anonymous callers; a replay still needs the same key and
    byte-identical request, and nothing secret is stored for them (see EXCLUDED_PREFIXES and
    SEALED_PATHS).
    """
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        from gongshang.accounts.models import ApiToken

        key_hash = hashlib.sha256(auth[7:].strip().encode()).hexdigest()
        user_id = (ApiToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True, expires_at__gt=timezone.now())
                   .values_list("user_id", flat=True).first())
        if user_id:
            return f"user:{user_id}"
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return ANONYMOUS


def _request_hash(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.path.encode())
    content_type = request.content_type or ""
    if content_type.startswith("multipart/form-data"):
        # Reading request.body would pull a large upload into memory; hash the parsed parts.
        fields = sorted((k, request.POST.getlist(k)) for k in request.POST)
        digest.update(json.dumps(fields, ensure_ascii=False).encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(name.encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _seal(body: bytes) -> bytes:
    return encrypt(base64.b64encode(body).decode("ascii")).encode("ascii")


def _unseal(stored: bytes) -> bytes:
    return base64.b64decode(decrypt(stored.decode("ascii")))


def _applies(request, key: str) -> bool:
    return (request.method == "POST" and bool(key) and request.path.startswith("/api/")
            and not request.path.startswith(EXCLUDED_PREFIXES))


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER, "").strip()
        if not _applies(request, key):
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return _error(CoreErrorCode.VALIDATION, 422, f"Idempotency-Key 过长（最多 {MAX_KEY_LENGTH} 个字符）。")
        principal = _principal(request)
        sealed = request.path in SEALED_PATHS
        if sealed and principal == ANONYMOUS:
            return self.get_response(request)  # a credential is never kept for a caller we cannot name
        try:
            request_hash = _request_hash(request)
        except RequestDataTooBig:  # the same answer the API gives (gongshang.api.errors)
            return _error("request_too_large", 413, "提交的表单内容过大（不含上传的文件），请删减文字后重试。")
        except (MultiPartParserError, UnreadablePostError, SuspiciousOperation) as exc:
            # The body cannot be read (e.g. multipart without a boundary): the view could not either.
            body, status = malformed_request_body(exc)
            return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
        self._expire(principal, key, sealed)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(principal=principal, key=key, method=request.method,
                                                          path=request.path, request_hash=request_hash)
        except IntegrityError:
            return self._replay(principal, key, request_hash)
        return self._run(request, record, sealed)

    @staticmethod
    def _expire(principal: str, key: str, sealed: bool) -> None:
        cutoff = timezone.now() - RECORD_TTL
        IdempotencyRecord.objects.filter(principal=principal, key=key, created_at__lt=cutoff).delete()
        if sealed:  # sealed answers leave the database on time, replayed or not
            IdempotencyRecord.objects.filter(path__in=SEALED_PATHS, created_at__lt=cutoff).delete()

    def _run(self, request, record, sealed: bool):
        try:
            response = self.get_response(request)
        except Exception:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code >= 500 or response.status_code in NOT_KEPT or response.streaming:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response
        body = _seal(response.content) if sealed else response.content
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            completed=True, response_status=response.status_code, response_body=body,
            response_content_type=response.get("Content-Type", ""))
        return response

    def _replay(self, principal: str, key: str, request_hash: str):
        record = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
        if record is None:  # deleted meanwhile (the first attempt failed): ask to retry
            return _error(CoreErrorCode.IDEMPOTENCY_IN_PROGRESS, 409)
        if record.request_hash != request_hash:
            return _error(CoreErrorCode.IDEMPOTENCY_MISMATCH, 422, MISMATCH_MESSAGE)
        if not record.completed:
            if record.created_at < timezone.now() - IN_PROGRESS_LEASE:
                return _error(CoreErrorCode.IDEMPOTENCY_IN_PROGRESS, 409, INTERRUPTED_MESSAGE)
            return _error(CoreErrorCode.IDEMPOTENCY_IN_PROGRESS, 409)
        body = bytes(record.response_body or b"")
        if record.path in SEALED_PATHS:
            try:
                body = _unseal(body)
            except ValueError:  # every key that sealed it is gone: never a 500, never a second report
                return _error(CoreErrorCode.CONFLICT, 409, UNREADABLE_MESSAGE)
        response = HttpResponse(body, status=record.response_status,
                                content_type=record.response_content_type or "application/json")
        response["Idempotent-Replayed"] = "true"
        return response
