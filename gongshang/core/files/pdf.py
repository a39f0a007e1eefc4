"""PDF uploads, checked with a parser (pypdf): damaged, password-protected and active PDFs are refused.

A PDF is read as a viewer would: from the trailer through every object it reaches. Any script,
automatic action, embedded file or XFA form is refused rather than stripped, so the stored file
stays the applicant's own bytes (its SHA-256 is what both sides can verify later).
"""

import io
import logging

from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Actions that run code, open other files or send data (ISO 32000-1 §12.6.4). /URI links and
# /GoTo (jump to a page) stay allowed: an ordinary exported document has them.
ACTIVE_ACTIONS = frozenset({
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/Rendition",
    "/RichMediaExecute", "/Movie", "/Sound",
})
# Annotations that play media or carry an attached file.
ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"})
# Keys that only a document with scripts, automatic actions, attachments or XFA forms carries.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia"})
logger = logging.getLogger(__name__)
if logging.getLogger("pypdf").level == logging.NOTSET:
    # pypdf logs each oddity it repairs in an ordinary file as a warning; what matters to us is
    # the verdict (a refused upload is explained to its sender). LOGGING settings may override.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
# A scanned 300-page document has a few thousand objects; far more is a parser-exhaustion attempt.
MAX_OBJECTS = 200_000


class PdfProblem(Exception):
    """`reason` is "damaged", "encrypted" or "active_content"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def pdf_problem(fileobj) -> str | None:
    """None for a whole PDF without active content; else "damaged", "encrypted" or "active_content"."""
    try:
        fileobj.seek(0)
        _inspect(PdfReader(fileobj, strict=False))
        return None
    except PdfProblem as problem:
        return problem.reason
    except Exception:  # pypdf's errors, and whatever a malformed file makes it raise (zlib, struct, …)
        logger.info("unreadable PDF upload", exc_info=True)
        return "damaged"
    finally:
        fileobj.seek(0)


def _inspect(reader: PdfReader) -> None:
    # Restrictions without an opening password (common on hospital reports) open in every viewer
    # and can be looked inside; a PDF that asks for a password can be neither checked nor read.
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise PdfProblem("encrypted")
    if len(reader.pages) < 1:
        raise PdfProblem("damaged")
    root = reader.trailer["/Root"].get_object()
    opening = _name(root, "/OpenAction")
    if isinstance(opening, DictionaryObject) and _name(opening, "/S") != "/GoTo":
        raise PdfProblem("active_content")  # an automatic action other than "open at page n"
    _walk(reader.trailer)


def _walk(start) -> None:
    """Every object reachable from the trailer, once; a reference that resolves to nothing means a
    damaged (e.g. truncated) file, which pypdf in lenient mode would otherwise pass over."""
    seen: set[tuple[int, int]] = set()
    stack = [start]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_OBJECTS:
                raise PdfProblem("damaged")
            resolved = item.get_object()
            if resolved is None:
                raise PdfProblem("damaged")
            stack.append(resolved)
        elif isinstance(item, DictionaryObject):  # also stream objects (their dictionary)
            _check_dictionary(item)
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _name(item: DictionaryObject, key: str):
    value = item.get(key)  # dict.get: an indirect value is not resolved yet
    return value.get_object() if isinstance(value, IndirectObject) else value


def _check_dictionary(item: DictionaryObject) -> None:
    if ACTIVE_KEYS.intersection(item.keys()):
        raise PdfProblem("active_content")
    if _name(item, "/S") in ACTIVE_ACTIONS or _name(item, "/Subtype") in ACTIVE_ANNOTATIONS:
        raise PdfProblem("active_content")


def blank_pdf(pages: int = 1) -> bytes:
    """A well-formed PDF of blank A4 pages (demo materials, tests)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
