"""Test helpers of the exchange mechanism: a fake partner adapter registered only while a test
runs (so these tests do not depend on the real partners' adapters), uploads, and the 数据交换管理员.

The fake partner sends CSV `ref,name,id_number` (UTF-8). It "applies" a row by recording an audit
event with its `ref` (a database write inside the batch's transaction, so a rollback shows), counts a
ref applied by an earlier batch as a duplicate, and refuses an ID number that is not 18 characters.
A row whose ref is `boom` raises an unexpected error after the rows before it were applied.
"""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.core.audit import record_event
from gongshang.core.models import AuditEvent

from ..adapters import INBOUND, FormatError, InboundAdapter, Outcome, RowError
from ..choices import BatchKind, Partner

FAKE_PARTNER, FAKE_KIND = Partner.TAX.value, BatchKind.CONTRIBUTIONS.value
APPLIED = "test.exchange_row_applied"
HEADER = ["ref", "name", "id_number"]
GOOD_ID = "370202198803151237"


class FakeAdapter(InboundAdapter):
    partner = FAKE_PARTNER
    kind = FAKE_KIND
    format_versions = ("1.0", "1.1")

    def process(self, batch, stream) -> Outcome:
        lines = stream.read().decode("utf-8-sig").splitlines()
        rows = csv.reader(lines)
        if next(rows, None) != HEADER:
            raise FormatError("第 1 行表头应为“ref,name,id_number”，请让交换方按约定格式重新导出。")
        outcome = Outcome()
        seen = set(AuditEvent.objects.filter(event_type=APPLIED, region=batch.region)
                   .values_list("details__ref", flat=True))
        for number, row in enumerate(rows, start=2):
            if not any(row):
                continue
            outcome.total += 1
            payload = dict(zip(HEADER, row, strict=False))
            if row[0] == "boom":
                raise RuntimeError("the fake partner's unexpected error")
            if len(row) != 3 or len(row[2]) != 18:
                outcome.errors.append(RowError(number, "“id_number”列：身份证号应为 18 位，请交换方核对后重新报送。",
                                               payload))
                continue
            if row[0] in seen:
                outcome.duplicate += 1
                continue
            seen.add(row[0])
            record_event(actor=None, event_type=APPLIED, target=batch, region=batch.region, details={"ref": row[0]})
            outcome.accepted += 1
        outcome.summary = {"新增记录": outcome.accepted}
        return outcome


@contextmanager
def registered(adapter_class=FakeAdapter):
    """Register `adapter_class` for its (partner, kind) while the block runs; the real one after."""
    adapter = adapter_class()
    key = (adapter.partner, adapter.kind)
    previous = INBOUND.get(key)
    INBOUND[key] = adapter
    try:
        yield adapter
    finally:
        if previous is None:
            INBOUND.pop(key, None)
        else:
            INBOUND[key] = previous


@pytest.fixture
def fake_partner():
    with registered() as adapter:
        yield adapter


@pytest.fixture
def exchange_admin(db):
    """数据交换管理员 of 370200 (青岛)."""
    return StaffUserFactory(roles=[StaffRole.EXCHANGE], jurisdiction="370200", display_name="杨交换")


@pytest.fixture
def other_exchange_admin(db):
    """数据交换管理员 of 370700 (潍坊): another 统筹区."""
    return StaffUserFactory(roles=[StaffRole.EXCHANGE], jurisdiction="370700", display_name="潍坊交换")


def csv_bytes(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(content: bytes, name: str = "rows.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


# Two good rows and one with a short ID number (row 4 of the file).
MIXED = csv_bytes([["A1", "张伟", GOOD_ID], ["A2", "李娜", "370211199207084569"], ["A3", "王芳", "3702"]])


def applied_refs(region: str = "370200") -> list[str]:
    return sorted(AuditEvent.objects.filter(event_type=APPLIED, region=region).values_list("details__ref", flat=True))
