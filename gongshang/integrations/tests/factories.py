"""Factories of 数据交换 shared by every area (each area keeps its own in factories_<area>.py)."""

import hashlib
import uuid

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gongshang.core.models import StoredFile

from ..choices import BatchKind, BatchStatus, Direction, Partner
from ..models import ExchangeBatch


def stored_bytes(content: bytes, *, name: str = "batch.csv", content_type: str = "text/csv") -> StoredFile:
    """A StoredFile holding `content` (written to the default storage like a real upload)."""
    path = default_storage.save(f"exchange/test/{uuid.uuid4().hex}-{name}", ContentFile(content))
    return StoredFile.objects.create(storage_path=path, original_name=name, content_type=content_type,
                                     extension=name.rsplit(".", 1)[-1], size=len(content),
                                     sha256=hashlib.sha256(content).hexdigest())


class ExchangeBatchFactory(factory.django.DjangoModelFactory):
    """A received inbound batch; pass `content=b"..."` to store the file it came in."""

    class Meta:
        model = ExchangeBatch

    class Params:
        content = b"header\n"

    region = "370200"
    partner = Partner.TAX
    kind = BatchKind.CONTRIBUTIONS
    direction = Direction.INBOUND
    format_version = "1.0"
    status = BatchStatus.PROCESSING
    original_name = "batch.csv"
    file = factory.LazyAttribute(lambda o: stored_bytes(o.content, name=o.original_name))
    checksum = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
