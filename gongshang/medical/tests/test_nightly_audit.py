"""The nightly set-based audit: each SQL rule, idempotency, amounts untouched, the run's range."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from gongshang.medical.models import BillLine, LineFlag, MedicalSetting
from gongshang.medical.services.nightly_audit import nightly_audit

from .factories import BillLineFactory, CatalogueItemFactory, EncounterFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-20 02:00 +08:00")]
TZ = ZoneInfo("Asia/Shanghai")
ADMITTED = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
SETTLED = datetime(2026, 3, 12, 15, 0, tzinfo=TZ)


def settled(**kwargs):
    kwargs.setdefault("settled_at", SETTLED)
    return EncounterFactory(status="settled", **kwargs)


def add(encounter, no, code, *, category="drug", quantity="1", price="10", hours=3, ordered=""):
    return BillLineFactory(encounter=encounter, line_no=no, catalogue_code=code, category=category,
                           quantity=Decimal(quantity), unit_price=Decimal(price), ordered_code=ordered,
                           occurred_at=ADMITTED + timedelta(hours=hours), fund_amount=Decimal("1.00"))


def flags(encounter=None):
    qs = LineFlag.objects.filter(source="nightly")
    if encounter is not None:
        qs = qs.filter(encounter=encounter)
    return sorted((f.line.line_no if f.line else None, f.rule, f.amount) for f in qs.select_related("line"))


@pytest.fixture
def catalogue():
    CatalogueItemFactory(code="DRUG1", price_cap=Decimal("10.00"))
    CatalogueItemFactory(code="DRUG1", region="370200", price_cap=Decimal("8.00"))
    CatalogueItemFactory(code="OLD", valid_to=date(2026, 3, 1))
    CatalogueItemFactory(code="XRAY", kind="service", frequency_limit=Decimal("2"), frequency_days=1)
    CatalogueItemFactory(code="MAT-A", kind="material", price_cap=Decimal("200"))
    CatalogueItemFactory(code="MAT-B", kind="material", price_cap=Decimal("800"))
    CatalogueItemFactory(code="BED", kind="standard")


def test_each_rule(catalogue):
    enc = settled()
    add(enc, 1, "DRUG1", quantity="2", price="8.00")              # at the regional cap: nothing
    add(enc, 2, "DRUG1", quantity="3", price="8.01")              # one fen over: 0.03
    add(enc, 3, "OLD")                                            # expired the day before admission
    add(enc, 4, "XRAY", quantity="2", price="50", hours=4)
    add(enc, 5, "XRAY", quantity="1", price="50", hours=5)         # third x-ray of the day
    add(enc, 6, "XRAY", quantity="1", price="50", hours=30)        # next day: a new period
    add(enc, 7, "MAT-B", price="900", ordered="MAT-A")            # billed 900 against the ordered cap 200
    add(enc, 8, "MAT-B", price="700", ordered="NOPE")             # ordered item unknown: whole line
    counts = nightly_audit()
    assert flags(enc) == [(2, "over_price_cap", Decimal("0.03")), (3, "out_of_catalogue", Decimal("10.00")),
                          (5, "frequency", Decimal("50.00")), (7, "over_price_cap", Decimal("100.00")),
                          (7, "swapped_item", Decimal("700.00")), (8, "swapped_item", Decimal("700.00"))]
    assert counts["over_price_cap"] == 2 and counts["encounters_flagged"] == 1
    enc.refresh_from_db()
    assert enc.flagged and enc.fund_amount == Decimal("0") and enc.status == "settled"
    assert set(BillLine.objects.filter(encounter=enc).values_list("fund_amount", flat=True)) == {Decimal("1.00")}
    reason = LineFlag.objects.get(source="nightly", rule="over_price_cap", line__line_no=2).reason
    assert reason.startswith("夜间复核：第2行单价8.01") and "8.00元" in reason


@pytest.mark.parametrize(("treatment_hours", "flagged"), [(47, False), (Decimal("47.99"), False), (48, True), (49, True)])
def test_idle_stay_window(catalogue, treatment_hours, flagged):
    enc = settled()
    add(enc, 1, "BED", category="bed", price="60", hours=1)
    BillLineFactory(encounter=enc, line_no=2, catalogue_code="DRUG1", unit_price=Decimal("5"),
                    occurred_at=ADMITTED + timedelta(hours=float(treatment_hours)))
    nightly_audit()
    assert flags(enc) == ([(1, "idle_stay", Decimal("60.00"))] if flagged else [])


def test_idle_stay_regional_hours(catalogue):
    MedicalSetting.objects.create(region="370200", valid_from=date(2026, 1, 1), idle_stay_hours=24)
    enc = settled()
    add(enc, 1, "BED", category="bed", price="60", hours=1)
    add(enc, 2, "DRUG1", price="5", hours=30)
    nightly_audit()
    assert flags(enc) == [(1, "idle_stay", Decimal("60.00"))]


@pytest.mark.parametrize(("gap_days", "flagged"), [(15, True), (16, False)])
def test_split_stay_day_n_and_n_plus_one(catalogue, gap_days, flagged):
    enc = settled()
    add(enc, 1, "DRUG1", price="5")
    discharged = datetime(2026, 3, 2, 22, 0, tzinfo=TZ) - timedelta(days=gap_days)
    EncounterFactory(case=enc.case, institution=enc.institution, admitted_at=discharged - timedelta(days=5),
                     discharged_at=discharged, status="approved", settled_at=discharged)
    nightly_audit(since=SETTLED - timedelta(hours=1), until=SETTLED + timedelta(hours=1))
    assert flags(enc) == ([(None, "split_stay", Decimal("0.00"))] if flagged else [])


def test_idempotent_and_no_duplicate_of_settle_flags(catalogue):
    enc = settled()
    line = add(enc, 1, "OLD")
    add(enc, 2, "DRUG1", quantity="1", price="9")
    LineFlag.objects.create(encounter=enc, line=line, rule="out_of_catalogue", reason="x", amount=Decimal("10"))
    first = nightly_audit(since=SETTLED - timedelta(days=1), until=SETTLED + timedelta(days=1))
    second = nightly_audit(since=SETTLED - timedelta(days=1), until=SETTLED + timedelta(days=1))
    assert first["out_of_catalogue"] == 0 and first["over_price_cap"] == 1
    assert sum(v for k, v in second.items()) == 0
    assert LineFlag.objects.count() == 2


def test_automatic_runs_continue_from_the_last(catalogue, time_machine):
    early = settled()
    add(early, 1, "OLD")
    assert nightly_audit()["out_of_catalogue"] == 1
    late = settled(settled_at=datetime(2026, 3, 20, 10, 0, tzinfo=TZ))
    add(late, 1, "OLD")
    time_machine.move_to(datetime(2026, 3, 21, 2, 0, tzinfo=TZ))
    LineFlag.objects.all().delete()
    assert nightly_audit()["out_of_catalogue"] == 1          # only the encounter settled since the last run
    assert flags(late) == [(1, "out_of_catalogue", Decimal("10.00"))] and flags(early) == []


def test_open_encounters_are_not_audited(catalogue):
    enc = EncounterFactory()
    add(enc, 1, "OLD")
    nightly_audit()
    assert flags() == []


def test_command(catalogue):
    enc = settled()
    add(enc, 1, "OLD")
    out = StringIO()
    call_command("medical_nightly_audit", "--from", "2026-03-12", "--to", "2026-03-13", stdout=out)
    assert "目录外 1" in out.getvalue()


def test_command_refuses_half_a_range():
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="同时给出"):
        call_command("medical_nightly_audit", "--from", "2026-03-12")



def test_frequency_excess_valued_at_the_capped_price(catalogue):
    """As at settlement (rules/audit/frequency.py): the excess units are valued at the price the fund
    would pay, the cap when the unit price is above it, so 超限价 and 超频次 do not count the same
    excess twice: 3 x-rays at 50 with a cap of 40 and 2 a day: over the cap 3 × 10 = 30, the third
    x-ray 40 (not 50); together 70 = 150 − 2 × 40, what settle withholds."""
    CatalogueItemFactory(code="CT", kind="service", price_cap=Decimal("40"), frequency_limit=Decimal("2"),
                         frequency_days=1)
    enc = settled()
    add(enc, 1, "CT", quantity="3", price="50", hours=4)
    nightly_audit()
    assert flags(enc) == [(1, "frequency", Decimal("40.00")), (1, "over_price_cap", Decimal("30.00"))]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_flag_each_line_once():
    """The timer and an operator start the run at the same moment: one waits for the other, so no
    line gets the same flag twice (NOT EXISTS alone does not see the other run's uncommitted rows)."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent runs are checked on PostgreSQL")
    CatalogueItemFactory(code="DRUG1", price_cap=Decimal("10.00"))
    for _ in range(20):
        enc = settled()
        for no in range(1, 51):
            add(enc, no, "OLD" if no % 2 else "DRUG1", price="12")
    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            nightly_audit(since=SETTLED - timedelta(days=1), until=SETTLED + timedelta(days=1))
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    assert LineFlag.objects.count() == 20 * 50


def test_rehabilitation_items_follow_the_province_catalogue():
    CatalogueItemFactory(code="KF01", kind="rehabilitation", price_cap=Decimal("100.00"))
    CatalogueItemFactory(code="KF01", kind="rehabilitation", region="370200", price_cap=Decimal("80.00"))
    enc = settled()
    add(enc, 1, "KF01", category="service", price="100.00")
    nightly_audit()
    assert flags(enc) == []


def test_a_settlement_committed_after_the_run_started_is_not_skipped(catalogue, time_machine):
    """A settlement still in its transaction when the run starts (settled_at a moment before the
    run, committed after it) is audited by the next run, not skipped for ever."""
    assert nightly_audit()["out_of_catalogue"] == 0
    late = settled(settled_at=datetime(2026, 3, 20, 2, 0, tzinfo=TZ) - timedelta(seconds=2))   # committed later
    add(late, 1, "OLD")
    time_machine.move_to(datetime(2026, 3, 21, 2, 0, tzinfo=TZ))
    assert nightly_audit()["out_of_catalogue"] == 1
    assert flags(late) == [(1, "out_of_catalogue", Decimal("10.00"))]


def test_frequency_reason_reads_as_a_plain_number(catalogue):
    enc = settled()
    add(enc, 1, "XRAY", quantity="3", price="50", hours=4)
    nightly_audit()
    reason = LineFlag.objects.get(source="nightly", rule="frequency").reason
    assert "（每1天限2）" in reason and "超出的数量共50.00元" in reason
