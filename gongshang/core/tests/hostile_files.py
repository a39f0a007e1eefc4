"""Upload test files built in memory: clean ones, and the hostile ones a tester sent as materials
(an image/HTML polyglot, magic bytes before a page, a pixel bomb, a PDF that runs a script)."""

import io
import struct
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from gongshang.core.files.pdf import blank_pdf

PAGE = b"<html><body><script>alert(document.domain)</script></body></html>"


def jpeg_bytes(size=(64, 48), color=(120, 80, 60), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def polyglot_jpeg() -> bytes:
    """A real JPEG that decodes, with a web page in its comment segment (rendered as HTML when a
    server names it evil.html or lets the browser sniff)."""
    return jpeg_bytes(comment=PAGE)


def jpeg_with_page_after_end() -> bytes:
    return jpeg_bytes() + PAGE


def magic_then_page() -> bytes:
    """FFD8FFE0 (what a type sniffer calls JPEG) followed by a page: not an image at all."""
    return b"\xff\xd8\xff\xe0" + PAGE * 8


def jpeg_scan_bomb(side: int = 512, extra_scans: int = 400) -> bytes:
    """A progressive JPEG whose last AC scan is repeated `extra_scans` times before its end: each
    copy is a few bytes (one end-of-band run over the whole picture) but makes the decoder pass over
    every block again; 10,000 copies over 62 MP cost 43 s of CPU in a 1.2 MB file."""
    data = jpeg_bytes(size=(side, side), color=(128, 128, 128), progressive=True, quality=90)
    scans, at = [], data.index(b"\xff\xda")
    while at >= 0:
        end = data.find(b"\xff\xda", at + 2)
        scans.append(data[at:end if end >= 0 else data.rindex(b"\xff\xd9")])
        at = end
    ac_first = [scan for scan in scans if scan[5 + 2 * scan[4]] > 0 and scan[7 + 2 * scan[4]] >> 4 == 0]
    end = data.rindex(b"\xff\xd9")
    return data[:end] + ac_first[-1] * extra_scans + data[end:]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 30000) -> bytes:
    """A valid 1-bit PNG of side × side pixels (900 MP for 30000): ~110 KB on disk, compressed
    row by row so building it needs no big buffer either."""
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _blank_writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    action.update({NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()})
    return action


def pdf_open_action_js() -> bytes:
    """A one-page PDF whose /OpenAction runs JavaScript when it is opened."""
    writer = _blank_writer()
    writer._root_object[NameObject("/OpenAction")] = _action("/JavaScript", JS="app.alert('opened')")
    return _written(writer)


def pdf_named_js() -> bytes:
    """Document-level JavaScript in the /Names tree (runs on open in Acrobat)."""
    writer = _blank_writer()
    script = writer._add_object(_action("/JavaScript", JS="app.alert(1)"))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    return _written(writer)


def pdf_page_action_js() -> bytes:
    """A page's additional action (/AA /O: when the page is opened), in an indirect object."""
    writer = _blank_writer()
    opened = writer._add_object(_action("/JavaScript", JS="app.alert(2)"))
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): opened})
    return _written(writer)


def pdf_launch() -> bytes:
    writer = _blank_writer()
    writer._root_object[NameObject("/OpenAction")] = _action("/Launch", F="cmd.exe")
    return _written(writer)


def pdf_with_attachment() -> bytes:
    writer = _blank_writer()
    writer.add_attachment("readme.txt", b"hello")
    return _written(writer)


def pdf_opening_at_page() -> bytes:
    """/OpenAction as a destination ("open at page 1, fit"): ordinary, allowed."""
    writer = _blank_writer()
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference,
                                                                  NameObject("/Fit")])
    return _written(writer)


def pdf_with_link() -> bytes:
    """A /URI link annotation: an ordinary exported document has them; allowed."""
    from pypdf.annotations import Link

    writer = _blank_writer()
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://www.example.com/"))
    return _written(writer)


def pdf_encrypted(user_password: str) -> bytes:
    writer = _blank_writer()
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    return _written(writer)


def clean_pdf() -> bytes:
    return blank_pdf()
