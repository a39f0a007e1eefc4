"""目录导入: one CatalogueImport per uploaded file, all its rows or none.

Each row is checked (rules/catalogue_rows.py); the file as a whole too (catalogue_files.py). A code
already listed with an open version (no 失效日期) is closed the day before a new version's 生效日期;
a new version must start after the last one and must not overlap a closed one. Row errors are kept
on the import (row number, column, Chinese message) for the result page and the error list.
"""

import hashlib
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from gongshang.accounts.access import require
from gongshang.core.audit import record_event
from gongshang.core.errors import FieldErrors
from gongshang.registry.imports.problems import SheetProblem

from ..catalogue_files import read_catalogue
from ..choices import CatalogueKind, EventType, ImportStatus
from ..models import CatalogueImport, CatalogueItem
from ..rules.catalogue_rows import clean_row, header_label

MAX_KEPT_ERRORS = 1000
ITEM_FIELDS = ("code", "name", "specification", "unit", "price_cap", "price_class", "work_injury_only",
               "frequency_limit", "frequency_days", "service_life_months", "valid_from", "valid_to")
# Only the national 药品目录 exists nationally; every other catalogue is the 统筹区's.
NATIONAL_KINDS = frozenset({CatalogueKind.DRUG})


def _error(row, field, message) -> dict:
    return {"row": row, "column": header_label(field) if field else "", "message": str(message)}


def _check_versions(clean: list[tuple[int, dict]], region: str, kind: str) -> list[dict]:
    """Version errors; fills each row's `close` (the existing open version it ends) when it has one."""
    errors = []
    by_code = defaultdict(list)
    for number, values in clean:
        by_code[values["code"]].append((number, values))
    existing = defaultdict(list)
    for item in CatalogueItem.objects.filter(region=region, kind=kind, code__in=list(by_code)).order_by("valid_from"):
        existing[item.code].append(item)
    for code, rows in by_code.items():
        rows.sort(key=lambda pair: pair[1]["valid_from"])
        latest = existing[code][-1] if existing[code] else None
        previous = None  # (number, values) of the file's earlier version of this code
        for number, values in rows:
            start = values["valid_from"]
            if previous is not None:
                before = previous[1]
                if before["valid_from"] == start:
                    errors.append(_error(number, "valid_from", f"医保编码 {code} 在第 {previous[0]} 行已有"
                                                               f"相同生效日期 {start:%Y-%m-%d} 的版本，请删除重复行"))
                elif before["valid_to"] is None:
                    before["valid_to"] = start - timedelta(days=1)
                elif before["valid_to"] >= start:
                    errors.append(_error(number, "valid_from", f"医保编码 {code} 的有效期与第 {previous[0]} 行重叠，"
                                                               "请核对生效日期和失效日期"))
            elif latest is not None:
                if start <= latest.valid_from:
                    errors.append(_error(number, "valid_from", f"医保编码 {code} 已有 {latest.valid_from:%Y-%m-%d} "
                                                               "生效的版本；新版本的生效日期须晚于它"))
                elif latest.valid_to is None:
                    values["close"] = latest
                elif latest.valid_to >= start:
                    errors.append(_error(number, "valid_from", f"医保编码 {code} 已有版本有效至 "
                                                               f"{latest.valid_to:%Y-%m-%d}，新版本的生效日期须晚于该日"))
            previous = (number, values)
    return errors


def catalogue_import(*, actor, data: bytes, file_name: str, kind: str, national: bool = False) -> CatalogueImport:
    """Import one catalogue file of `kind` for the actor's 统筹区 (or, `national`, the national
    药品目录). Always returns the CatalogueImport: status done with its rows, or failed with errors."""
    require(actor, "medical_catalogue", "import")
    if kind not in CatalogueKind.values:
        raise FieldErrors({"kind": "请选择目录类别：药品、诊疗项目、医用耗材、住院服务标准、辅助器具或康复项目"})
    if national and kind not in NATIONAL_KINDS:
        raise FieldErrors({"national": "只有药品目录是全国目录；其他目录请按本统筹区导入"})
    if national and actor.jurisdiction != settings.MEDICAL_NATIONAL_CATALOGUE_REGION:
        # The national list applies to every 统筹区: one agency keeps it, not each city.
        raise FieldErrors({"national": "全国药品目录由平台所在统筹区统一导入；请按本统筹区导入地区目录"})
    region = "" if national else actor.jurisdiction
    record = CatalogueImport(region=actor.jurisdiction, kind=kind, file_name=(file_name or "")[:200],
                             sha256=hashlib.sha256(data or b"").hexdigest(), created_by=actor)
    try:
        rows, _fmt = read_catalogue(data or b"")
    except SheetProblem as problem:
        return _finish(record, actor, total=0, errors=[{"row": problem.row, "column": "", "message": problem.message}],
                       national=national)
    errors, clean = [], []
    for number, raw in rows:
        values, problems = clean_row(raw, kind)
        if problems:
            errors.extend(_error(number, field, message) for field, message in problems)
        else:
            clean.append((number, values))
    if not errors:
        errors = _check_versions(clean, region, kind)
    if errors:
        return _finish(record, actor, total=len(rows), errors=errors, national=national)
    with transaction.atomic():
        record.status = ImportStatus.DONE
        record.total = record.accepted = len(clean)
        record.save()
        closing = []
        for _number, values in clean:
            if (old := values.get("close")) is not None:
                old.valid_to = values["valid_from"] - timedelta(days=1)
                closing.append(old)
        CatalogueItem.objects.bulk_update(closing, ["valid_to"], batch_size=1000)
        CatalogueItem.objects.bulk_create(
            [CatalogueItem(region=region, kind=kind, source_import=record,
                           **{name: values[name] for name in ITEM_FIELDS}) for _number, values in clean],
            batch_size=1000)
        record_event(actor=actor, event_type=EventType.CATALOGUE_IMPORTED, target=record, region=actor.jurisdiction,
                     details={"kind": kind, "national": national, "rows": len(clean), "closed": len(closing),
                              "file": record.file_name})
    return record


def _finish(record, actor, *, total: int, errors: list, national: bool) -> CatalogueImport:
    record.status = ImportStatus.FAILED
    record.total = total
    record.accepted = 0
    record.errors = errors[:MAX_KEPT_ERRORS]
    with transaction.atomic():
        record.save()
        record_event(actor=actor, event_type=EventType.CATALOGUE_IMPORTED, target=record, region=actor.jurisdiction,
                     details={"kind": record.kind, "national": national, "rows": 0, "errors": len(errors),
                              "file": record.file_name})
    return record


def error_csv(record: CatalogueImport) -> bytes:
    """The error list as a CSV Excel opens in Chinese (UTF-8 with BOM): 行号, 列, 错误说明."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["行号", "列", "错误说明"])
    for error in record.errors:
        message = error.get("message", "")
        if message[:1] in ("=", "+", "-", "@"):
            message = "'" + message
        writer.writerow([error.get("row") or "", error.get("column", ""), message])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
