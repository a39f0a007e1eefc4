from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from gongshang.quickreports import rules

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
codes = st.text(alphabet=rules.ALPHABET, min_size=12, max_size=12)


def test_accident_window_edges():
    assert rules.accident_time_problem(NOW, NOW) is None
    assert rules.accident_time_problem(NOW - timedelta(hours=48), NOW) is None
    assert rules.accident_time_problem(NOW - timedelta(hours=48, seconds=1), NOW) == "too_old"
    assert rules.accident_time_problem(NOW + timedelta(seconds=1), NOW) == "future"


@given(st.integers(min_value=-200_000, max_value=200_000))
def test_accident_window_property(offset_seconds):
    at = NOW + timedelta(seconds=offset_seconds)
    ok = rules.accident_time_problem(at, NOW) is None
    assert ok == (-48 * 3600 <= offset_seconds <= 0)


def test_capture_window_edges():
    accident, upload = NOW - timedelta(hours=2), NOW
    assert rules.capture_time_ok(accident - timedelta(hours=1), accident, upload)
    assert not rules.capture_time_ok(accident - timedelta(hours=1, seconds=1), accident, upload)
    assert rules.capture_time_ok(upload + timedelta(minutes=5), accident, upload)
    assert not rules.capture_time_ok(upload + timedelta(minutes=5, seconds=1), accident, upload)


def test_media_counts():
    assert rules.media_count_problem(photos=4, videos=1) is None
    assert rules.media_count_problem(photos=5, videos=0) == "photos"
    assert rules.media_count_problem(photos=0, videos=2) == "videos"


def test_generated_code_shape_and_entropy():
    code = rules.generate_code()
    assert len(code) == 13 and rules.is_well_formed(code)
    # 60 random bits: CODE_CHARS symbols, each drawn from 32 distinct symbols (5 bits each)
    assert len(set(rules.ALPHABET)) == len(rules.ALPHABET) == 32
    assert len(rules.ALPHABET) ** rules.CODE_CHARS >= 2 ** 60
    assert len({rules.generate_code() for _ in range(2000)}) == 2000
    formatted = rules.format_code(code)
    assert formatted.count("-") == 3 and formatted.replace("-", "") == code


def test_codes_come_from_secrets_not_time_or_ids(monkeypatch):
    import random
    import time
    import uuid

    # Freezing the clock, ids and the non-cryptographic generator changes nothing ...
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)
    monkeypatch.setattr(time, "time_ns", lambda: 1_800_000_000_000_000_000)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=1))
    random.seed(0)
    assert len({rules.generate_code() for _ in range(50)}) == 50
    # ... while the code is exactly what the OS CSPRNG (secrets) gives.
    from gongshang.core import codes as core_codes

    monkeypatch.setattr(core_codes.secrets, "choice", lambda alphabet: alphabet[-1])
    assert rules.generate_code()[:12] == rules.ALPHABET[-1] * 12


@given(codes)
def test_check_character_round_trip(body):
    assert rules.is_well_formed(body + rules.check_character(body))


@given(codes, st.integers(min_value=0, max_value=12), st.sampled_from(rules.ALPHABET))
def test_every_single_substitution_is_detected(body, position, replacement):
    code = body + rules.check_character(body)
    if code[position] == replacement:
        return
    typo = code[:position] + replacement + code[position + 1:]
    assert not rules.is_well_formed(typo)


def test_normalization_of_typed_code():
    code = rules.generate_code()
    typed = rules.format_code(code).lower().replace("0", "o").replace("1", "l")
    assert rules.normalize_code(f"  {typed} ") == code


def test_malformed_codes_are_not_well_formed():
    assert not rules.is_well_formed("")
    assert not rules.is_well_formed("U" * 13)
    assert not rules.is_well_formed("0" * 14)


def test_status_workflow_table():
    from gongshang.accounts.rules.access import MATRIX
    from gongshang.quickreports.choices import ReportStatus as S

    wf = rules.WORKFLOW
    assert set(wf.steps) <= set(MATRIX["quick_report"])
    assert wf.actions_from(S.NEW) == ("receive", "open_case", "close_invalid", "green_channel", "supplement")
    assert wf.actions_from(S.RECEIVED) == ("open_case", "close_invalid", "green_channel", "supplement")
    assert wf.actions_from(S.CASE_OPENED) == ("green_channel", "supplement")
    assert wf.actions_from(S.CLOSED_INVALID) == ()
    assert wf.target_of("receive", S.NEW) == S.RECEIVED
    assert wf.target_of("open_case", S.RECEIVED) == S.CASE_OPENED
    assert wf.target_of("close_invalid", S.NEW) == S.CLOSED_INVALID
    assert wf.target_of("green_channel", S.CASE_OPENED) == S.CASE_OPENED
