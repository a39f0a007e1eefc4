"""The deaths adapters (民政, 公安; CSV v1.0): the sample file, the header, row errors naming the
column, the file read as a stream, idempotency, the source recorded."""

import io
from datetime import date
from pathlib import Path

import pytest

from ..adapters import INBOUND, FormatError, adapter_for
from ..adapters import deaths as adapter
from ..choices import BatchKind, DeathStatus, Partner
from ..fakes import civil
from ..models import DeathRecord
from .factories_deaths import deaths_batch, process, report

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-01 10:00 +08:00")]


def test_both_partners_are_registered_with_one_format():
    civil_affairs = adapter_for(Partner.CIVIL_AFFAIRS, BatchKind.DEATHS)
    police = adapter_for(Partner.PUBLIC_SECURITY, BatchKind.DEATHS)
    assert isinstance(civil_affairs, adapter.DeathsAdapter) and isinstance(police, adapter.DeathsAdapter)
    assert civil_affairs.format_versions == police.format_versions == ("1.0",)
    assert (SAMPLES / civil_affairs.sample).is_file() and civil_affairs.sample == police.sample
    assert INBOUND[(Partner.PUBLIC_SECURITY, BatchKind.DEATHS)] is police


def test_the_sample_file_is_the_fake_partners_and_applies_cleanly():
    content = (SAMPLES / "civil_affairs_deaths_v1.csv").read_bytes()
    assert content == civil.sample_file()
    batch, outcome = process(content)
    assert (outcome.total, outcome.accepted, outcome.duplicate, outcome.rejected) == (4, 4, 0, 0)
    rows = DeathRecord.objects.order_by("death_date")
    assert [(d.name, d.death_date, d.batch, d.source) for d in rows] == [
        (d.name, d.death_date, batch, Partner.CIVIL_AFFAIRS) for d in civil.SAMPLE_DEATHS]
    assert {d.status for d in rows} == {DeathStatus.UNMATCHED}
    wang = rows.get(name="王建国")
    assert (wang.certificate_number, wang.effects["registered_region"]) == ("鲁青殡〔2026〕0815001号", "370203")
    # The same file again (or from 公安) changes nothing: every row a duplicate.
    _again, outcome = process(content, partner=Partner.PUBLIC_SECURITY)
    assert (outcome.total, outcome.accepted, outcome.duplicate) == (4, 0, 4)
    assert DeathRecord.objects.count() == 4 and not DeathRecord.objects.filter(source=Partner.PUBLIC_SECURITY)


def test_a_bom_crlf_optional_columns_left_out_and_blank_lines_are_fine():
    header = ("death_date", "name", "id_number")  # any order, optional columns absent
    content = civil.deaths_file([civil.ZHAO_DESHUN], bom=True, header=header) + b"\r\n ,, \r\n"
    _batch, outcome = process(content)
    assert (outcome.total, outcome.accepted, outcome.rejected) == (1, 1, 0)
    assert DeathRecord.objects.get().certificate_number == ""


@pytest.mark.parametrize(("content", "words"), [
    (b"", "文件是空的"),
    (b"id_number,name\n370202194511200035,x\n", "death_date（死亡日期）"),
    (b"id_number,name,death_date,age\n", "age"),
    (b"id_number,name,death_date,name\n", "重复"),
    ("id_number,name,death_date\n370202194511200035,赵德顺,2026-10-10\n".encode("gb18030"), "UTF-8"),
    (b"id_number,name,death_date\n370202194511200035,\"abc,2026-10-10\n", "引号"),
    (b"id_number,name,death_date\n" + b"x" * (70 * 1024), "KB"),
])
def test_a_file_not_in_the_format_is_refused_whole(content, words):
    batch = deaths_batch(content)
    with pytest.raises(FormatError) as exc:
        adapter_for(Partner.CIVIL_AFFAIRS, BatchKind.DEATHS).process(batch, io.BytesIO(content))
    assert words in exc.value.message
    assert "Error" not in exc.value.message and "Traceback" not in exc.value.message


@pytest.mark.parametrize(("row", "words"), [
    (civil.Death("37020219451120003X", "赵德顺", date(2026, 10, 10)), "id_number（身份证号）：身份证号校验位不正确"),
    (civil.Death("", "赵德顺", date(2026, 10, 10)), "id_number（身份证号）：请填写身份证号"),
    (civil.Death("370202194511200035", "", date(2026, 10, 10)), "name（姓名）未填写"),
    (civil.Death("370202194511200035", "赵" * 51, date(2026, 10, 10)), "name（姓名）超过 50 字"),
    (civil.Death("370202194511200035", "赵德顺", "2026/10/10"), "death_date（死亡日期）“2026/10/10”不是有效日期"),
    (civil.Death("370202194511200035", "赵德顺", "2026-02-30"), "不是有效日期"),
    (civil.Death("370202194511200035", "赵德顺", ""), "death_date（死亡日期）未填写"),
    (civil.Death("370202194511200035", "赵德顺", date(2026, 12, 2)), "晚于今天"),
    (civil.Death("370202194511200035", "赵德顺", date(1944, 1, 1)), "早于身份证号中的出生日期"),
    (civil.Death("370202194511200035", "赵德顺", date(2026, 10, 10), "证" * 61), "certificate_number（死亡证明/火化证明编号）"),
    (civil.Death("370202194511200035", "赵德顺", date(2026, 10, 10), region="999999"), "region（登记地行政区划代码）"),
])
def test_a_bad_row_is_an_error_naming_its_column_and_the_rest_goes_on(row, words):
    _batch, outcome = report(row, civil.ZHOU_LIPING)
    assert (outcome.total, outcome.accepted, outcome.rejected) == (2, 1, 1)
    error = outcome.errors[0]
    assert error.row == 2 and error.message.startswith("第 2 行：") and words in error.message
    assert error.payload["name"] == row.name  # the raw row, for the dead-letter list
    assert DeathRecord.objects.get().name == "周立平"


def test_several_problems_of_one_row_are_named_together():
    _batch, outcome = report(civil.Death("123", "", "tomorrow"))
    message = outcome.errors[0].message
    assert "id_number（身份证号）" in message and "name（姓名）" in message and "death_date（死亡日期）" in message


def test_a_row_with_more_cells_than_the_header():
    content = b"id_number,name,death_date\n370202194511200035,\xe8\xb5\xb5,\xe5\xbe\xb7\xe9\xa1\xba,2026-10-10\n"
    _batch, outcome = process(content)
    assert outcome.rejected == 1 and "列数多于表头" in outcome.errors[0].message
    assert not DeathRecord.objects.exists()


def test_the_file_is_read_in_chunks(monkeypatch):
    """A line split across reads is put back together (the stream is never read whole)."""
    monkeypatch.setattr(adapter, "CHUNK", 7)
    content = civil.deaths_file([civil.ZHAO_DESHUN, civil.ZHOU_LIPING], bom=True)
    _batch, outcome = process(content)
    assert (outcome.total, outcome.accepted) == (2, 2)
    assert set(DeathRecord.objects.values_list("name", flat=True)) == {"赵德顺", "周立平"}


def test_the_record_keeps_its_source_and_the_id_number_encrypted():
    report(civil.ZHAO_DESHUN, partner=Partner.PUBLIC_SECURITY)
    death = DeathRecord.objects.get()
    assert death.source == Partner.PUBLIC_SECURITY and death.id_number == civil.ZHAO_DESHUN.id_number
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number FROM {DeathRecord._meta.db_table}")  # noqa: S608
        assert civil.ZHAO_DESHUN.id_number not in cursor.fetchone()[0]
