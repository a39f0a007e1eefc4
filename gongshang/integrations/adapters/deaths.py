"""死亡人员信息 from 民政 (殡葬、死亡登记) and 公安 (户籍注销): one CSV format, v1.0, both partners.

UTF-8 (a BOM is accepted), comma-separated, a header line naming the columns (any order):
`id_number` 身份证号, `name` 姓名, `death_date` 死亡日期 YYYY-MM-DD — required; `certificate_number`
死亡证明/火化证明编号 and `region` 登记地行政区划代码 — optional (the columns may be left out).
The file is read as a stream; each row is applied on its own (services/deaths.py: deaths are few),
and the file as a whole is idempotent: a death already recorded counts as `duplicate`.
Docs: docs/exchange/deaths.md; sample: samples/civil_affairs_deaths_v1.csv.
"""

from __future__ import annotations

import codecs
import csv
from datetime import date
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongshang.core import regions
from gongshang.core.validators import ascii_digits, birth_date_from_id, validate_id_number

from ..choices import BatchKind, DeathStatus, Partner
from . import FormatError, InboundAdapter, Outcome, RowError, register

REQUIRED = ("id_number", "name", "death_date")
OPTIONAL = ("certificate_number", "region")
COLUMNS = {"id_number": "身份证号", "name": "姓名", "death_date": "死亡日期", "certificate_number": "死亡证明/火化证明编号",
           "region": "登记地行政区划代码"}
NAME_MAX = 50
CERTIFICATE_MAX = 60
SAMPLE = "civil_affairs_deaths_v1.csv"
CHUNK = 64 * 1024
MAX_LINE = 64 * 1024  # a death row is under 200 bytes: a longer "line" is not this format


def _label(column: str) -> str:
    return f"{column}（{COLUMNS[column]}）"


def read_header(reader) -> list[str]:
    """The header's column names, checked: every required one present, nothing unknown or repeated."""
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError("文件是空的：第 1 行应为表头 id_number,name,death_date,certificate_number,region。") from None
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h not in COLUMNS]
    if unknown:
        raise FormatError(f"表头有约定之外的列：{'、'.join(unknown[:5])}。v1.0 格式的列为 "
                          "id_number、name、death_date（必填）和 certificate_number、region（可选）。")
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise FormatError("表头缺少必填列：" + "、".join(_label(c) for c in missing) + "。请按样例文件的表头核对。")
    if len(set(names)) != len(names):
        raise FormatError("表头有重复的列名，请每列只写一次。")
    return names


def _death_date(text: str, birth: date | None, today: date) -> date | str:
    """The date, or the Chinese reason it is refused."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        return f"{_label('death_date')}“{text[:20]}”不是有效日期，应为 YYYY-MM-DD，例如 2026-03-05"
    if day > today:
        return f"{_label('death_date')} {text} 晚于今天，请核对"
    if birth is not None and day < birth:
        return f"{_label('death_date')} {text} 早于身份证号中的出生日期，请核对"
    return day


def parse_row(values: dict, today: date):
    """A DeathRow, or the list of Chinese messages naming each bad column."""
    from ..services.deaths import DeathRow

    problems, birth = [], None
    id_number = values.get("id_number", "")
    try:
        id_number = validate_id_number(id_number, today=today)
        birth = birth_date_from_id(id_number)
    except ValidationError as exc:
        problems.append(f"{_label('id_number')}：{exc.messages[0]}")
    name = values.get("name", "")
    if not name:
        problems.append(f"{_label('name')}未填写")
    elif len(name) > NAME_MAX:
        problems.append(f"{_label('name')}超过 {NAME_MAX} 字，请核对")
    day = values.get("death_date", "")
    day = _death_date(day, birth, today) if day else f"{_label('death_date')}未填写，应为 YYYY-MM-DD"
    if isinstance(day, str):
        problems.append(day)
    certificate = values.get("certificate_number", "")
    if len(certificate) > CERTIFICATE_MAX:
        problems.append(f"{_label('certificate_number')}超过 {CERTIFICATE_MAX} 个字符，请核对")
    region = values.get("region", "")
    if region and not (len(region) == 6 and ascii_digits(region) and regions.is_valid_region(region)):
        problems.append(f"{_label('region')}“{region[:20]}”不是有效的 6 位行政区划代码（可不填）")
    if problems:
        return problems
    return DeathRow(id_number=id_number, name=name, death_date=day, certificate_number=certificate,
                    registered_region=region)


def _lines(stream: BinaryIO):
    """The file's text lines, decoded as they are read (a BOM dropped; the line ends kept for csv)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    pending = ""
    while chunk := stream.read(CHUNK):
        pending += decoder.decode(chunk)
        *lines, pending = pending.split("\n")
        if len(pending) > MAX_LINE:
            raise FormatError(f"文件中有超过 {MAX_LINE // 1024} KB 的一行，不是约定的死亡信息文件。")
        for line in lines:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _rows(stream: BinaryIO):
    """(row number, {column: value} or None, the raw cells) for each non-blank data row; the header
    is row 1."""
    reader = csv.reader(_lines(stream), strict=True)  # a stray quote must not swallow the rows after it
    try:
        names = read_header(reader)
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            raw = dict(zip(names, cells, strict=False))
            if len(cells) > len(names):
                yield number, None, {**raw, "（多出的列）": ",".join(cells[len(names):])}
                continue
            yield number, {n: c.strip() for n, c in raw.items()}, raw
    except UnicodeDecodeError:
        raise FormatError("文件不是 UTF-8 编码：请让报送方以 UTF-8（可带 BOM）导出 CSV 文件。") from None
    except csv.Error:
        raise FormatError("CSV 格式错误（含有不可见的控制字符，或引号不成对），请按样例文件核对引号和分隔符。") from None


class DeathsAdapter(InboundAdapter):
    """The one format; each partner's subclass only names itself (the record keeps the source)."""

    kind = BatchKind.DEATHS
    format_versions = ("1.0",)
    sample = SAMPLE

    def process(self, batch, stream: BinaryIO) -> Outcome:
        from ..services.deaths import death_apply, deaths_notify_staff

        outcome, today = Outcome(), timezone.localdate()
        statuses = {s: 0 for s in DeathStatus.values}
        for number, values, raw in _rows(stream):
            outcome.total += 1
            if values is None:
                outcome.errors.append(RowError(number, f"第 {number} 行的列数多于表头，请检查姓名等内容中是否有"
                                                       "未加引号的逗号", raw))
                continue
            row = parse_row(values, today)
            if isinstance(row, list):
                outcome.errors.append(RowError(number, f"第 {number} 行：" + "；".join(row), raw))
                continue
            applied = death_apply(batch=batch, row=row)
            if applied.outcome == "duplicate":
                outcome.duplicate += 1
            elif applied.outcome == "error":
                outcome.errors.append(RowError(number, f"第 {number} 行：{applied.message}", raw))
            else:
                outcome.accepted += 1
                statuses[applied.death.status] += 1
        deaths_notify_staff(region=batch.region, source=batch.partner, count=statuses[DeathStatus.APPLIED])
        outcome.summary = {"暂停待遇、待核实的人数": statuses[DeathStatus.APPLIED],
                           "无在享待遇的人数": statuses[DeathStatus.NO_BENEFITS],
                           "未匹配到参保人员的人数": statuses[DeathStatus.UNMATCHED]}
        return outcome


@register
class CivilAffairsDeaths(DeathsAdapter):
    partner = Partner.CIVIL_AFFAIRS


@register
class PublicSecurityDeaths(DeathsAdapter):
    partner = Partner.PUBLIC_SECURITY
