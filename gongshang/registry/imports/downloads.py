"""File responses shared by the pages and the API (Chinese file names survive every browser)."""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from gongshang.core.files.storage import open_stored


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def stored_attachment(stored_file, content_type: str) -> FileResponse:
    """Stream a stored file (an error copy may be tens of MB): memory stays flat."""
    response = FileResponse(open_stored(stored_file), as_attachment=True, filename=stored_file.original_name,
                            content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
