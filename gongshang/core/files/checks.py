"""The content check every upload goes through (store_upload calls it before anything is stored).

The type has already been detected from the first bytes; here the whole file is read as what it
claims to be: an image is decoded completely under a pixel cap checked from its header first, and
must carry no web page; a PDF is parsed and must open without a password and hold no script,
automatic action, attachment or XFA form. Other kinds (spreadsheets, videos) have their own
readers downstream and pass unchanged. Refusals answer 422 with the field named.
"""

from django.conf import settings

from gongshang.core.errors import CoreErrorCode, DomainError

from . import evidence
from .pdf import pdf_problem

IMAGE_CHECKED_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
PDF_TYPE = "application/pdf"
LABELS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}

CODES = {
    "too_many_pixels": CoreErrorCode.FILE_TOO_MANY_PIXELS,
    "too_many_scans": CoreErrorCode.FILE_TOO_COMPLEX,
    "undecodable": CoreErrorCode.FILE_DAMAGED,
    "damaged": CoreErrorCode.FILE_DAMAGED,
    "encrypted": CoreErrorCode.FILE_ENCRYPTED,
    "active_content": CoreErrorCode.FILE_ACTIVE_CONTENT,
}


def upload_max_pixels() -> int:
    """The pixel cap for uploaded images (setting UPLOAD_MAX_PIXELS; 64 MP by default)."""
    return int(getattr(settings, "UPLOAD_MAX_PIXELS", evidence.DEFAULT_MAX_PIXELS))


def _message(reason: str, mime: str, label: str, max_pixels: int) -> str:
    if mime == PDF_TYPE:
        return {
            "damaged": f"{label}不是完整的 PDF（文件不完整或已损坏），请重新导出或扫描为 PDF 后上传。",
            "encrypted": f"{label}设有打开密码，无法查看，请去除密码后重新上传。",
            "active_content": f"{label}含有脚本、自动动作或附件，请用“打印为 PDF”另存为普通 PDF 后上传。",
        }[reason]
    kind = LABELS.get(mime, "")
    return {
        "too_many_pixels": f"{label}的像素过多（上限 {max_pixels // 1_000_000} 百万像素），"
                           "请缩小图片或以标准分辨率重新拍摄、扫描后上传。",
        "too_many_scans": f"{label}是分段扫描过多（超过 {evidence.MAX_JPEG_SCANS} 段）的 JPEG 图片，无法安全读取，"
                          "请用相机或图片软件重新保存为普通 JPEG 后上传。",
        "undecodable": f"{label}不是完整的 {kind} 图片（文件不完整或已损坏），请重新拍摄或扫描后上传。",
        "active_content": f"{label}中夹带了网页代码或脚本，请用相机或扫描仪重新生成图片后上传。",
    }[reason]


def content_problem(fileobj, mime: str, *, max_pixels: int | None = None) -> str | None:
    """None when the file is whole and inert as `mime`; else the reason (see CODES)."""
    if mime in IMAGE_CHECKED_TYPES:
        max_pixels = max_pixels or upload_max_pixels()
        pixels = evidence.checked_pixels(fileobj)  # a quick-report photo is checked before it is stored
        if pixels is not None:
            return "too_many_pixels" if pixels > max_pixels else None
        return evidence.image_problem(fileobj, max_pixels=max_pixels)
    if mime == PDF_TYPE:
        return pdf_problem(fileobj)
    return None


def check_content(fileobj, mime: str, *, field: str = "file", label: str = "上传的文件",
                  max_pixels: int | None = None) -> None:
    """Raise DomainError (422, details [{"field", "message"}]) when `content_problem` finds one."""
    max_pixels = max_pixels or upload_max_pixels()
    reason = content_problem(fileobj, mime, max_pixels=max_pixels)
    if reason is None:
        return
    message = _message(reason, mime, label, max_pixels)
    raise DomainError(CODES[reason], message, status=422, details=[{"field": field, "message": message}])
