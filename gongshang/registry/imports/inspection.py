"""Checking an uploaded .xlsx before calamine reads it (xlsxzip bounds the zip layer).

calamine materialises what a file holds: every shared string when the workbook opens, and every
valued cell of a sheet, in the rectangle from the first to the last one, when the sheet is read.
A 1.7 KB sheet with cells in A1 and XFD1048576 therefore asks for 512 GiB and aborts the process
(Rust cannot report a failed allocation); a compressed 200 MiB cell costs about a gigabyte.

So the parts calamine reads (workbook, relationships, shared strings, styles, the one data sheet)
are first streamed through expat here, keeping counters and one integer per shared string, and
the file is refused when
- the sheet's declared <dimension> or the real extent of its valued cells passes the row limit
  (ROSTER_IMPORT_MAX_ROWS data rows below a header area of HEADER_SEARCH_ROWS) or the column limit
  (the template's columns + EXTRA_COLUMNS);
- a cell or a shared string is longer than 32,767 characters, Excel's own limit;
- the shared strings, or the cells' text (a shared string counted once per cell using it, since
  calamine copies it into each), exceed MAX_TEXT_CHARS.
"""

import posixpath
from array import array
from xml.parsers import expat

from .columns import HEADER_SEARCH_ROWS, data_sheet_name, max_columns
from .problems import NOT_A_WORKBOOK, CellTooLong, SheetProblem, SheetTooLarge
from .template import max_rows
from .xlsxzip import MB, TOO_BIG_MESSAGE, Workbook

MAX_CELL_CHARS = 32_767  # Excel: "Total number of characters that a cell can contain"
# About 300 characters per row at 100,000 rows; calamine then holds ~100-200 MB of text.
MAX_TEXT_CHARS = 30_000_000
# Workbook, relationships and styles of a real roster are kilobytes.
MAX_PART_BYTES = 32 * 1024 * 1024
WORKBOOK = "xl/workbook.xml"
RELATIONSHIPS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
TOO_LONG = ("{where}超过 32767 个字符（Excel 单元格的上限），无法导入。"
            "请检查是否误粘贴了大段内容，删除后重新上传。")
TOO_MUCH_TEXT = ("表格中的文字总量超过单次导入的上限（{limit} 万个字符）。请删除与报盘无关的列和内容，"
                 "或拆分为多个文件分批上传。")


def inspect_workbook(data: bytes, direction: str) -> None:
    """Refuse (SheetProblem and subclasses) what calamine could not read within bounds."""
    workbook = Workbook(data)
    for part in (WORKBOOK, RELATIONSHIPS, STYLES):
        if workbook.size(part) > MAX_PART_BYTES:  # calamine keeps their names and formats
            raise SheetTooLarge(TOO_BIG_MESSAGE.format(what=f"{part} 达 {workbook.size(part) // MB} MB",
                                                       limit=MAX_PART_BYTES // MB))
    shared = _scan(workbook, SHARED_STRINGS, _SharedStrings())
    _drain(workbook, STYLES)  # only the token bounds: calamine streams it
    sheet = _data_sheet(workbook, direction)
    if sheet is not None:
        name, paths = sheet
        found = [path for path in paths if workbook.has(path)]
        if not found:  # a part we cannot find is a part we cannot bound: calamine must not look for it
            raise SheetProblem(NOT_A_WORKBOOK)
        for path in found:
            _scan(workbook, path, _SheetScan(name, direction, shared))


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _scan(workbook: Workbook, path: str, handler):
    """Feed one member to expat in bounded chunks; character data reaches `handler` in pieces."""
    if not workbook.has(path):
        return handler
    parser = expat.ParserCreate()
    parser.buffer_text = False
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    try:
        for chunk in workbook.chunks(path):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise SheetProblem(NOT_A_WORKBOOK) from exc
    return handler


def _drain(workbook: Workbook, path: str) -> None:
    for _chunk in workbook.chunks(path):
        pass


class _Handler:
    """Text outside cells needs no count: calamine skips it and xlsxzip bounds every run."""

    def start(self, name, attrs):
        pass

    def end(self, name):
        pass

    def text(self, data):
        pass


class _Collect(_Handler):
    """The attributes of the elements named `local` (workbook sheets, relationships)."""

    def __init__(self, local: str):
        self.local = local
        self.found = []

    def start(self, name, attrs):
        if _local(name) == self.local:
            self.found.append(attrs)


def _data_sheet(workbook: Workbook, direction: str) -> tuple[str, list[str]] | None:
    """(name, member paths) of the sheet the reader will open; None when no sheet fits (the reader
    then says why, and calamine reads no sheet). The paths are every reading of the relationship's
    target a reader might make (see sheet_paths): each one present is checked."""
    sheets = [(attrs.get("name", ""), attrs.get("r:id", attrs.get("relationships:id")))
              for attrs in _scan(workbook, WORKBOOK, _Collect("sheet")).found]
    try:
        name = data_sheet_name([sheet_name for sheet_name, _rid in sheets], direction)
    except SheetProblem:
        return None
    if not workbook.has(RELATIONSHIPS):
        raise SheetProblem(NOT_A_WORKBOOK)
    targets = {attrs.get("Id"): attrs.get("Target", "")
               for attrs in _scan(workbook, RELATIONSHIPS, _Collect("Relationship")).found}
    rid = next(rid for sheet_name, rid in sheets if sheet_name == name)
    target = targets.get(rid)
    if not target:
        raise SheetProblem(NOT_A_WORKBOOK)
    return name, sheet_paths(target)


def sheet_paths(target: str) -> list[str]:
    """The members a relationship target may name. python-calamine 0.9 reads "/a/s.xml" as "a/s.xml"
    and any other target below xl/ ("xl/s.xml" as "xl/xl/s.xml"); the package convention (a target
    relative to xl/, "." and ".." resolved) and a target read as a root path are checked too, so a
    reader resolving it another way never meets a part that was not checked."""
    stripped = target.lstrip("/")
    calamine = stripped if target.startswith("/") else f"xl/{target}"
    paths = [calamine, stripped, f"xl/{stripped}"]
    paths += [posixpath.normpath(path) for path in paths]
    return list(dict.fromkeys(path for path in paths if path and not path.startswith("..")))


class _SharedStrings(_Handler):
    """The length of every shared string, in two numberings: calamine 0.9 (python-calamine 0.9)
    keeps every <si>, newer calamine only those with a rich run <r> or a <t> outside the phonetic
    guide <rPh>. A cell's index is looked up in both and the longer counts."""

    def __init__(self):
        self.every = array("L")
        self.kept = array("L")
        self.total = 0
        self.current = None  # characters of the open <si>
        self.has_text = False
        self.phonetic = False

    def start(self, name, attrs):
        local = _local(name)
        if local == "si":
            self.current, self.has_text = 0, False
        elif local == "rPh":
            self.phonetic = True
        elif local == "r" or (local == "t" and not self.phonetic):
            self.has_text = True

    def end(self, name):
        local = _local(name)
        if local == "rPh":
            self.phonetic = False
        elif local == "si" and self.current is not None:
            self.every.append(self.current)
            if self.has_text:
                self.kept.append(self.current)
            self.current = None

    def text(self, data):
        if self.current is None:
            return
        count = len(data)
        self.current += count
        self.total += count
        if self.current > MAX_CELL_CHARS:
            raise CellTooLong(TOO_LONG.format(where="表格中有单元格的内容"))
        if self.total > MAX_TEXT_CHARS:
            raise SheetTooLarge(TOO_MUCH_TEXT.format(limit=MAX_TEXT_CHARS // 10_000))

    def length(self, index: int) -> int:
        """Characters calamine copies into a cell using string `index` (0 if it has none:
        calamine refuses such a file)."""
        every = self.every[index] if index < len(self.every) else 0
        kept = self.kept[index] if index < len(self.kept) else 0
        return max(every, kept)


def column_letters(index: int) -> str:
    """"XFD" for the 1-based column 16384."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


BEYOND = 10**8  # a row or column index past anything Excel can address


def _column_index(letters: str) -> int:
    """0-based index of "XFD"; calamine refuses references with other characters."""
    if not (letters.isascii() and letters.isalpha()):
        raise SheetProblem(NOT_A_WORKBOOK)
    if len(letters) > 3:
        return BEYOND
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column - 1


def _row_index(digits: str) -> int:
    """0-based index of the row "1048576"."""
    if not (digits.isascii() and digits.isdigit()):
        raise SheetProblem(NOT_A_WORKBOOK)
    return BEYOND if len(digits) > 7 else int(digits) - 1


FOLLOWED = frozenset({"c", "v", "is", "f", "row", "dimension"})


class _SheetScan(_Handler):
    """The data sheet: declared and real extent of valued cells, cell lengths, text total.

    Positions follow calamine: a cell without r="" comes after the previous cell, a row without
    r="" after the previous row; a cell's own r="" moves the column, not the current row. This
    runs once per element of up to ~60 MB of XML, so it keeps to plain attributes and caches.
    """

    def __init__(self, name: str, direction: str, shared: _SharedStrings):
        self.name = name
        self.shared = shared
        self.max_row = max_rows() + HEADER_SEARCH_ROWS
        self.max_column = max_columns(direction)
        self.kinds = {}  # element name -> its local name when FOLLOWED, else ""
        self.columns = {}  # column letters -> index
        self.row_index = self.column_index = 0
        self.cell = None  # (row, column) of the open <c>
        self.valued = False
        self.characters = 0
        self.shared_cell = False
        self.index_text = None  # the <v> of a shared-string cell while it is read
        self.total = 0

    def _kind(self, name: str) -> str:
        local = _local(name)
        kind = self.kinds[name] = local if local in FOLLOWED else ""
        return kind

    def start(self, name, attrs):
        kind = self.kinds.get(name)
        if kind is None:
            kind = self._kind(name)
        if kind == "c":
            ref = attrs.get("r")
            row = self.row_index
            if ref:
                letters = ref.rstrip("0123456789")
                row = _row_index(ref[len(letters):])
                column = self.columns.get(letters)
                self.column_index = column if column is not None else self._column(letters)
            self.cell = (row, self.column_index)
            self.valued, self.characters = False, 0
            self.shared_cell = attrs.get("t") == "s"
        elif kind in ("v", "is", "f"):
            if self.cell is not None:
                self.valued = True
                if kind == "v" and self.shared_cell:
                    self.index_text = ""
        elif kind == "row":
            if row := attrs.get("r"):
                self.row_index = _row_index(row)
        elif kind == "dimension":
            self._check_dimension(attrs.get("ref", ""))

    def _column(self, letters: str) -> int:
        column = self.columns[letters] = _column_index(letters)
        return column

    def _check_dimension(self, ref: str) -> None:
        last = ref.rpartition(":")[2]
        letters = last.rstrip("0123456789")
        if letters and last != letters and letters.isascii() and letters.isalpha():
            self._check_extent(_row_index(last[len(letters):]), _column_index(letters),
                               where=f"声明的使用区域（{ref}）")

    def end(self, name):
        kind = self.kinds.get(name)
        if kind == "c":
            if self.cell is not None:
                self._close_cell()
            self.column_index += 1
        elif kind == "row":
            self.row_index += 1
            self.column_index = 0

    def text(self, data):
        if self.cell is None:
            return
        self.characters += len(data)
        if self.characters > MAX_CELL_CHARS:
            raise CellTooLong(TOO_LONG.format(where=f"工作表“{self.name}”的单元格 {_ref(*self.cell)} "))
        if self.index_text is not None and len(self.index_text) < 12:
            self.index_text += data

    def _close_cell(self) -> None:
        (row, column), characters, index_text = self.cell, self.characters, self.index_text
        self.cell = self.index_text = None
        if not self.valued:
            return  # styled but empty: calamine skips it
        if row >= self.max_row or column >= self.max_column:
            self._check_extent(row, column, where=f"中的单元格 {_ref(row, column)} ")
        if index_text is not None:  # calamine reads an unparsable index as 0
            index = int(index_text) if index_text.isascii() and index_text.isdigit() else 0
            characters = self.shared.length(index)
        self.total += characters
        if self.total > MAX_TEXT_CHARS:
            raise SheetTooLarge(TOO_MUCH_TEXT.format(limit=MAX_TEXT_CHARS // 10_000))

    def _check_extent(self, row: int, column: int, *, where: str) -> None:
        if row < self.max_row and column < self.max_column:
            return
        raise SheetTooLarge(
            f"工作表“{self.name}”{where}超出单次导入的范围：最多 {max_rows()} 行人员数据（到第 {self.max_row} 行）、"
            f"{self.max_column} 列（到 {column_letters(self.max_column)} 列）。请删除多余的行和列"
            "（包括看似空白但填过内容的单元格），或拆分为多个文件分批上传。")


def _ref(row: int, column: int) -> str:
    """"XFD1048576" for 0-based (row, column)."""
    if row >= BEYOND or column >= BEYOND:
        return "（超出 Excel 范围）"
    return f"{column_letters(column + 1)}{row + 1}"
