"""The zip layer of an uploaded .xlsx, read with bounds before any spreadsheet reader touches it.

An .xlsx is a zip of XML parts. Its central directory declares every member's size; zipfile never
inflates a member past that size (and checks its CRC at the end), so refusing large declared sizes
and implausible compression ratios bounds every later read. Members are then read in chunks of
CHUNK_BYTES, and two things a streaming XML reader would buffer whole are refused on the way:
more than MAX_TOKEN_BYTES without a "<" (a tag or a text that long), and comments, DTDs, CDATA or
processing instructions (which a workbook never contains).
"""

import io
import zipfile
import zlib

from .problems import NOT_A_WORKBOOK, SheetProblem, SheetTooLarge

CHUNK_BYTES = 64 * 1024
MAX_MEMBERS = 10_000
# A workbook's central directory is a few KB; 1 MB bounds what zipfile parses into ZipInfo objects
# before MAX_MEMBERS can be checked (a 16 MB zip of 200,000 empty members costs zipfile 116 MB).
MAX_DIRECTORY_BYTES = 1024 * 1024
END_OF_DIRECTORY = b"PK\x05\x06"
# 100,000 template rows are ~56 MB of sheet XML with inline strings (less with shared strings).
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
# Real sheet XML compresses 5-20 times; deflate can reach ~1,000. Small members are exempt.
MAX_RATIO = 100
RATIO_EXEMPT_BYTES = 1024 * 1024
# The longest legitimate token: a 32,767-character cell, every character escaped (&#12345;).
MAX_TOKEN_BYTES = 1024 * 1024
# CHUNK_BYTES must stay below MAX_TOKEN_BYTES: _TokenScanner checks only runs across chunks.
MB = 1024 * 1024

TOO_BIG_MESSAGE = ("该文件解压后过大（{what}），超过单次导入的上限 {limit} MB，可能不是正常的报盘表格。"
                   "请使用下载的模板填写，或拆分为多个文件分批上传。")
RATIO_MESSAGE = ("该文件中 {compressed} KB 的内容解压后达 {size} MB，压缩率超过 {ratio} 倍的上限，不是正常的报盘表格。"
                 "请使用下载的模板填写后上传。")


class Workbook:
    """The members of an xlsx, looked up the way calamine does (case-insensitively)."""

    def __init__(self, data: bytes):
        _check_directory(data)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise SheetProblem(NOT_A_WORKBOOK) from exc
        _check_sizes(infos)
        self.members = {}
        for info in infos:
            key = info.filename.lower()
            if key in self.members:  # two parts that calamine could confuse
                raise SheetProblem(NOT_A_WORKBOOK)
            self.members[key] = info

    def has(self, path: str) -> bool:
        return path.lower() in self.members

    def size(self, path: str) -> int:
        """The declared uncompressed size of a member (0 when absent)."""
        info = self.members.get(path.lower())
        return info.file_size if info else 0

    def chunks(self, path: str):
        """The member's bytes in bounded chunks (nothing when it is absent), checked on the way."""
        info = self.members.get(path.lower())
        if info is None:
            return
        scanner = _TokenScanner()
        try:
            with self.zip.open(info) as handle:
                while chunk := handle.read(CHUNK_BYTES):
                    scanner.feed(chunk)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError, OSError,
                EOFError) as exc:
            # Damaged data, a bad CRC, an unsupported method or an encrypted member.
            raise SheetProblem(NOT_A_WORKBOOK) from exc


def _check_directory(data: bytes) -> None:
    """The central directory's size, read from its end record where zipfile finds it (the last
    22 bytes, else the last signature in the final 64 KB); zipfile refuses a zip without one."""
    if data[-22:-18] == END_OF_DIRECTORY and data[-2:] == b"\x00\x00":
        at = len(data) - 22
    else:
        at = data.rfind(END_OF_DIRECTORY, max(len(data) - 65_536 - 22, 0))
    if at < 0 or len(data) < at + 22:
        return
    size = int.from_bytes(data[at + 12:at + 16], "little")
    if size > MAX_DIRECTORY_BYTES:  # includes 0xFFFFFFFF, the mark of a zip64 directory
        raise SheetProblem(NOT_A_WORKBOOK)


def _check_sizes(infos) -> None:
    if len(infos) > MAX_MEMBERS:
        raise SheetProblem(NOT_A_WORKBOOK)
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Workbooks use deflate; zipfile inflates bzip2 and lzma without an output bound.
            raise SheetProblem(NOT_A_WORKBOOK)
        size = info.file_size
        total += size
        if size > MAX_MEMBER_BYTES:
            raise SheetTooLarge(TOO_BIG_MESSAGE.format(what=f"其中一个部件解压后 {size // MB} MB",
                                                       limit=MAX_MEMBER_BYTES // MB))
        if size > RATIO_EXEMPT_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
            raise SheetTooLarge(RATIO_MESSAGE.format(compressed=info.compress_size // 1024, size=size // MB,
                                                     ratio=MAX_RATIO))
    if total > MAX_TOTAL_BYTES:
        raise SheetTooLarge(TOO_BIG_MESSAGE.format(what=f"共 {total // MB} MB", limit=MAX_TOTAL_BYTES // MB))


class _TokenScanner:
    """Refuses a run of more than MAX_TOKEN_BYTES without "<", and any "<!" or "<?" but the XML
    declaration. Inside tags and text "<" cannot occur unescaped, so every token stays bounded."""

    def __init__(self):
        self.since_open = 0
        self.position = 0
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        if b"\x00" in chunk:  # never in UTF-8 XML; a UTF-16 part would hide markup from this scan
            raise SheetProblem(NOT_A_WORKBOOK)
        first = chunk.find(b"<")
        if first < 0:
            self.since_open += len(chunk)
            longest = self.since_open
        else:  # runs inside the chunk are shorter than the chunk, itself shorter than the limit
            longest = self.since_open + first
            self.since_open = len(chunk) - chunk.rfind(b"<") - 1
        if longest > MAX_TOKEN_BYTES:
            raise SheetTooLarge("表格中有一段内容超过 1 MB 且不含任何单元格分隔，不是正常的 Excel 表格。"
                                "请使用下载的模板填写后上传。")
        window = self.tail + chunk
        self._check_markup(window, self.position - len(self.tail))
        self.position += len(chunk)
        self.tail = chunk[-1:]

    @staticmethod
    def _check_markup(window: bytes, offset: int) -> None:
        if b"<!" in window:
            raise SheetProblem(NOT_A_WORKBOOK)
        at = window.find(b"<?")
        while at >= 0:
            if offset + at > 3:  # only the declaration, after an optional byte-order mark
                raise SheetProblem(NOT_A_WORKBOOK)
            at = window.find(b"<?", at + 2)
