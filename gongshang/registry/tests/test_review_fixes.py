"""Regression tests for the employer-hall review: NUL in filters, formula cells, audited error
copies, direction changes, exact contribution months, scoped enrolment lists."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from gongshang.accounts.choices import StaffRole
from gongshang.core.errors import FieldErrors
from gongshang.core.files.storage import open_stored
from gongshang.core.models import AuditEvent
from gongshang.registry import selectors
from gongshang.registry.imports.errorcopy import _cell
from gongshang.registry.models import ContributionRecord
from gongshang.registry.services.changes import change_submit, change_update
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory

NEW_ID = "370285200203044818"


def month() -> str:
    return timezone.localdate().strftime("%Y-%m")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/registry/employees?q=%00", "/api/v1/registry/changes?status=%00",
                                 "/api/v1/registry/employees?identity=a%00b"])
def test_nul_in_a_query_string_is_422_on_every_database(api_client, token_for, employer_user_a, url):
    response = api_client.get(url, **token_for(employer_user_a))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error" and "NUL" in response.json()["message"]


@pytest.mark.django_db
def test_nul_in_a_page_query_is_400(client, employer_user_a):
    client.force_login(employer_user_a)
    response = client.get("/registry/roster/?q=%00")
    assert response.status_code == 400 and "控制字符" in response.content.decode()


def test_error_copy_writes_strings_as_text_never_formulas():
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("增员名单")
    cell = _cell(sheet, '=HYPERLINK("http://evil.example","点击")')
    assert cell.data_type == "s"


@pytest.mark.django_db
def test_error_copy_download_is_audited_and_formula_stays_text(client, employer_user_a):
    from gongshang.registry.imports import services
    from gongshang.registry.tests.imports_helpers import add_row, sheet_bytes, upload

    data = sheet_bytes([add_row(1, 姓名='=HYPERLINK("http://evil.example","点击")')])
    roster_import = services.roster_import_start(actor=employer_user_a, uploaded_file=upload(data), direction="add",
                                                 mode="all_or_nothing")
    roster_import.refresh_from_db()
    assert roster_import.status == "rejected" and roster_import.error_file_id
    with open_stored(roster_import.error_file) as handle:
        book = load_workbook(handle)
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)
    client.force_login(employer_user_a)
    response = client.get(f"/registry/imports/{roster_import.pk}/errors.xlsx")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(event_type="registry.import_error_file_downloaded").count() == 1


@pytest.mark.django_db
def test_a_request_keeps_its_direction(employer_user_a, zhang_wei):
    change = change_submit(actor=employer_user_a, data={
        "kind": "add_new", "insurance_type": "injury", "effective_month": month(), "id_number": NEW_ID,
        "name": "吴磊"})
    with pytest.raises(FieldErrors) as caught:
        change_update(actor=employer_user_a, change_id=change.pk, data={"kind": "reduce_terminate"})
    assert "kind" in caught.value.errors


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "wage"), [(15, Decimal("5000")), (1, Decimal("0")), (1, Decimal("-1"))])
def test_contribution_rows_are_exact(zhang_wei, employer_a, day, wage):
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionRecord.objects.create(person=zhang_wei, employer=employer_a, month=date(2026, 10, day),
                                          wage_base=wage)


@pytest.mark.django_db
def test_staff_see_only_their_jurisdictions_enrolments(zhang_wei, staff_factory):
    jinan = EmployerFactory(uscc="91370100MA3C5UWK4D", region="370100")
    EnrolmentFactory(person=zhang_wei, employer=jinan)
    staff = staff_factory(StaffRole.INTAKE)
    regions = {e.employer.region for e in selectors.enrolment_list_for_person(actor=staff, person=zhang_wei)}
    assert regions == {"370200"}


@pytest.mark.django_db
def test_contribution_wages_are_the_twelve_calendar_months_before(zhang_wei, employer_a):
    from gongshang.recognition.lookup import average_wage
    from gongshang.registry.tests.factories import ContributionRecordFactory

    for month, wage in [(date(2024, 1, 1), "9999"), (date(2025, 6, 1), "5000.00"), (date(2025, 7, 1), "5000.01"),
                        (date(2025, 8, 1), "5000.00"), (date(2026, 6, 1), "7000")]:
        ContributionRecordFactory(person=zhang_wei, employer=employer_a, month=month, wage_base=Decimal(wage))
    wages = selectors.contribution_wages(person_id=zhang_wei.pk, employer_id=employer_a.pk,
                                         before_month=date(2026, 6, 1))
    assert wages == [Decimal("5000.00"), Decimal("5000.01"), Decimal("5000.00")]  # not 2024, not the injury month
    # (5000 + 5000.01 + 5000) / 3 = 5000.00333… → 5000.00 (half-up once)
    assert average_wage(zhang_wei, employer_a, date(2026, 6, 15)) == Decimal("5000.00")
