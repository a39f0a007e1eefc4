"""The session-wide clock switch of gongshang/conftest.py (GONGSHANG_TEST_TODAY)."""

import os
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from gongshang.conftest import SHANGHAI, TODAY_ENV, session_start


def test_a_date_starts_at_ten_in_shanghai():
    assert session_start("2027-02-10") == datetime(2027, 2, 10, 10, tzinfo=SHANGHAI)


def test_a_time_is_local_unless_it_names_its_offset():
    assert session_start("2027-12-31T23:59:30") == datetime(2027, 12, 31, 23, 59, 30, tzinfo=SHANGHAI)
    assert session_start("2027-12-31T15:59+00:00") == datetime(2027, 12, 31, 15, 59, tzinfo=UTC)


@pytest.mark.parametrize("value", ["2027-2-10", "tomorrow", "2027-02-30"])
def test_a_bad_value_stops_the_run_with_its_name(value):
    with pytest.raises(pytest.UsageError, match=TODAY_ENV):
        session_start(value)


@pytest.mark.skipif(len(os.environ.get(TODAY_ENV, "").strip()) != 10, reason=f"{TODAY_ENV} not set to a date")
def test_the_session_runs_on_the_chosen_day():
    assert timezone.localdate() == date.fromisoformat(os.environ[TODAY_ENV].strip())
