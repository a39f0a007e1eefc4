"""Serving stored files: one response for every view that hands out a StoredFile.

An upload is someone else's bytes: it is served as an attachment (the browser saves it and
renders nothing in our origin), with the type detected at upload, `nosniff` (no second guess
from the content) and `Content-Security-Policy: sandbox` (should it be opened anyway, no script,
form or plugin runs, and it has no access to our origin). Only copies we re-encoded ourselves
(watermarked photos, video posters) may be shown inline. Documents we generate (PDF notices)
are not uploads: their views may show them inline without the sandbox, which would stop the
browser's PDF viewer.
"""

import re
from urllib.parse import quote

from django.http import FileResponse

from .storage import display_name, open_stored

UPLOAD_CSP = "sandbox"
ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded name>` (RFC 6266):
    every browser gets a usable name and Chinese names survive."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    ascii_stem = ASCII_SAFE.sub("", stem).strip("._-") or "file"
    fallback = f"{ascii_stem}.{ASCII_SAFE.sub('', extension)}" if extension else ascii_stem
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_name(stored, title: str = "") -> str:
    """The name a stored file is saved under: `title` (or the client's cleaned name) with the
    extension of the type detected at upload, never the extension the client chose."""
    extension = stored.extension or ""
    if title and not title.lower().endswith(f".{extension}".lower()):
        title = f"{title}.{extension}"  # "工伤认定调查报告" → "工伤认定调查报告.pdf"
    name = display_name(title, extension) if title else ""
    name = name or display_name(stored.original_name, extension)
    return name or (f"file.{extension}" if extension else "file")


def stored_file_response(stored, *, title: str = "", inline: bool = False,
                         cache_control: str = "private, no-store", sandbox: bool = True) -> FileResponse:
    """Stream `stored` (memory stays flat). `inline=True` only for copies we re-encoded ourselves
    and for documents we generated (those pass `sandbox=False`)."""
    response = FileResponse(open_stored(stored), content_type=stored.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(download_name(stored, title), inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    if sandbox:
        response["Content-Security-Policy"] = UPLOAD_CSP
    return response
