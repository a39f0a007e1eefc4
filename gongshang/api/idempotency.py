"""Idempotency-Key for every creating POST under /api/ (one mechanism, not per endpoint).

Same principal + key + same request → the first response again, no second record.
Same key with a different request → 422. A request still running → 409.

Not kept: responses of 5xx, 401, 403, 409 and 429 (the caller should be able to retry them),
and nothing under /api/v1/auth/ (its responses are credentials, which are never stored).
Records expire after RECORD_TTL; an expired key starts afresh.
"""

import hashlib
import json
from datetime import timedelta

from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone

from gongshang.api.errors import error_body, malformed_request_body
from gongshang.core.errors import CoreErrorCode
from gongshang.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
NOT_KEPT = {401, 403, 409, 429}
EXCLUDED_PREFIXES = ("/api/v1/auth/", "/api/v1/quick-reports")
RECORD_TTL = timedelta(hours=24)


def _error(code: CoreErrorCode, status: int, message: str | None = None) -> JsonResponse:
    return JsonResponse(error_body(code.value, message or code.label), status=status,
                        json_dumps_params={"ensure_ascii": False})


def _principal(request) -> str:
    """The authenticated caller (valid, unrevoked token or session), else "anonymous".

    Anonymous keys are shared by all anonymous callers; a replay still needs the same key and
    byte-identical request, and nothing secret is stored for them (see EXCLUDED_PREFIXES).
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
    return "anonymous"


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


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER, "").strip()
        if (request.method != "POST" or not key or not request.path.startswith("/api/")
                or request.path.startswith(EXCLUDED_PREFIXES)):
            return self.get_response(request)
        if len(key) > 200:
            return _error(CoreErrorCode.VALIDATION, 422, "Idempotency-Key 过长（最多 200 个字符）。")
        principal = _principal(request)
        try:
            request_hash = _request_hash(request)
        except (MultiPartParserError, UnreadablePostError, SuspiciousOperation) as exc:
            # The body cannot be read (e.g. multipart without a boundary): the view could not either.
            body, status = malformed_request_body(exc)
            return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
        IdempotencyRecord.objects.filter(principal=principal, key=key,
                                         created_at__lt=timezone.now() - RECORD_TTL).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(principal=principal, key=key, method=request.method,
                                                          path=request.path, request_hash=request_hash)
        except IntegrityError:
            return self._replay(principal, key, request_hash)
        try:
            response = self.get_response(request)
        except Exception:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code >= 500 or response.status_code in NOT_KEPT or response.streaming:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            completed=True, response_status=response.status_code, response_body=response.content,
            response_content_type=response.get("Content-Type", ""))
        return response

    def _replay(self, principal: str, key: str, request_hash: str):
        record = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
        if record is None:  # deleted meanwhile (the first attempt failed): ask to retry
            return _error(CoreErrorCode.IDEMPOTENCY_IN_PROGRESS, 409)
        if record.request_hash != request_hash:
            return _error(CoreErrorCode.IDEMPOTENCY_MISMATCH, 422)
        if not record.completed:
            return _error(CoreErrorCode.IDEMPOTENCY_IN_PROGRESS, 409)
        response = HttpResponse(bytes(record.response_body or b""), status=record.response_status,
                                content_type=record.response_content_type or "application/json")
        response["Idempotent-Replayed"] = "true"
        return response
