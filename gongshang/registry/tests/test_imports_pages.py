"""Pages of the batch import: upload form, result, progress poll, downloads, scoping; the template."""

import io
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from gongshang.registry.choices import ImportStatus
from gongshang.registry.imports import leases, services
from gongshang.registry.imports.template import build_template
from gongshang.registry.models import EnrolmentChange, RosterImport
from gongshang.registry.tests.factories import valid_id_number
from gongshang.registry.tests.imports_helpers import (
    add_row,
    header_row,
    inline_cell,
    raw_xlsx,
    sheet_bytes,
    this_month,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer_client(client, employer_user_a):
    client.force_login(employer_user_a)
    return client


def submit(client, data, *, kind="add", mode="all_or_nothing"):
    return client.post(reverse("registry:import_new"), {"kind": kind, "mode": mode, "file": upload(data)})


def test_list_and_new_pages_render(employer_client):
    page = employer_client.get(reverse("registry:import_list")).content.decode()
    assert 'id="template-add"' in page and 'id="import-new-link"' in page
    form = employer_client.get(reverse("registry:import_new")).content.decode()
    for marker in ('id="import-form"', 'name="kind"', 'name="mode"', 'id="id_file"', 'id="import-submit"',
                   "全部正确才导入", "只导入正确的行"):
        assert marker in form


def test_upload_with_errors_shows_rows_and_error_copy(employer_client):
    response = submit(employer_client, sheet_bytes([add_row(1), add_row(2, 身份证号="12345"), add_row(3, 姓名="")]))
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_detail", args=[roster_import.pk])
    page = employer_client.get(response["Location"]).content.decode()
    assert 'data-status="rejected"' in page and 'id="import-errors"' in page
    assert "第 3 行“身份证号”" in page and "第 4 行“姓名”" in page
    assert 'id="count-rejected">2<' in page
    assert "没有导入任何数据" in page
    download = employer_client.get(reverse("registry:import_error_file", args=[roster_import.pk]))
    assert download.status_code == 200
    assert list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)[0][-1] == "错误说明"
    assert EnrolmentChange.objects.count() == 0


def test_fixed_upload_succeeds(employer_client):
    response = submit(employer_client, sheet_bytes([add_row(1), add_row(2)]))
    page = employer_client.get(response["Location"]).content.decode()
    assert 'data-status="succeeded"' in page and 'id="count-accepted">2<' in page
    assert 'id="download-error-file"' not in page


@pytest.mark.parametrize(("data", "message"), [
    (b"", "0 字节"),
    (b"not a spreadsheet at all" * 20, ".xlsx"),
])
def test_bad_file_is_explained_on_the_form(employer_client, data, message):
    response = submit(employer_client, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_wrong_headers_are_explained_on_the_result(employer_client):
    response = submit(employer_client, sheet_bytes([], headers=["工号", "姓名"]))
    page = employer_client.get(response["Location"]).content.decode()
    assert 'id="import-failure"' in page and "缺少必填列" in page


def test_queued_import_polls_and_can_be_run_here(employer_client, settings):
    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 0
    response = submit(employer_client, sheet_bytes([add_row(1)]))
    roster_import = RosterImport.objects.get()
    page = employer_client.get(response["Location"]).content.decode()
    assert 'hx-get="' + reverse("registry:import_progress", args=[roster_import.pk]) in page
    assert 'id="import-progress-bar"' in page and 'id="import-run-now"' in page
    poll = employer_client.get(reverse("registry:import_progress", args=[roster_import.pk]))
    assert "HX-Refresh" not in poll
    employer_client.post(reverse("registry:import_run_now", args=[roster_import.pk]))
    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.SUCCEEDED
    done = employer_client.get(reverse("registry:import_progress", args=[roster_import.pk]))
    assert done["HX-Refresh"] == "true"


def test_other_employer_gets_404_and_staff_see_jurisdiction(client, employer_user_a, employer_user_b,
                                                            staff_factory):
    client.force_login(employer_user_a)
    submit(client, sheet_bytes([add_row(1), add_row(2, 姓名="")]))
    roster_import = RosterImport.objects.get()
    client.force_login(employer_user_b)
    for name in ("registry:import_detail", "registry:import_progress", "registry:import_error_file"):
        assert client.get(reverse(name, args=[roster_import.pk])).status_code == 404
    assert client.post(reverse("registry:import_run_now", args=[roster_import.pk])).status_code == 404
    assert roster_import.original_name not in client.get(reverse("registry:import_list")).content.decode()
    client.force_login(staff_factory("intake"))
    assert client.get(reverse("registry:import_detail", args=[roster_import.pk])).status_code == 200
    assert roster_import.employer.name in client.get(reverse("registry:import_list")).content.decode()
    assert client.get(reverse("registry:import_new")).status_code == 403  # the 受理员 follows, never uploads
    client.force_login(staff_factory("intake", jurisdiction="220100"))
    assert client.get(reverse("registry:import_detail", args=[roster_import.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("registry:import_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_template_download_page(employer_client):
    response = employer_client.get(reverse("registry:import_template", args=["reduce"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert employer_client.get(reverse("registry:import_template", args=["other"])).status_code == 404


def test_template_has_dropdowns_text_ids_and_instructions():
    book = load_workbook(io.BytesIO(build_template("add")))
    sheet = book["增员名单"]
    assert [c.value for c in sheet[1]] == ["异动类型", "险种", "生效月份", "身份证号", "姓名", "手机号", "户口性质",
                                           "参保身份", "申报缴费工资"]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["A2"] == '"新参保,续保,调入"'
    assert "工伤保险" in lists["B2"] and "城镇户口" in lists["G2"] and "在职职工" in lists["H2"]
    assert sheet.column_dimensions["D"].number_format == "@"
    assert "填写说明" in book.sheetnames
    reduce_sheet = load_workbook(io.BytesIO(build_template("reduce")))["减员名单"]
    assert [c.value for c in reduce_sheet[1]] == ["异动类型", "险种", "生效月份", "身份证号", "姓名"]


def test_filled_template_round_trips(employer_client):
    book = load_workbook(io.BytesIO(build_template("add")))
    sheet = book["增员名单"]
    sheet.append(["新参保", "工伤保险", this_month(), valid_id_number(3), "赵六", "13900000003", "农村户口", "农民工",
                  "5200.5"])
    buffer = io.BytesIO()
    book.save(buffer)
    CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue()))
    response = submit(employer_client, buffer.getvalue())
    assert RosterImport.objects.get().accepted == 1, employer_client.get(response["Location"]).content.decode()
    change = EnrolmentChange.objects.get()
    assert (change.household_type, change.identity) == ("rural", "migrant_worker")


def test_hostile_sheet_is_explained_on_the_form(employer_client):
    data = raw_xlsx(header_row() + '<row r="1048576">' + inline_cell("XFD1048576", "x") + "</row>")
    response = submit(employer_client, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "单元格 XFD1048576 超出单次导入的范围" in page and "最多 100000 行人员数据" in page
    assert RosterImport.objects.count() == 0


T0 = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def running_import_of_a_dead_worker(client, settings) -> RosterImport:
    """Uploaded at T0 and claimed by a worker that then died (its lease is never renewed)."""
    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 0
    with mock.patch.object(services, "enqueue"):
        submit(client, sheet_bytes([add_row(1)]))
    roster_import = RosterImport.objects.get()
    leases.claim_import(roster_import.pk)
    settings.ROSTER_IMPORT_INLINE_MAX_BYTES = 256 * 1024
    return roster_import


def test_an_import_of_a_dead_worker_is_shown_failed_and_can_be_processed_again(employer_client, settings):
    with time_machine.travel(T0, tick=False) as clock:
        roster_import = running_import_of_a_dead_worker(employer_client, settings)
        progress = reverse("registry:import_progress", args=[roster_import.pk])
        assert "HX-Refresh" not in employer_client.get(progress)  # lease still valid: running
        clock.shift(301)
        assert employer_client.get(progress)["HX-Refresh"] == "true"
        page = employer_client.get(reverse("registry:import_detail", args=[roster_import.pk])).content.decode()
        assert 'data-status="failed"' in page and "处理过程中断" in page and 'id="import-retry"' in page
        response = employer_client.post(reverse("registry:import_retry", args=[roster_import.pk]))
        assert response.status_code == 302
        roster_import.refresh_from_db()
        assert (roster_import.status, roster_import.accepted) == (ImportStatus.SUCCEEDED, 1)
        page = employer_client.get(response["Location"]).content.decode()
        assert "已重新处理" in page and 'id="import-retry"' not in page
        again = employer_client.post(reverse("registry:import_retry", args=[roster_import.pk]), follow=True)
        assert "只有处理失败的批次可以重新处理" in again.content.decode()


def test_the_list_shows_imports_of_dead_workers_as_failed(employer_client, settings):
    with time_machine.travel(T0, tick=False) as clock:
        roster_import = running_import_of_a_dead_worker(employer_client, settings)
        clock.shift(301)
        employer_client.get(reverse("registry:import_list"))
        roster_import.refresh_from_db()
        assert roster_import.status == ImportStatus.FAILED


def test_retry_of_another_employers_import_is_404_and_staff_cannot(client, employer_user_b, employer_client,
                                                                   settings, staff_factory):
    with time_machine.travel(T0, tick=False) as clock:
        roster_import = running_import_of_a_dead_worker(employer_client, settings)
        clock.shift(301)
        client.force_login(employer_user_b)
        assert client.post(reverse("registry:import_retry", args=[roster_import.pk])).status_code == 404
        client.force_login(staff_factory("intake"))
        page = client.get(reverse("registry:import_detail", args=[roster_import.pk])).content.decode()
        assert 'data-status="failed"' in page and 'id="import-retry"' not in page
        assert client.post(reverse("registry:import_retry", args=[roster_import.pk])).status_code == 403
    assert RosterImport.objects.get().status == ImportStatus.FAILED
