"""Upload handlers that hash while receiving (core.files.uploads): the digest is SHA-256 of exactly
the bytes received, whether the file is kept in memory or in a temporary file."""

import hashlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler
from django.test import RequestFactory

from gongshang.core.files.storage import save_upload
from gongshang.core.files.uploads import (
    HashingMemoryFileUploadHandler,
    HashingTemporaryFileUploadHandler,
    hash_while_receiving,
    received_sha256,
)

BLOB = os.urandom(300 * 1024 + 7)  # five chunks and a bit: the digest must follow every one


def _request(*files):
    return RequestFactory().post("/upload", {"data": "{}", "photos": [SimpleUploadedFile(name, data)
                                                                       for name, data in files]})


@pytest.mark.parametrize(("memory_limit", "kept_as"), [(10 * 1024 * 1024, HashingMemoryFileUploadHandler),
                                                       (1, HashingTemporaryFileUploadHandler)])
def test_the_digest_is_sha256_of_the_bytes_received(settings, memory_limit, kept_as):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_limit
    request = _request(("a.bin", BLOB), ("b.bin", b"tiny"), ("c.bin", b""))
    hash_while_receiving(request)
    assert [type(h) for h in request.upload_handlers] == [HashingMemoryFileUploadHandler,
                                                          HashingTemporaryFileUploadHandler]
    uploads = request.FILES.getlist("photos")
    assert [received_sha256(u) for u in uploads] == [hashlib.sha256(d).hexdigest() for d in (BLOB, b"tiny", b"")]
    assert [u.read() for u in uploads] == [BLOB, b"tiny", b""]
    on_disk = hasattr(uploads[0], "temporary_file_path")
    assert on_disk == (kept_as is HashingTemporaryFileUploadHandler)
    for upload in uploads:
        upload.close()


def test_other_configured_handlers_stay(settings):
    class Scanner(FileUploadHandler):  # e.g. a virus scanner a deployment adds
        def receive_data_chunk(self, raw_data, start):
            return raw_data

        def file_complete(self, file_size):
            return None

    request = _request(("a.bin", BLOB))
    request.upload_handlers = [Scanner(request), TemporaryFileUploadHandler(request)]
    hash_while_receiving(request)
    assert [type(h) for h in request.upload_handlers] == [Scanner, HashingTemporaryFileUploadHandler]
    assert received_sha256(request.FILES["photos"]) == hashlib.sha256(BLOB).hexdigest()


def test_a_body_already_parsed_is_left_alone_and_hashed_when_stored(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    request = _request(("a.jpg", b"\xff\xd8\xff\xe0" + BLOB))
    upload = request.FILES["photos"]  # a middleware read the body first (e.g. Idempotency-Key)
    hash_while_receiving(request)  # too late: nothing changes, nothing breaks
    assert received_sha256(upload) is None
    stored = save_upload(upload, allowed_types={"image/jpeg"}, max_bytes=10 * 1024 * 1024, prefix="t",
                         content_checked_later=True)
    assert stored.sha256 == hashlib.sha256(b"\xff\xd8\xff\xe0" + BLOB).hexdigest()


def test_stored_with_the_digest_received(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1
    data = b"\xff\xd8\xff\xe0" + BLOB
    request = _request(("a.jpg", data))
    hash_while_receiving(request)
    upload = request.FILES["photos"]
    stored = save_upload(upload, allowed_types={"image/jpeg"}, max_bytes=10 * 1024 * 1024, prefix="t",
                         content_checked_later=True)
    assert (stored.sha256, stored.size, stored.content_type) == (hashlib.sha256(data).hexdigest(), len(data),
                                                                 "image/jpeg")
    assert (tmp_path / stored.storage_path).read_bytes() == data
    upload.close()  # as the request does at its end (the temporary file was moved into the store)
