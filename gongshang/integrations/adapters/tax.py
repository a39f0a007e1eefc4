"""税务局 → 社保费缴费明细 (社保费由税务征收): the monthly file of who was paid for, per employer and person.

Format 1.0 (docs/exchange/contributions.md, sample samples/tax_contributions_v1.csv): CSV, UTF-8 with an
optional BOM, a header row naming the seven columns of COLUMNS (any order), one row per employer, person,
month and insurance type. Every row is checked in Python; all problems of a row come back in one Chinese
message naming the columns. Rows of the other insurance types (养老、医疗、失业) are checked and skipped:
the tax bureau sends one file for all of them, and only 工伤保险 is this platform's.

The valid 工伤 rows are streamed into a staging table in chunks (COPY on PostgreSQL), with the employer
looked up once per code and the blind index of the ID number, and then applied set-based
(services/contributions_apply.py).
"""

import csv
import io
import re
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongshang.core.money import to_fen
from gongshang.core.pii.crypto import blind_index, encrypt
from gongshang.core.validators import validate_id_number, validate_uscc
from gongshang.registry.choices import InsuranceType

from ..choices import BatchKind, Partner
from ..services import contributions_apply as apply
from . import FormatError, InboundAdapter, Outcome, RowError, register

COLUMNS = ("employer_code", "id_number", "name", "month", "insurance_type", "wage_base", "paid")
LABELS = {"employer_code": "统一社会信用代码", "id_number": "身份证号", "name": "姓名", "month": "费款所属期",
          "insurance_type": "险种", "wage_base": "缴费工资", "paid": "缴费状态"}
PAID_VALUES = {"1": True, "是": True, "0": False, "否": False}
CHUNK_ROWS = 20_000
NAME_MAX = 50
EARLIEST_YEAR = 1990
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WAGE = re.compile(r"^\d{1,10}(\.\d{1,2})?$")


@lru_cache(maxsize=1)
def insurance_codes() -> dict[str, str]:
    """The registry's InsuranceType codes, and their Chinese names, accepted in the file."""
    codes = {code: code for code in InsuranceType.values}
    codes.update({str(label): code for code, label in InsuranceType.choices})
    codes.update({str(label).removesuffix("保险"): code for code, label in InsuranceType.choices})
    return codes


def _named(column: str, message: str) -> str:
    """"身份证号校验位不正确" → "身份证号（id_number）校验位不正确": the column as people and systems call it."""
    label = LABELS[column]
    if message.startswith(label):
        return f"{label}（{column}）{message[len(label):]}"
    return f"{label}（{column}）{message}"


def _name_error(name: str) -> str:
    if not name:
        return _named("name", "未填写")
    if len(name) > NAME_MAX:
        return _named("name", f"超过 {NAME_MAX} 个字，请核对")
    return _named("name", "含有制表符、换行等不可见字符，请删除")  # and PostgreSQL cannot store a NUL


class RowReader:
    """Checks one row's seven values. Employer codes and months repeat across a file: their results are
    kept, so a million rows cost one check per distinct value."""

    def __init__(self, *, today: date):
        self.today = today
        self.current_month = today.replace(day=1)
        self._codes: dict[str, tuple] = {}
        self._months: dict[str, tuple] = {}

    def parse(self, values: list[str]) -> tuple[tuple | None, list[str]]:
        """((employer_code, id_number, name, month, insurance_type, wage_base, paid), []) or (None, errors)."""
        code_raw, id_raw, name_raw, month_raw, type_raw, wage_raw, paid_raw = values
        errors = []
        code, error = self._codes.get(code_raw) or self._code(code_raw)
        if error:
            errors.append(error)
        try:
            id_number = validate_id_number(id_raw, today=self.today)
        except ValidationError as exc:
            errors.append(_named("id_number", "未填写" if exc.code == "required" else exc.messages[0]))
            id_number = None
        name = name_raw.strip()
        if not name or len(name) > NAME_MAX or not name.isprintable():
            errors.append(_name_error(name))
        month, error = self._months.get(month_raw) or self._month(month_raw)
        if error:
            errors.append(error)
        insurance_type = insurance_codes().get(type_raw.strip())
        if insurance_type is None:
            errors.append(_named("insurance_type", "应为 injury（工伤保险）、pension（养老保险）、medical（医疗保险）"
                                                   "或 unemployment（失业保险）"))
        wage = to_fen(wage_raw) if _WAGE.match(wage_raw.strip()) else None
        if not wage:  # unreadable, or 0.00
            errors.append(_named("wage_base", "应为大于 0 的金额（元），最多两位小数，不带千分位逗号，如 6800.00"))
        paid = PAID_VALUES.get(paid_raw.strip())
        if paid is None:
            errors.append(_named("paid", "应为 1（已缴费）或 0（未缴费），也可写“是”或“否”"))
        if errors:
            return None, errors
        return (code, id_number, name, month, insurance_type, wage, paid), errors

    def _code(self, raw: str) -> tuple:
        try:
            found = (validate_uscc(raw), "")
        except ValidationError as exc:
            found = (None, _named("employer_code", "未填写" if exc.code == "required" else exc.messages[0]))
        self._codes[raw] = found
        return found

    def _month(self, raw: str) -> tuple:
        match = _MONTH.match(raw.strip())
        found = (None, _named("month", "应为“年-月”，如 2026-10"))
        if match and 1 <= int(match[2]) <= 12:
            month = date(int(match[1]), int(match[2]), 1)
            if month > self.current_month:
                found = (None, _named("month", f"不能晚于本月（{self.current_month:%Y-%m}），请核对"))
            elif month.year < EARLIEST_YEAR:
                found = (None, _named("month", f"不能早于 {EARLIEST_YEAR} 年，请核对"))
            else:
                found = (month, "")
        self._months[raw] = found
        return found


def _header_order(header: list[str] | None) -> list[int]:
    """The position of each of COLUMNS in the file's header; FormatError naming what is wrong."""
    if header is None:
        raise FormatError("文件是空的：第 1 行应为表头 " + ",".join(COLUMNS) + "，请使用税务局导出的缴费明细文件。")
    names = [name.strip() for name in header]
    missing = [c for c in COLUMNS if c not in names]
    extra = [n for n in names if n not in COLUMNS]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if missing or extra or repeated:
        parts = [f"缺少列 {'、'.join(missing)}" if missing else "", f"多出约定之外的列 {'、'.join(extra)}" if extra else "",
                 f"列 {'、'.join(repeated)} 重复" if repeated else ""]
        raise FormatError(f"表头（第 1 行）与约定的格式 1.0 不符：{'；'.join(p for p in parts if p)}。表头应为 "
                          f"{','.join(COLUMNS)}，请按数据交换说明核对后重新报送。")
    return [names.index(c) for c in COLUMNS]


class _Text:
    """The stored bytes as text without closing them at the end (the batch service owns the stream)."""

    def __init__(self, stream):
        self.stream = stream
        self.reader = None  # the csv reader, for the line number of an unreadable line

    def __enter__(self):
        self.text = io.TextIOWrapper(self.stream, encoding="utf-8-sig", newline="")
        return self.text

    def __exit__(self, exc_type, exc, tb):
        self.text.detach()
        if isinstance(exc, UnicodeDecodeError):
            raise FormatError("文件不是 UTF-8 编码，无法读取。请交换方按 UTF-8 编码导出 CSV 文件后重新报送。") from exc
        if isinstance(exc, csv.Error):
            line = self.reader.line_num if self.reader is not None else 1
            raise FormatError(f"文件第 {line} 行附近无法按 CSV 格式读取（引号不成对或某一项过长），请核对引号和分隔符后重新报送。") from exc
        return False


def rows_of(stream, reader: RowReader, outcome: Outcome, skipped: list[int]):
    """Each valid 工伤 row as (line, employer_code, id_number, name, month, wage_base, paid); errors go to
    `outcome`, rows of other insurance types are counted in skipped[0]. Blank lines are not rows."""
    width, injury = len(COLUMNS), str(InsuranceType.INJURY)
    context = _Text(stream)
    with context as text:
        lines = context.reader = csv.reader(text)
        order = _header_order(next(lines, None))
        identity = order == list(range(width))
        for values in lines:
            line = lines.line_num
            if len(values) != width or not identity:
                if not any(v.strip() for v in values):
                    continue
                if len(values) != width:
                    outcome.total += 1
                    outcome.errors.append(RowError(line, f"本行有 {len(values)} 列，约定为 {width} 列（{','.join(COLUMNS)}），"
                                                         "请核对分隔符和引号。", payload={"row": ",".join(values)}))
                    continue
                values = [values[i] for i in order]
            outcome.total += 1
            parsed, errors = reader.parse(values)
            if errors:
                outcome.errors.append(RowError(line, "；".join(errors) + "。", payload=dict(zip(COLUMNS, values, strict=True))))
            elif parsed[4] != injury:
                skipped[0] += 1
            else:
                yield (line, parsed[0], parsed[1], parsed[2], parsed[3], parsed[5], parsed[6])


def rows_at(stream, lines: set[int]):
    """(line, raw row as a dict) for each of `lines`, read again from the stored file: the few rows whose
    full values are needed after staging (repeated rows for the error list, unknown persons' ID numbers)."""
    if not lines:
        return
    last = max(lines)
    stream.seek(0)
    with _Text(stream) as text:
        reader = csv.reader(text)
        header = [name.strip() for name in next(reader, [])]
        for values in reader:
            if reader.line_num in lines:
                yield reader.line_num, dict(zip(header, values, strict=False))
            if reader.line_num >= last:
                break


class RepeatCheck:
    """Whether two rows may share employer, person and month, from a set of 64-bit hashes (~64 MB for a
    million rows): equal keys have equal hashes, so without a repeated hash there is no repeated row and
    the exact check in the database (seconds for a million rows) is skipped."""

    def __init__(self):
        self.seen: set[int] = set()
        self.candidate = False

    def add(self, keys) -> None:
        seen = self.seen
        before = len(seen)
        count = 0
        for key in keys:
            seen.add(hash(key))
            count += 1
        if len(seen) - before < count:
            self.candidate = True


def _chunks(rows, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@register
class TaxContributions(InboundAdapter):
    """税务局 社保费缴费明细 → 缴费记录 (ContributionRecord) and 缴费比对差异 (ContributionMismatch)."""

    partner = Partner.TAX
    kind = BatchKind.CONTRIBUTIONS
    format_versions = ("1.0",)
    sample = "tax_contributions_v1.csv"

    def process(self, batch, stream) -> Outcome:
        if batch.format_version not in self.format_versions:
            raise FormatError(f"格式版本 {batch.format_version or '（未填写）'} 不受支持，税务局缴费明细目前为 "
                              f"{'、'.join(self.format_versions)} 版，请核对“格式版本”。")
        outcome, skipped = Outcome(), [0]
        reader = RowReader(today=timezone.localdate())
        with transaction.atomic():
            stage = apply.Stage(region=batch.region, batch_id=batch.pk)
            employers, repeats = apply.Employers(region=batch.region), RepeatCheck()
            for chunk in _chunks(rows_of(stream, reader, outcome, skipped), CHUNK_ROWS):
                ids = employers.of({row[1] for row in chunk})
                rows = [(line, code, ids[code], blind_index(id_number), name, month, wage, paid)
                        for line, code, id_number, name, month, wage, paid in chunk]
                repeats.add((row[1], row[3], row[5]) for row in rows)
                stage.load(rows)
            repeated = stage.discard_repeated() if repeats.candidate else []
            stage.unknown_employers = None in employers.ids.values()
            unknown = stage.resolve()
            for chunk in _chunks(((line, encrypt(validate_id_number(row["id_number"], today=reader.today)))
                                  for line, row in rows_at(stream, unknown)), CHUNK_ROWS):
                stage.add_ciphers(chunk)
            counts = stage.apply()
            stage.drop()
        outcome.errors.extend(_repeated_errors(stream, repeated))
        outcome.errors.sort(key=lambda e: e.row)
        outcome.accepted = counts["accepted"]
        outcome.duplicate = counts["staged"] - counts["accepted"]
        outcome.summary = {
            "records_created": counts["records_created"], "records_updated": counts["records_updated"],
            "mismatches": sum(counts["mismatches"].values()), "mismatches_by_kind": counts["mismatches"],
            "skipped_other_insurance": skipped[0], "months": counts["months"],
        }
        return outcome


def _repeated_errors(stream, repeated: list[tuple[int, int]]) -> list[RowError]:
    if not repeated:
        return []
    payloads = dict(rows_at(stream, {line for line, _first in repeated}))
    return [RowError(line, f"与第 {first} 行是同一单位、同一人员、同一费款所属期的工伤保险缴费，已按第 {first} 行处理，"
                           "本行未处理；请核对后只保留一行。", payload=payloads.get(line, {})) for line, first in repeated]
