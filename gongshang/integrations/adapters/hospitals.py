"""卫健 → 入出院通知 (partner health, kind hospital_notices), CSV format v1.0.

Columns (docs/exchange/hospitals.md; sample: samples/health_hospital_notices_v1.csv): hospital_code,
hospital_name, notice_number, kind (入院/出院 or admission/discharge), id_number, name, event_date
(YYYY-MM-DD), diagnosis, diagnosis_code (ICD-10, may be empty). UTF-8 (with or without BOM); a file
saved as GBK/GB18030 by a spreadsheet is read as such. Columns may come in any order; extra columns
are ignored.

The file is read as a stream and applied in chunks (services.hospitals.notices_apply: a few bulk
queries per chunk). A notice already received (same hospital code and notice number, in an earlier
file or earlier in this one) counts as a duplicate and changes nothing.
"""

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongshang.core.validators import validate_id_number

from ..choices import BatchKind, Partner
from ..rules.hospitals import kind_of
from ..services.hospitals import empty_summary, notices_apply
from . import FormatError, InboundAdapter, Outcome, RowError, register

# Column → its Chinese name in messages (the order is the order of the sample file).
COLUMNS = {
    "hospital_code": "医疗机构代码",
    "hospital_name": "医疗机构名称",
    "notice_number": "通知编号",
    "kind": "类别",
    "id_number": "身份证号",
    "name": "姓名",
    "event_date": "入院/出院日期",
    "diagnosis": "诊断",
    "diagnosis_code": "诊断编码",
}
OPTIONAL = frozenset({"diagnosis_code"})
MAX_LENGTH = {"hospital_code": 40, "hospital_name": 100, "notice_number": 60, "name": 50, "diagnosis": 200,
              "diagnosis_code": 16}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# ICD-10 as hospitals write it: S82, S82.2, S82.201, and the national clinical extension S82.200x001.
ICD10 = re.compile(r"^[A-Za-z]\d[0-9A-Za-z](\.[0-9A-Za-z]{1,12})?$")
# Files that are not text: zip (xlsx), OLE (xls), PDF, UTF-16 text (Excel's "Unicode text").
BINARY_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\xff\xfe", b"\xfe\xff")
CHUNK_ROWS = 500
READ_BYTES = 64 * 1024
SYSTEM_LABEL = "系统（卫健入出院通知）"


@dataclass(frozen=True)
class NoticeRow:
    """One valid row of the file, ready to apply."""

    line: int
    hospital_code: str
    hospital_name: str
    notice_number: str
    kind: str
    id_number: str
    name: str
    event_date: date
    diagnosis: str
    diagnosis_code: str

    @property
    def key(self) -> tuple[str, str]:
        return self.hospital_code, self.notice_number


# --- reading -------------------------------------------------------------------------------------------

def _encoding_of(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(BINARY_SIGNATURES) or head.count(b"\x00") * 100 > len(head):
        raise FormatError("文件不是 CSV 文本文件（可能是 Excel 或压缩文件）。请在表格软件中“另存为 CSV（UTF-8）”后重新报送。")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _lines(stream) -> Iterator[str]:
    """The file's text lines (each with its "\\n", so quoted line breaks stay for csv), decoded chunk by
    chunk: memory stays flat whatever the file's length."""
    head = stream.read(READ_BYTES)
    if not head:
        raise FormatError("文件是空的，请选择卫健委提供的入出院通知文件。")
    decoder = codecs.getincrementaldecoder(_encoding_of(head))()
    pending, chunk, lines_seen = "", head, 0
    while chunk:
        try:
            pending += decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise FormatError(f"文件第 {lines_seen + 1} 行附近含有无法识别的字符。请以 UTF-8 编码重新导出后报送。") from exc
        complete, newline, pending = pending.rpartition("\n")
        if newline:
            parts = complete.split("\n")
            lines_seen += len(parts)
            yield from (part + "\n" for part in parts)
        chunk = stream.read(READ_BYTES)
    try:
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise FormatError("文件末尾含有不完整的字符。请以 UTF-8 编码重新导出后报送。") from exc
    if pending:
        yield pending


def _header(reader) -> tuple[dict[str, int], int]:
    """({column: its position}, how many columns the header has)."""
    try:
        first = next(reader)
    except StopIteration:
        raise FormatError("文件是空的，请选择卫健委提供的入出院通知文件。") from None
    names = [str(cell).strip().lower() for cell in first]
    missing = [f"{name}（{label}）" for name, label in COLUMNS.items() if name not in names]
    if missing:
        raise FormatError(f"表头缺少列：{'、'.join(missing)}。第 1 行应为列名 {','.join(COLUMNS)}，"
                          "请按数据交换说明中的格式和样例文件核对。")
    return {name: names.index(name) for name in COLUMNS}, len(names)


def _unreadable(line: int) -> FormatError:
    return FormatError(f"文件从第 {line} 行起无法按 CSV 读取（常见原因：引号不成对，或某一列内容过长）。"
                       "请核对该行后重新报送。")


def _records(reader) -> Iterator[tuple[int, list[str]]]:
    """(line number of the row's last line, its cells) of each data row; empty rows skipped."""
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _unreadable(start) from exc
        if any(str(c).strip() for c in cells):
            yield reader.line_num, cells


# --- one row -------------------------------------------------------------------------------------------

def _problems(values: dict[str, str], today: date) -> tuple[dict[str, str], dict]:
    """({column: what is wrong}, the cleaned values)."""
    problems, clean = {}, dict(values)
    for name, value in values.items():
        if not value and name not in OPTIONAL:
            problems[name] = "为空，请填写"
        elif name in MAX_LENGTH and len(value) > MAX_LENGTH[name]:
            problems[name] = f"超过 {MAX_LENGTH[name]} 个字符（{len(value)} 个），请核对"
        elif "\x00" in value:
            problems[name] = "含有不可见的控制字符，请删除后重新报送"
    if values["kind"] and "kind" not in problems:
        clean["kind"] = kind_of(values["kind"])
        if clean["kind"] is None:
            problems["kind"] = f"应为“入院”或“出院”（或 admission/discharge），文件中为“{values['kind'][:20]}”"
    if values["id_number"] and "id_number" not in problems:
        try:
            clean["id_number"] = validate_id_number(values["id_number"], today=today)
        except ValidationError as exc:
            problems["id_number"] = exc.messages[0]
    if values["event_date"] and "event_date" not in problems:
        problem, clean["event_date"] = _date_problem(values["event_date"], today)
        if problem:
            problems["event_date"] = problem
    code = values["diagnosis_code"]
    if code and "diagnosis_code" not in problems and not ICD10.match(code):
        problems["diagnosis_code"] = f"不是有效的 ICD-10 编码（如 S82.201），文件中为“{code}”；没有编码可留空"
    return problems, clean


def _date_problem(text: str, today: date) -> tuple[str, date | None]:
    if not DATE.match(text):
        return f"应为“年-月-日”格式（如 2026-03-02），文件中为“{text[:20]}”", None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return f"“{text}”不是有效日期，请核对", None
    if day > today:
        return f"{text} 晚于今天，请核对", None
    return "", day


def parse_row(line: int, cells: list[str], header: dict[str, int], width: int, today: date) -> NoticeRow | RowError:
    """One data line → a NoticeRow, or the RowError naming every wrong column (and how to fix it)."""
    raw = {name: (str(cells[index]) if index < len(cells) else "") for name, index in header.items()}
    if len(cells) != width:
        return RowError(row=line, payload=raw, message=(
            f"该行有 {len(cells)} 列，表头有 {width} 列。请检查是否有未加引号的逗号，或缺少的列。"))
    values = {name: value.strip() for name, value in raw.items()}
    problems, clean = _problems(values, today)
    if problems:
        text = "；".join(f"“{COLUMNS[name]}”（{name}）{problem}" for name, problem in problems.items())
        return RowError(row=line, message=text[:500], payload=raw)
    return NoticeRow(line=line, **clean)


# --- the adapter ---------------------------------------------------------------------------------------

@register
class HospitalNoticesAdapter(InboundAdapter):
    """入出院通知 from 卫健: applied to open injury cases (see services.hospitals.notices_apply)."""

    partner = Partner.HEALTH.value
    kind = BatchKind.HOSPITAL_NOTICES.value
    format_versions = ("1.0",)
    sample = "health_hospital_notices_v1.csv"

    def process(self, batch, stream) -> Outcome:
        version = batch.format_version or self.format_versions[0]
        if version not in self.format_versions:
            raise FormatError(f"入出院通知的格式版本“{version}”不受支持，目前支持：{'、'.join(self.format_versions)}。")
        outcome = Outcome(summary=empty_summary())
        reader = csv.reader(_lines(stream))
        try:
            header, width = _header(reader)
        except csv.Error as exc:
            raise _unreadable(1) from exc
        today = timezone.localdate()
        seen: set[tuple[str, str]] = set()
        chunk: list[NoticeRow] = []
        # A savepoint of our own: a file found unreadable half-way leaves nothing applied, even when
        # the caller has no transaction open.
        with transaction.atomic():
            for line, cells in _records(reader):
                outcome.total += 1
                parsed = parse_row(line, cells, header, width, today)
                if isinstance(parsed, RowError):
                    outcome.errors.append(parsed)
                    continue
                chunk.append(parsed)
                if len(chunk) >= CHUNK_ROWS:
                    self._apply(batch, chunk, seen, outcome)
                    chunk = []
            if chunk:
                self._apply(batch, chunk, seen, outcome)
        return outcome

    @staticmethod
    def _apply(batch, rows: list[NoticeRow], seen: set, outcome: Outcome) -> None:
        result = notices_apply(batch=batch, rows=rows, seen=seen)
        outcome.accepted += result.accepted
        outcome.duplicate += result.duplicate
        for key, value in result.summary.items():
            outcome.summary[key] = outcome.summary.get(key, 0) + value
