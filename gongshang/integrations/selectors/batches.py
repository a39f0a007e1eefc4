"""Reads of 交换批次 and their error rows (dead letters), scoped by the actor's 统筹区 and role."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from django.db.models import QuerySet

from gongshang.accounts.access import get_for, restrict
from gongshang.core.pii.masking import mask_bank_account, mask_id_number, mask_mobile, mask_name

from .. import adapters
from ..choices import BatchKind, BatchStatus, DeadLetterStatus, Direction, Partner
from ..models import DeadLetter, ExchangeBatch

BATCHES = ExchangeBatch.objects.select_related("created_by", "duplicate_of", "file")
DEAD_LETTERS = DeadLetter.objects.select_related("batch", "resolved_by")
# Statuses shown as still moving: the pages refresh themselves while a batch is in one of them.
UNFINISHED = frozenset({BatchStatus.RECEIVED, BatchStatus.PROCESSING})


@dataclass(frozen=True)
class UploadChoice:
    """One (partner, kind) pair a partner sends us, with the format versions its adapter reads."""

    partner: str
    kind: str
    partner_label: str
    kind_label: str
    format_versions: tuple[str, ...]

    @property
    def value(self) -> str:
        return f"{self.partner}/{self.kind}"


def upload_choices() -> list[UploadChoice]:
    """The pairs that have an adapter, in the order of the partner and kind lists."""
    partner_order = {value: i for i, value in enumerate(Partner.values)}
    kind_order = {value: i for i, value in enumerate(BatchKind.values)}
    pairs = sorted(adapters.INBOUND, key=lambda pair: (partner_order.get(pair[0], 99), kind_order.get(pair[1], 99)))
    labels_p, labels_k = dict(Partner.choices), dict(BatchKind.choices)
    return [UploadChoice(partner, kind, str(labels_p.get(partner, partner)), str(labels_k.get(kind, kind)),
                         tuple(adapters.INBOUND[partner, kind].format_versions)) for partner, kind in pairs]


def batch_list(*, actor, partner: str = "", kind: str = "", status: str = "", direction: str = "") -> QuerySet:
    """The region's batches the actor may see, newest first; unknown filter values are ignored."""
    qs = restrict(actor, BATCHES, "view")
    if partner in Partner.values:
        qs = qs.filter(partner=partner)
    if kind in BatchKind.values:
        qs = qs.filter(kind=kind)
    if status in BatchStatus.values:
        qs = qs.filter(status=status)
    if direction in Direction.values:
        qs = qs.filter(direction=direction)
    return qs.order_by("-created_at", "-pk")


def batch_get(*, actor, batch_id: int, action: str = "view") -> ExchangeBatch:
    """One batch: another 统筹区's answers 404, a role without `action` 403."""
    return get_for(actor, BATCHES, batch_id, action)


def dead_letter_list(*, actor, batch_id: int | None = None, status: str = DeadLetterStatus.OPEN) -> QuerySet:
    """Error rows of the region (open ones by default; status "" for all), oldest batch first."""
    qs = restrict(actor, DEAD_LETTERS, "view")
    if batch_id is not None:
        qs = qs.filter(batch_id=batch_id)
    if status in DeadLetterStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("batch_id", "row", "pk")


def dead_letter_get(*, actor, dead_letter_id: int, action: str = "view") -> DeadLetter:
    return get_for(actor, DEAD_LETTERS, dead_letter_id, action)


def error_rows(batch: ExchangeBatch):
    """Every error row of a batch for the download: (row, message, masked payload), in file order."""
    for dead_letter in DeadLetter.objects.filter(batch=batch).order_by("row", "pk").iterator(chunk_size=2000):
        yield dead_letter.row, dead_letter.message, payload_preview(dead_letter.payload)


def error_csv_lines(batch: ExchangeBatch):
    """The download of every error row as CSV text, a line at a time (UTF-8 with BOM so that Excel
    reads the Chinese): 行号, 错误原因, 原始行（已脱敏）."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield "\ufeff" + line(["行号", "错误原因", "原始行（已脱敏）"])
    for row, message, preview in error_rows(batch):
        yield line([row, _cell(message), _cell(preview)])


def _cell(text: str) -> str:
    """Partner text as a plain cell: a leading = + - @ would be run as a formula by Excel."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def error_csv_name(batch: ExchangeBatch) -> str:
    return f"交换批次{batch.pk}-错误明细.csv"


# --- masking the raw rows -------------------------------------------------------------------------------

ID_NUMBER = re.compile(r"^\d{17}[\dXx]$|^\d{15}$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
BANK_ACCOUNT = re.compile(r"^\d{12,19}$")
# Columns masked by their name whatever the value looks like (a mistyped ID number is still one).
KEY_MASKERS = (
    (("id_number", "身份证", "证件号"), mask_id_number),
    (("mobile", "phone", "手机", "电话"), mask_mobile),
    (("account", "账号", "卡号"), mask_bank_account),
    (("name", "姓名", "受领人", "死者", "患者"), mask_name),
)
NOT_PERSONAL = ("单位", "employer", "机构", "institution", "file", "文件")
PREVIEW_LENGTH = 300


# The same numbers inside free text or a raw line kept whole (ASCII letters or digits around them
# belong to another code, e.g. a 统一社会信用代码).
IN_TEXT = (
    (re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])"), mask_id_number),
    (re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])"), mask_mobile),
    (re.compile(r"(?<![0-9A-Za-z])\d{12,19}(?![0-9A-Za-z])"), mask_bank_account),
)
# A raw CSV line: its cells are masked one by one, a cell of 2 to 4 Chinese characters as a name.
CELL_DELIMITER = re.compile(r"([,\t|;])")
HAN_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")


def masked_numbers(text: str) -> str:
    """ID numbers, mobiles and bank accounts inside a text masked (an adapter's row message)."""
    for pattern, masker in IN_TEXT:
        text = pattern.sub(lambda m, masker=masker: masker(m.group(0)), text)
    return text


def _masked_text(text: str) -> str:
    if CELL_DELIMITER.search(text):
        text = "".join(mask_name(cell) if HAN_NAME.match(cell.strip()) else cell
                       for cell in CELL_DELIMITER.split(text))
    return masked_numbers(text)


def _masked(key, value) -> str:
    if isinstance(value, dict):  # nested records (JSON partners): each value by its own key
        return "，".join(f"{k}={v}" for k, v in ((k, _masked(k, v)) for k, v in value.items()) if v != "")
    if isinstance(value, list | tuple):
        return "，".join(v for v in (_masked(key, item) for item in value) if v != "")
    text = "" if value is None else str(value).strip()
    if not text:
        return text
    if ID_NUMBER.match(text):
        return mask_id_number(text)
    if MOBILE.match(text):
        return mask_mobile(text)
    lowered = str(key).lower()
    if not any(word in lowered for word in NOT_PERSONAL):
        for words, masker in KEY_MASKERS:
            if any(word in lowered for word in words):
                return masker(text)
    if BANK_ACCOUNT.match(text):
        return mask_bank_account(text)
    return _masked_text(text)


def masked_payload(payload: str) -> dict:
    """The raw row with ID numbers, mobiles, bank accounts and personal names masked (PIPL: a
    list shows no full personal data): by column name, by the value's shape, inside nested values
    and inside free text or a raw line the adapter kept whole."""
    try:
        data = json.loads(payload or "{}")
    except ValueError:
        return {"原始行": "（无法显示）"}
    if not isinstance(data, dict):
        data = {"原始行": data}
    return {str(key): _masked(key, value) for key, value in data.items()}


def payload_preview(payload: str) -> str:
    """One line for lists and downloads: "列名=值；…" masked, cut to a readable length."""
    text = "；".join(f"{key}={value}" for key, value in masked_payload(payload).items() if value != "")
    return text if len(text) <= PREVIEW_LENGTH else text[:PREVIEW_LENGTH] + "…"
