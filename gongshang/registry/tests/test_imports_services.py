"""Roster batch import: validation, modes, duplicates, bad files, atomicity, audit events."""

import io
from unittest import mock

import pytest
from openpyxl import load_workbook

from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.storage import open_stored
from gongshang.core.models import AuditEvent
from gongshang.core.pii.crypto import blind_index
from gongshang.registry.choices import ChangeStatus, ImportStatus
from gongshang.registry.imports import reader, services
from gongshang.registry.imports.services import roster_import_run, roster_import_start
from gongshang.registry.models import EnrolmentChange, RosterImport
from gongshang.registry.tests.factories import EnrolmentFactory, InsuredPersonFactory, valid_id_number
from gongshang.registry.tests.imports_helpers import (
    add_row,
    header_row,
    inline_cell,
    raw_xlsx,
    reduce_row,
    sheet_bytes,
    this_month,
    upload,
)

pytestmark = pytest.mark.django_db


def start(actor, rows=None, *, data=None, direction="add", mode="all_or_nothing", name="增员名单.xlsx"):
    data = data if data is not None else sheet_bytes(rows, direction=direction)
    return roster_import_start(actor=actor, uploaded_file=upload(data, name), direction=direction, mode=mode)


def test_valid_sheet_creates_pending_changes(employer_user_a, employer_a):
    result = start(employer_user_a, [add_row(i) for i in range(3)])
    assert (result.status, result.total, result.accepted, result.rejected) == (ImportStatus.SUCCEEDED, 3, 3, 0)
    changes = EnrolmentChange.objects.filter(roster_import=result)
    assert changes.count() == 3
    change = changes.get(name="职工一")
    assert change.id_number == valid_id_number(1)
    assert (change.status, change.kind, change.direction, change.employer, change.created_by) == (
        ChangeStatus.PENDING, "add_new", "add", employer_a, employer_user_a)
    assert (change.household_type, change.identity, str(change.declared_wage)) == ("urban", "employee", "6800.00")
    assert result.error_file is None and result.errors == [] and result.processed == 3
    assert EnrolmentChange.objects.get(id_number_index=blind_index(valid_id_number(2))).name == "职工二"
    assert change.created_at is not None and change.person is None and change.reject_reason == ""


def test_all_or_nothing_with_one_bad_row_writes_nothing(employer_user_a):
    rows = [add_row(1), add_row(2, 身份证号="370202198001010001"), add_row(3)]
    result = start(employer_user_a, rows)
    assert (result.status, result.accepted, result.rejected) == (ImportStatus.REJECTED, 0, 1)
    assert EnrolmentChange.objects.count() == 0
    assert result.errors == [{"row": 3, "column": "身份证号",
                              "message": "第 3 行“身份证号”：身份证号校验位不正确，请核对最后一位"}]


def test_valid_rows_mode_imports_the_good_rows(employer_user_a):
    rows = [add_row(1), add_row(2, 姓名=""), add_row(3, 险种="工商保险")]
    result = start(employer_user_a, rows, mode="valid_rows")
    assert (result.status, result.accepted, result.rejected) == (ImportStatus.SUCCEEDED, 1, 2)
    assert list(EnrolmentChange.objects.values_list("name", flat=True)) == ["职工一"]
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "姓名"), (4, "险种")]
    assert "可填：工伤保险" in result.errors[1]["message"]


def test_duplicate_reported_on_second_occurrence_with_first_row(employer_user_a):
    rows = [add_row(1), add_row(2), add_row(1, 姓名="职工一")]
    result = start(employer_user_a, rows, mode="valid_rows")
    assert result.accepted == 2
    assert result.errors == [{"row": 4, "column": "身份证号",
                              "message": "第 4 行“身份证号”：与第 2 行重复（同一人员的同一险种只能填写一行），请删除其中一行。"}]


def test_same_person_other_insurance_type_is_not_a_duplicate(employer_user_a):
    result = start(employer_user_a, [add_row(1), add_row(1, 险种="失业保险")])
    assert result.accepted == 2


def test_registry_checks_already_enrolled_and_not_enrolled(employer_user_a, zhang_wei):
    additions = start(employer_user_a, [add_row(1, 身份证号=zhang_wei.id_number, 姓名="张伟")], mode="valid_rows")
    assert additions.errors[0]["message"].endswith("该人员在本单位已是参保缴费状态，无需增员。")
    stranger = valid_id_number(77)
    reductions = start(employer_user_a, [reduce_row(zhang_wei.id_number, "张伟"), reduce_row(stranger, "路人")],
                       direction="reduce", mode="valid_rows", name="减员.xlsx")
    assert (reductions.accepted, reductions.rejected) == (1, 1)
    assert reductions.errors[0]["row"] == 3
    change = EnrolmentChange.objects.get(roster_import=reductions)
    assert (change.kind, change.direction, change.person) == ("reduce_terminate", "reduce", zhang_wei)


def test_every_problem_of_a_row_is_reported_in_the_list_and_the_error_copy(employer_user_a, zhang_wei):
    row = add_row(1, 身份证号=zhang_wei.id_number, 姓名="李四", 手机号="12345", 生效月份="2020-01")
    result = start(employer_user_a, [add_row(2), row])
    assert result.rejected == 1
    assert [(e["row"], e["column"]) for e in result.errors] == [
        (3, "手机号"), (3, "生效月份"), (3, "姓名"), (3, "身份证号")]
    assert "补缴" in result.errors[1]["message"] and "不一致" in result.errors[2]["message"]
    assert result.errors[3]["message"].endswith("该人员在本单位已是参保缴费状态，无需增员。")
    with open_stored(result.error_file) as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.values)
    note = rows[2][-1]
    positions = [note.index(f"{column}：") for column in ("手机号", "生效月份", "姓名", "身份证号")]
    assert positions == sorted(positions) and "已是参保缴费状态" in note


def test_pending_change_blocks_a_second_declaration(employer_user_a):
    start(employer_user_a, [add_row(1)])
    again = start(employer_user_a, [add_row(1)])
    assert again.status == ImportStatus.REJECTED
    assert "待确认" in again.errors[0]["message"]


def test_effective_month_and_kind_direction_checked(employer_user_a):
    rows = [add_row(1, 生效月份="2020-01"), add_row(2, 异动类型="终止参保"), add_row(3, 生效月份="十一月")]
    result = start(employer_user_a, rows, mode="valid_rows")
    assert [e["column"] for e in result.errors] == ["生效月份", "异动类型", "生效月份"]
    assert "补缴" in result.errors[0]["message"]
    assert "增员报盘只能填写" in result.errors[1]["message"]


def test_id_number_stored_as_float_is_explained(employer_user_a):
    result = start(employer_user_a, [add_row(1, 身份证号=float(valid_id_number(1)))], mode="valid_rows")
    assert result.rejected == 1
    assert "文本" in result.errors[0]["message"] and result.errors[0]["column"] == "身份证号"
    assert len(result.errors) == 1


def test_id_number_float_without_lost_digits_is_accepted(employer_user_a):
    from datetime import date, timedelta

    from stdnum.cn import ric

    day = date(1990, 1, 1)
    while ric.calc_check_digit(f"370202{day:%Y%m%d}1000") != "0":  # 15 significant digits, then 000
        day += timedelta(days=1)
    number = f"370202{day:%Y%m%d}1000"
    result = start(employer_user_a, [add_row(1, 身份证号=float(number))])
    assert result.accepted == 1, result.errors
    assert EnrolmentChange.objects.get().id_number == number


def test_mobile_and_month_typed_as_numbers_and_dates_are_read(employer_user_a):
    from datetime import date

    month = date.fromisoformat(this_month() + "-01")
    result = start(employer_user_a, [add_row(1, 手机号=13900000001, 生效月份=month, 申报缴费工资=6800.5)])
    assert result.accepted == 1
    change = EnrolmentChange.objects.get()
    assert (change.mobile, change.effective_month, str(change.declared_wage)) == ("13900000001", month, "6800.50")


def test_header_row_may_follow_a_title_and_columns_may_move(employer_user_a):
    headers = ["身份证号", "姓名", "异动类型", "险种", "生效月份", "备注"]
    data = sheet_bytes([add_row(1)], headers=headers, leading_rows=[["某某公司增员名单"]])
    result = start(employer_user_a, data=data)
    assert result.accepted == 1


def test_blank_rows_are_skipped_and_row_numbers_stay_excel_rows(employer_user_a):
    result = start(employer_user_a, [add_row(1), {}, {}, add_row(2, 姓名="")], mode="valid_rows")
    assert (result.total, result.accepted) == (2, 1)
    assert result.errors[0]["row"] == 5


def test_error_copy_has_error_column(employer_user_a):
    result = start(employer_user_a, [add_row(1), add_row(2, 姓名="")])
    with open_stored(result.error_file) as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.values)
    assert rows[0][-1] == "错误说明"
    assert rows[1][3] == valid_id_number(1) and rows[1][-1] is None
    assert rows[2][-1] == "姓名：请填写姓名。"


def test_valid_rows_error_copy_has_only_rejected_rows_with_source_row(employer_user_a):
    result = start(employer_user_a, [add_row(1), add_row(2, 姓名="")], mode="valid_rows")
    with open_stored(result.error_file) as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.values)
    assert rows[0][-2:] == ("原行号", "错误说明")
    assert len(rows) == 2 and rows[1][-2] == 3


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "0 字节"),
    (b"%PDF-1.4 not a sheet" * 20, ".xlsx"),
    (b"PK\x03\x04" + b"\x00" * 300, "不是有效的 Excel 工作簿"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"), "密码"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 300, ".xls"),
])
def test_bad_files_are_refused_with_a_chinese_message(employer_user_a, data, fragment):
    with pytest.raises(DomainError) as caught:
        start(employer_user_a, data=data)
    assert fragment in caught.value.message
    assert RosterImport.objects.count() == 0


def test_corrupt_zip_from_a_real_workbook_is_refused(employer_user_a):
    data = sheet_bytes([add_row(1)])
    with pytest.raises(DomainError) as caught:
        start(employer_user_a, data=data[: len(data) // 2])
    assert "损坏" in caught.value.message


@pytest.mark.parametrize(("data_builder", "fragment"), [
    (lambda: sheet_bytes([], headers=["姓名", "电话"]), "缺少必填列：异动类型、险种、生效月份、身份证号"),
    (lambda: sheet_bytes([]), "只有表头"),
    (lambda: sheet_bytes([], headers=[""], title="Sheet1"), "是空的"),
    (lambda: sheet_bytes([reduce_row(valid_id_number(1), "甲")], direction="reduce"), "上传的是减员模板"),
])
def test_sheet_level_problems_reject_the_import(employer_user_a, data_builder, fragment):
    result = start(employer_user_a, data=data_builder())
    assert result.status == ImportStatus.REJECTED
    assert fragment in result.failure_message
    assert fragment in result.errors[0]["message"]
    assert EnrolmentChange.objects.count() == 0


def test_row_limit(employer_user_a, settings):
    settings.ROSTER_IMPORT_MAX_ROWS = 2
    result = start(employer_user_a, [add_row(i) for i in range(3)])
    assert result.status == ImportStatus.REJECTED
    assert "上限 2 行" in result.failure_message
    assert EnrolmentChange.objects.count() == 0


def test_file_size_limit(employer_user_a, settings):
    settings.ROSTER_IMPORT_MAX_BYTES = 1000
    with pytest.raises(DomainError) as caught:
        start(employer_user_a, [add_row(1)])
    assert caught.value.status == 413


def test_options_are_checked(employer_user_a):
    with pytest.raises(FieldErrors) as caught:
        roster_import_start(actor=employer_user_a, uploaded_file=upload(sheet_bytes([add_row(1)])),
                            direction="sideways", mode="some")
    assert set(caught.value.errors) == {"kind", "mode"}


def test_exception_mid_way_writes_nothing(employer_user_a):
    from gongshang.registry.imports import bulkinsert

    real = bulkinsert._prepared
    calls = []

    def failing(row, steps):
        calls.append(row)
        if len(calls) == 4:  # the second batch of two, after the first batch was inserted
            raise RuntimeError("disk full")
        return real(row, steps)

    with mock.patch.object(services, "INSERT_BATCH", 2), mock.patch.object(bulkinsert, "_prepared", failing):
        result = start(employer_user_a, [add_row(i) for i in range(5)])
    assert result.status == ImportStatus.FAILED
    assert "未导入任何数据" in result.failure_message and f"{result.pk}" in result.failure_message
    assert EnrolmentChange.objects.count() == 0
    assert len(calls) == 4


def test_large_file_is_queued_and_run_by_the_task(employer_user_a, settings, django_capture_on_commit_callbacks):
    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 0
    with mock.patch.object(services, "enqueue") as enqueue, django_capture_on_commit_callbacks(execute=True):
        queued = start(employer_user_a, [add_row(1)])
    assert queued.status == ImportStatus.QUEUED
    enqueue.assert_called_once_with(queued.pk)
    from gongshang.registry.imports.tasks import run_roster_import

    assert run_roster_import.call(queued.pk) == ImportStatus.SUCCEEDED
    assert roster_import_run(queued.pk).accepted == 1  # a second run changes nothing
    assert EnrolmentChange.objects.count() == 1


def test_enqueue_failure_is_logged_not_raised():
    task = mock.Mock()
    task.enqueue.side_effect = ConnectionError("redis down")
    with mock.patch("gongshang.registry.imports.tasks.run_roster_import", task):
        assert services.enqueue(123) is False


def test_audit_events_for_upload_and_finish(employer_user_a):
    result = start(employer_user_a, [add_row(1)])
    events = AuditEvent.objects.filter(target_id=str(result.pk), target_type="registry.rosterimport")
    assert set(events.values_list("event_type", flat=True)) == {"registry.import_uploaded",
                                                                "registry.import_finished"}
    finished = events.get(event_type="registry.import_finished")
    assert finished.details["accepted"] == 1 and finished.region == "370200"


def test_existing_person_is_linked(employer_user_a, employer_b):
    person = InsuredPersonFactory(id_number=valid_id_number(5), name="王五")
    EnrolmentFactory(person=person, employer=employer_b, status="terminated")
    result = start(employer_user_a, [add_row(5, 姓名="王五", 异动类型="调入")])
    assert result.accepted == 1
    assert EnrolmentChange.objects.get().person == person


def test_progress_is_written_per_chunk(employer_user_a):
    seen = []
    real = services._progress

    def spy(import_id, **values):
        seen.append(values)
        real(import_id, **values)

    with mock.patch.object(services, "CHUNK_ROWS", 2), mock.patch.object(services, "_progress", spy):
        result = start(employer_user_a, [add_row(i) for i in range(5)])
    assert [v.get("processed") for v in seen] == [None, 2, 4, 5]
    assert seen[0] == {"total": 5}
    assert (result.processed, result.total) == (5, 5)


HOSTILE = {
    "xfd1048576": (lambda: raw_xlsx('<row r="1048576">' + inline_cell("XFD1048576", "x") + "</row>"),
                   "sheet_too_large", "XFD1048576"),
    "lying_dimension": (lambda: raw_xlsx(header_row() + '<row r="1048576">' + inline_cell("XFD1048576", "x")
                                         + "</row>", dimension="A1:I1"), "sheet_too_large", "XFD1048576"),
    "cell_40000": (lambda: raw_xlsx(header_row() + '<row r="2">' + inline_cell("E2", "名" * 40_000) + "</row>"),
                   "cell_too_long", "32767"),
    "zip_bomb": (lambda: raw_xlsx(header_row() + " " * (3 * 1024 * 1024)), "sheet_too_large", "解压后"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_sheets_are_refused_at_upload_before_calamine(employer_user_a, case):
    build, code, fragment = HOSTILE[case]
    data = build()
    assert len(data) < 100_000
    with mock.patch.object(reader, "CalamineWorkbook") as calamine, pytest.raises(DomainError) as caught:
        start(employer_user_a, data=data)
    calamine.from_filelike.assert_not_called()
    assert (caught.value.code, caught.value.status) == (code, 422)
    assert fragment in caught.value.message
    assert caught.value.details == [{"field": "file", "message": caught.value.message}]
    assert RosterImport.objects.count() == 0


def test_hostile_sheet_already_queued_is_rejected_by_the_task_before_calamine(employer_user_a, settings,
                                                                               django_capture_on_commit_callbacks):
    """A file stored before the checks existed (or by any other way in): the worker checks too."""
    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 0
    build, _code, fragment = HOSTILE["lying_dimension"]
    with mock.patch.object(services, "_precheck"), mock.patch.object(services, "enqueue"), \
            django_capture_on_commit_callbacks(execute=True):
        queued = start(employer_user_a, data=build())
    from gongshang.registry.imports.tasks import run_roster_import

    with mock.patch.object(reader, "CalamineWorkbook") as calamine:
        assert run_roster_import.call(queued.pk) == ImportStatus.REJECTED
    calamine.from_filelike.assert_not_called()
    queued.refresh_from_db()
    assert fragment in queued.failure_message and "超出单次导入的范围" in queued.failure_message
    assert EnrolmentChange.objects.count() == 0


def failed_import(actor, rows=None) -> RosterImport:
    with mock.patch.object(services, "_insert_changes", side_effect=RuntimeError("disk full")):
        result = start(actor, rows or [add_row(1)])
    assert result.status == ImportStatus.FAILED
    return result


def test_a_failed_import_can_be_processed_again(employer_user_a):
    failed = failed_import(employer_user_a)
    retried = services.roster_import_retry(actor=employer_user_a, import_id=failed.pk)
    assert (retried.status, retried.accepted, retried.attempts, retried.failure_message) == (
        ImportStatus.SUCCEEDED, 1, 2, "")
    event = AuditEvent.objects.get(target_id=str(failed.pk), event_type="registry.import_retried")
    assert event.actor == employer_user_a and event.details == {"from": "failed", "to": "queued", "previous_attempts": 1}


def test_retry_only_of_failed_imports_and_at_most_three_attempts(employer_user_a, employer_user_b):
    succeeded = start(employer_user_a, [add_row(2)])
    with pytest.raises(DomainError) as caught:
        services.roster_import_retry(actor=employer_user_a, import_id=succeeded.pk)
    assert (caught.value.status, caught.value.code) == (409, "import_not_retryable")
    failed = failed_import(employer_user_a)
    with pytest.raises(DomainError) as caught:
        services.roster_import_retry(actor=employer_user_b, import_id=failed.pk)
    assert caught.value.status == 404
    with mock.patch.object(services, "_insert_changes", side_effect=RuntimeError("disk full")):
        for _attempt in (2, 3):
            assert services.roster_import_retry(actor=employer_user_a, import_id=failed.pk).status == "failed"
    with pytest.raises(DomainError) as caught:
        services.roster_import_retry(actor=employer_user_a, import_id=failed.pk)
    assert caught.value.status == 409
    assert "已处理 3 次仍未完成" in caught.value.message and f"批次号 {failed.pk}" in caught.value.message


def test_retry_of_a_large_file_goes_to_the_queue(employer_user_a, settings, django_capture_on_commit_callbacks):
    failed = failed_import(employer_user_a)
    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 0
    with mock.patch.object(services, "enqueue") as enqueue, django_capture_on_commit_callbacks(execute=True):
        queued = services.roster_import_retry(actor=employer_user_a, import_id=failed.pk)
    assert (queued.status, queued.total, queued.errors, queued.finished_at) == (ImportStatus.QUEUED, 0, [], None)
    enqueue.assert_called_once_with(failed.pk)


class PanicException(BaseException):
    """Stands in for pyo3's PanicException: calamine's Rust panics are BaseExceptions."""


@pytest.mark.parametrize("where", ["open", "rows"])
def test_a_calamine_panic_is_a_sheet_problem_not_a_500(employer_user_a, where):
    data = sheet_bytes([add_row(1)])
    real = reader.CalamineWorkbook.from_filelike

    def panicking(source):
        if where == "open":
            raise PanicException("index out of bounds")
        book = real(source)
        sheet = book.get_sheet_by_name(book.sheet_names[0])

        def rows():
            raise PanicException("index out of bounds")
            yield  # pragma: no cover

        fake_sheet = mock.Mock(start=sheet.start, height=sheet.height, iter_rows=rows)
        return mock.Mock(sheet_names=book.sheet_names, get_sheet_by_name=lambda name: fake_sheet)

    with mock.patch.object(reader.CalamineWorkbook, "from_filelike", side_effect=panicking):
        if where == "open":
            with pytest.raises(DomainError) as caught:
                start(employer_user_a, data=data)
            assert caught.value.status == 400 and "无法读取" in caught.value.message
            assert RosterImport.objects.count() == 0
        else:
            with pytest.raises(reader.SheetProblem, match="无法读取"):
                list(reader.open_sheet(io.BytesIO(data), "add").rows)
