"""One error shape for the whole platform: {"code", "message", "details"}.

Each app defines its codes as a TextChoices enum (the value is the machine code, the label the
default Chinese message) and raises DomainError; the API handler and the pages turn it into the
same body. Messages say what is wrong and what to do.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CoreErrorCode(models.TextChoices):
    VALIDATION = "validation_error", _("提交的数据有误，请按提示修改后重试。")
    NOT_FOUND = "not_found", _("没有找到该记录，或您无权查看。")
    FORBIDDEN = "forbidden", _("您没有办理此业务的权限。")
    UNAUTHENTICATED = "unauthenticated", _("请先登录。")
    CONFLICT = "conflict", _("该记录已被他人修改，请刷新后重试。")
    RATE_LIMITED = "rate_limited", _("操作过于频繁，请稍后再试。")
    IDEMPOTENCY_MISMATCH = "idempotency_key_reused", _("同一个幂等键（Idempotency-Key）不能用于不同的请求内容。")
    IDEMPOTENCY_IN_PROGRESS = "idempotency_in_progress", _("相同请求正在处理，请稍后再试。")
    FILE_TOO_LARGE = "file_too_large", _("文件过大。")
    FILE_TYPE_NOT_ALLOWED = "file_type_not_allowed", _("文件类型不被接受。")
    FILE_DAMAGED = "file_damaged", _("文件不完整或已损坏，请重新生成后上传。")
    FILE_TOO_MANY_PIXELS = "file_too_many_pixels", _("图片像素过多，请缩小后上传。")
    FILE_ENCRYPTED = "file_encrypted", _("文件设有密码，请去除密码后上传。")
    FILE_ACTIVE_CONTENT = "file_active_content", _("文件含有脚本或自动动作，请另存为普通文件后上传。")
    FILE_TOO_COMPLEX = "file_too_complex", _("图片的分段扫描过多，请重新保存为普通 JPEG 后上传。")
    FILE_STORAGE_UNAVAILABLE = "file_storage_unavailable", _("文件暂时无法保存，本次提交没有完成；请稍后重试，已填写的内容没有丢失。")
    INTERNAL = "internal_error", _("系统繁忙，请稍后再试；已填写的内容没有丢失。")


class DomainError(Exception):
    """A refusal a person can act on. `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, code, message=None, *, details=None, status: int | None = None):
        self.code = str(code.value if hasattr(code, "value") else code)
        self.message = str(message if message is not None else getattr(code, "label", code))
        self.details = details if details is not None else {}
        if status is not None:
            self.status = status
        super().__init__(self.message)

    def as_body(self) -> dict:
        return {"code": self.code, "message": self.message, "details": self.details}


class FieldErrors(DomainError):
    """Validation errors keyed by field: details = [{"field", "message"}], HTTP 422."""

    status = 422

    def __init__(self, errors: dict[str, str], message=None):
        details = [{"field": field, "message": str(msg)} for field, msg in errors.items()]
        super().__init__(CoreErrorCode.VALIDATION, message, details=details)
        self.errors = {field: str(msg) for field, msg in errors.items()}


class NotFound(DomainError):
    status = 404

    def __init__(self, message=None):
        super().__init__(CoreErrorCode.NOT_FOUND, message)


class Forbidden(DomainError):
    status = 403

    def __init__(self, message=None):
        super().__init__(CoreErrorCode.FORBIDDEN, message)


class RateLimited(DomainError):
    status = 429

    def __init__(self, message=None, *, retry_after: int | None = None):
        super().__init__(CoreErrorCode.RATE_LIMITED, message,
                         details={"retry_after": retry_after} if retry_after else {})
