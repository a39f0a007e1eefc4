"""Storing uploads: streamed to the default storage, checked by content, kept with their SHA-256.

Memory stays flat whatever the size: the file is read in chunks to hash and measure it, and the
storage reads chunks again itself (a temporary upload on the local filesystem is just moved).
The type is detected from the first bytes (magic numbers), never from the name or the
Content-Type the client sent; then the whole file is checked as that type (checks.check_content).
The stored name is chosen here (<uuid>.<extension of the detected type>); the client's name is kept
only as display metadata, cleaned and given the detected extension.
"""

import hashlib
import logging
import re
import unicodedata
import uuid
from pathlib import PurePosixPath

import filetype
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongshang.core.errors import CoreErrorCode, DomainError
from gongshang.core.models import StoredFile

from .checks import check_content
from .uploads import received_sha256

logger = logging.getLogger(__name__)

# What filetype needs to recognise every type it knows.
SNIFF_BYTES = 261

IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
IMAGE_OR_PDF_TYPES = IMAGE_TYPES | {"application/pdf"}

TYPE_LABELS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/pdf": "PDF",
    "video/mp4": "MP4",
    "video/quicktime": "MOV",
    "image/heic": "HEIC",
    "image/webp": "WebP",
}


def _label(mime: str) -> str:
    return TYPE_LABELS.get(mime, mime)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _too_large(size: int, max_bytes: int, *, at_least: bool = False) -> DomainError:
    shown = f"超过 {_megabytes(size)} MB" if at_least else f"{_megabytes(size)} MB"
    return DomainError(
        CoreErrorCode.FILE_TOO_LARGE,
        f"文件过大：{shown}，上限 {_megabytes(max_bytes)} MB。请压缩或拆分后重新上传。",
        details={"max_bytes": max_bytes}, status=413,
    )


def _not_allowed(detected: str | None, allowed_types) -> DomainError:
    accepted = "/".join(sorted(_label(mime) for mime in allowed_types))
    found = f"该文件的实际类型为 {_label(detected)}" if detected else "无法识别该文件的类型"
    return DomainError(
        CoreErrorCode.FILE_TYPE_NOT_ALLOWED,
        f"{found}，此处只接受 {accepted} 文件（按文件内容判断，修改扩展名无效）。",
        details={"detected": detected or "", "allowed": sorted(allowed_types)}, status=415,
    )


def detect_type(head: bytes):
    """(mime, extension) from the first bytes, or (None, None) if unknown."""
    kind = filetype.guess(head[:SNIFF_BYTES]) if head else None
    if kind is None:
        return None, None
    return kind.mime, kind.extension


def save_upload(uploaded_file, *, allowed_types: set[str], max_bytes: int, prefix: str,
                actor=None, field: str = "file", label: str = "上传的文件",
                max_pixels: int | None = None, content_checked_later: bool = False) -> StoredFile:
    """Check, hash and write an upload to the storage; returns its StoredFile row NOT yet saved
    (callers that store several files insert their rows at once; on failure they delete the blob).

    Raises DomainError FILE_TOO_LARGE (413) as soon as more than `max_bytes` have been read,
    FILE_TYPE_NOT_ALLOWED (415) if the content is none of `allowed_types` (MIME types), and 422
    (file_damaged, file_too_many_pixels, file_encrypted, file_active_content) when the whole file
    is not a sound, inert file of that type, and FILE_STORAGE_UNAVAILABLE (503) when the file store
    refuses the write. Nothing is stored in any of these cases. `prefix` is
    the storage folder, e.g. "evidence" or "materials"; `field` and `label` name the form field in
    the refusal (details and message). `content_checked_later`: the caller has made the quick
    structural checks and decodes the whole file off the request path before anything is derived
    from it or shown inline (quick-report photos); the content check is then not made here.
    """
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise _too_large(declared, max_bytes)

    sha256 = received_sha256(uploaded_file)
    if sha256 is not None and declared is not None:  # hashed while it was received: read the head only
        size = declared
        uploaded_file.seek(0)
        mime, extension = _checked_type(uploaded_file.read(SNIFF_BYTES), allowed_types)
    else:
        sha256, size, mime, extension = _hash_and_type(uploaded_file, allowed_types, max_bytes)
    if not content_checked_later:
        check_content(uploaded_file, mime, field=field, label=label, max_pixels=max_pixels)

    now = timezone.localtime()
    name = f"{_clean_prefix(prefix)}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{extension}"
    uploaded_file.seek(0)
    try:
        saved_name = default_storage.save(name, uploaded_file)
    except Exception as exc:  # the file store (disk, S3) is unreachable or full: nothing was kept
        logger.exception("storage refused %s", name)
        raise DomainError(CoreErrorCode.FILE_STORAGE_UNAVAILABLE, status=503, details={"field": field}) from exc
    return StoredFile(
        storage_path=saved_name,
        original_name=display_name(getattr(uploaded_file, "name", ""), extension),
        content_type=mime,
        extension=extension,
        size=size,
        sha256=sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )


def _hash_and_type(uploaded_file, allowed_types, max_bytes: int) -> tuple[str, int, str, str]:
    """(SHA-256, size, mime, extension), reading the file once in chunks."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    mime = extension = None
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(size, max_bytes, at_least=True)
        if mime is None and len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
            if len(head) >= SNIFF_BYTES:
                mime, extension = _checked_type(head, allowed_types)
        digest.update(chunk)
    if mime is None:  # a file shorter than the sniff window
        mime, extension = _checked_type(head, allowed_types)
    return digest.hexdigest(), size, mime, extension


def store_upload(uploaded_file, **kwargs) -> StoredFile:
    """Check, hash and store an upload (see `save_upload`); returns the saved StoredFile row."""
    stored = save_upload(uploaded_file, **kwargs)
    try:
        with transaction.atomic():
            stored.save(force_insert=True)
            return stored
    except Exception:
        default_storage.delete(stored.storage_path)  # no orphan blob when the row cannot be written
        raise


def _checked_type(head: bytes, allowed_types) -> tuple[str, str]:
    mime, extension = detect_type(head)
    if mime is None or mime not in allowed_types:
        raise _not_allowed(mime, allowed_types)
    return mime, extension


def _clean_prefix(prefix: str) -> str:
    parts = PurePosixPath(prefix.strip("/")).parts
    if not parts or ".." in parts:
        raise ValueError(f"invalid storage prefix: {prefix!r}")
    return "/".join(parts)


# Characters that Windows or a Content-Disposition header cannot carry; and by Unicode category:
# controls (Cc), format characters (Cf: every bidirectional mark and override such as
# "evil\u202egpj.exe", U+061C, zero-width characters), line and paragraph separators (Zl, Zp),
# lone surrogates (Cs, which cannot be encoded in a header) and unassigned or private code points.
UNSAFE_NAME_CHARACTERS = re.compile(r'[<>:"/\\|?*;]')
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _safe_characters(text: str) -> str:
    text = UNSAFE_NAME_CHARACTERS.sub("", text)
    return "".join(ch for ch in text if unicodedata.category(ch) not in UNSAFE_CATEGORIES)


def display_name(client_name, extension: str) -> str:
    """The client's file name as display metadata only: path, control and bidi characters
    removed, and the extension replaced by the one of the detected type ("evil.html" holding a
    JPEG is shown and downloaded as "evil.jpg"). "" when nothing usable is left."""
    base = PurePosixPath(unicodedata.normalize("NFC", str(client_name or "")).replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = _safe_characters(stem).strip(" .")[:200]
    if not stem:
        return ""
    return f"{stem}.{extension}" if extension else stem


def open_stored(stored_file: StoredFile, mode: str = "rb"):
    """Open the stored original for reading (a Django File; use as a context manager)."""
    return default_storage.open(stored_file.storage_path, mode)
