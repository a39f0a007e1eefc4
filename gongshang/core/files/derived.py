"""Storing derived copies (watermarks, posters) next to their original, with their own SHA-256."""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from gongshang.core.models import StoredFile


def store_derived(data: bytes, *, original: StoredFile, content_type: str, extension: str,
                  prefix: str, suffix: str = "derived") -> StoredFile:
    now = timezone.localtime()
    name = f"{prefix.strip('/')}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}-{suffix}.{extension}"
    saved = default_storage.save(name, ContentFile(data))
    try:
        return StoredFile.objects.create(
            storage_path=saved, original_name=f"{suffix}.{extension}", content_type=content_type,
            extension=extension, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
            derived_from=original, uploaded_by=original.uploaded_by)
    except Exception:
        default_storage.delete(saved)
        raise
