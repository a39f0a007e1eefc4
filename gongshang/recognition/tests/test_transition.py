"""services/transition.due_dates_refresh: the stored due dates of open applications follow the
calendar, chunk by chunk, writing only the rows whose values moved."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongshang.core.models import HolidayOverride
from gongshang.recognition.models import RecognitionApplication
from gongshang.recognition.services import intake as intake_svc
from gongshang.recognition.services import submission, transition

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai")))]


@pytest.fixture
def accepted(draft, employer_user_a, add_materials, intake):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    return intake_svc.application_accept(actor=intake, application=app)


def _copies(app, count):
    rows = []
    for i in range(count):
        row = RecognitionApplication.objects.get(pk=app.pk)
        row.pk, row.owner_key = None, f"{row.owner_key}-copy{i}"
        rows.append(row)
    RecognitionApplication.objects.bulk_create(rows)


def test_nothing_moved_nothing_written(accepted):
    _copies(accepted, 3)
    with CaptureQueriesContext(connection) as captured:
        assert transition.due_dates_refresh() == 0
    assert not [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_a_holiday_moves_every_open_row_in_a_bounded_number_of_queries(accepted):
    assert accepted.due_on == date(2027, 1, 22)
    _copies(accepted, 2)
    HolidayOverride.objects.create(date=date(2027, 1, 22), is_workday=False, name="测试假日")
    with CaptureQueriesContext(connection) as few:
        assert transition.due_dates_refresh(chunk=2) == 3
    RecognitionApplication.objects.update(due_on=date(2027, 1, 22))
    _copies(accepted, 6)
    with CaptureQueriesContext(connection) as many:
        assert transition.due_dates_refresh(chunk=2) == 9
    assert set(RecognitionApplication.objects.values_list("due_on", flat=True)) == {date(2027, 1, 25)}
    # Calendar and settings are read once per distinct date, not per row: only the chunks add queries.
    chunks = lambda n: -(-n // 2) + 1  # noqa: E731
    assert len(many.captured_queries) - len(few.captured_queries) <= 4 * (chunks(9) - chunks(3))


def test_closed_applications_are_left_alone(accepted):
    RecognitionApplication.objects.filter(pk=accepted.pk).update(status="withdrawn")
    HolidayOverride.objects.create(date=date(2027, 1, 22), is_workday=False, name="测试假日")
    assert transition.due_dates_refresh() == 0
    accepted.refresh_from_db()
    assert accepted.due_on == date(2027, 1, 22)
