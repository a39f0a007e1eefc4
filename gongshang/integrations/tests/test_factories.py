"""The shared batch factory stores the file it describes (every area's adapter tests rely on it)."""

import hashlib

import pytest

from gongshang.core.files.storage import open_stored

from .factories import ExchangeBatchFactory

pytestmark = pytest.mark.django_db


def test_batch_factory_stores_its_content():
    batch = ExchangeBatchFactory(content=b"a,b\n1,2\n")
    with open_stored(batch.file) as stream:
        assert stream.read() == b"a,b\n1,2\n"
    assert batch.checksum == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
