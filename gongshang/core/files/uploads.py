"""Upload handlers that hash each file while it is received.

Django's built-in handlers keep an upload in memory (a small request) or in a temporary file; these
do the same and feed SHA-256 with each chunk as it arrives, so that storing the file
(storage.save_upload) need not read it all again to hash it. The digest is kept on the uploaded
file as `received_sha256`. A view turns them on with `hash_while_receiving(request)` before it
reads request.POST or request.FILES; once the body has been parsed (a middleware read it first)
nothing changes and the file is hashed when stored, as before.
"""

import hashlib

from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

DIGEST_ATTRIBUTE = "received_sha256"


class _HashWhileReceiving:
    def new_file(self, *args, **kwargs):
        self._sha256 = hashlib.sha256()  # first: the memory handler ends new_file by raising when it keeps the file
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        passed_on = super().receive_data_chunk(raw_data, start)
        if passed_on is None:  # this handler kept the chunk
            self._sha256.update(raw_data)
        return passed_on

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        if upload is not None:
            setattr(upload, DIGEST_ATTRIBUTE, self._sha256.hexdigest())
        return upload


class HashingMemoryFileUploadHandler(_HashWhileReceiving, MemoryFileUploadHandler):
    pass


class HashingTemporaryFileUploadHandler(_HashWhileReceiving, TemporaryFileUploadHandler):
    pass


HASHING = {MemoryFileUploadHandler: HashingMemoryFileUploadHandler,
           TemporaryFileUploadHandler: HashingTemporaryFileUploadHandler}


def hash_while_receiving(request) -> None:
    """Use the hashing handlers for this request in place of Django's built-in ones (other
    configured handlers stay). Nothing happens once the body has been parsed."""
    if hasattr(request, "_files"):
        return
    request.upload_handlers = [HASHING[type(h)](request) if type(h) in HASHING else h
                               for h in request.upload_handlers]


def received_sha256(upload) -> str | None:
    """The SHA-256 computed while `upload` was received, if it was."""
    return getattr(upload, DIGEST_ATTRIBUTE, None)
