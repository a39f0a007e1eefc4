"""The province's files (省工伤保险信息系统): conclusions of 再次鉴定 and transfers between 统筹区.

Both are UTF-8 JSON documents (samples/province_conclusions_v1.json, samples/province_transfers_v1.json;
format: docs/exchange/province.md): an envelope naming the format, its version and the 统筹区 the file
is for, and a list `entries`. The province sends a handful of entries a month, each possibly with a
PDF inside, so the document is read whole (up to MAX_BYTES) rather than streamed. Entries are applied
one by one, each in a savepoint (services/province_answers.py): a failed entry is rolled back and
reported with its position (第 N 条, the `row` of the batch's errors), the others stand; an entry seen
before counts as a duplicate and changes nothing."""

import json

from django.db import transaction

from ..choices import BatchKind, Partner
from ..services import province_answers as answers
from . import FormatError, InboundAdapter, Outcome, RowError, register

MAX_BYTES = 64 * 1024 * 1024
FILE_HINT = "请按数据交换说明中的省级文件格式和样例文件核对。"


def load(stream, *, expected: str, batch, versions) -> list:
    """The entries of a province file, after checking its envelope (FormatError otherwise)."""
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise FormatError(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，请省级系统分批发送。")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(f"文件不是 UTF-8 编码的 JSON 文件。{FILE_HINT}") from exc
    if not isinstance(data, dict) or data.get("format") != expected:
        raise FormatError(f"文件的 format 应为“{expected}”，这不是该类省级文件。{FILE_HINT}")
    version = str(data.get("version") or "")
    if version not in versions or (batch.format_version and batch.format_version != version):
        raise FormatError(f"文件的格式版本“{version}”不受支持，支持的版本：{'、'.join(versions)}。")
    if str(data.get("region") or "") != batch.region:
        raise FormatError(f"该文件发往统筹区“{data.get('region')}”，不是本统筹区（{batch.region}），请勿导入。")
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise FormatError(f"文件缺少 entries 列表。{FILE_HINT}")
    return entries


def _kept(entry) -> dict:
    """The entry as the dead-letter list keeps it (encrypted there), without the PDF's bytes."""
    if not isinstance(entry, dict):
        return {"entry": str(entry)[:500]}
    kept = dict(entry)
    if isinstance(kept.get("document"), dict):
        kept["document"] = {**kept["document"], "content_base64": "（结论书内容已省略）"}
    return kept


def apply_entries(batch, entries: list, handler_for) -> Outcome:
    """Apply each entry in its own savepoint; count accepted, duplicate, and the errors by position."""
    outcome = Outcome(total=len(entries))
    counts: dict[str, int] = {}
    for row, entry in enumerate(entries, start=1):
        try:
            if not isinstance(entry, dict):
                raise answers.EntryError("该条不是 JSON 对象")
            kind, handler = handler_for(entry)
            with transaction.atomic():
                result = handler(batch, entry)
        except answers.EntryError as exc:
            outcome.errors.append(RowError(row=row, message=f"第 {row} 条：{exc.message}", payload=_kept(entry)))
            continue
        if result == answers.DUPLICATE:
            outcome.duplicate += 1
        else:
            outcome.accepted += 1
            counts[kind] = counts.get(kind, 0) + 1
    outcome.summary = counts
    return outcome


@register
class ProvinceConclusions(InboundAdapter):
    """省级再次鉴定结论: each entry is the provincial committee's conclusion on a 再次鉴定 package sent."""

    partner = Partner.PROVINCE
    kind = BatchKind.PROVINCE_CONCLUSIONS
    format_versions = ("1.0",)
    sample = "province_conclusions_v1.json"
    FORMAT = "province-conclusions"

    def process(self, batch, stream) -> Outcome:
        entries = load(stream, expected=self.FORMAT, batch=batch, versions=self.format_versions)
        return apply_entries(batch, entries, lambda entry: ("conclusions", answers.conclusion_apply))


TRANSFER_HANDLERS = {
    "transfer_in": ("transfers_in", answers.transfer_in_record),
    "confirmation": ("confirmations", answers.transfer_confirm),
}


def _transfer_handler(entry: dict):
    found = TRANSFER_HANDLERS.get(entry.get("type"))
    if found is None:
        raise answers.EntryError("type 应为 transfer_in（转入本统筹区）或 confirmation（转出确认）")
    return found


@register
class ProvinceTransfers(InboundAdapter):
    """跨统筹区转移: workers moving INTO this 统筹区 (transfer_in), and the confirmations that the
    target took over a worker whose package was sent OUT (confirmation)."""

    partner = Partner.PROVINCE
    kind = BatchKind.PROVINCE_TRANSFERS
    format_versions = ("1.0",)
    sample = "province_transfers_v1.json"
    FORMAT = "province-transfers"

    def process(self, batch, stream) -> Outcome:
        entries = load(stream, expected=self.FORMAT, batch=batch, versions=self.format_versions)
        return apply_entries(batch, entries, _transfer_handler)
