"""A fake 税务局 (social insurance fees collected by the tax bureau): the monthly contribution file of
format 1.0 (adapters/tax.py) for given employers, persons and month, with deliberate errors on request.
Used by the tests, the demo and the benchmark; nothing here talks to a real system."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stdnum.cn import ric, uscc

from ..adapters.tax import COLUMNS

# Deliberately wrong rows, one per kind of mistake a partner makes (each is one row error).
BROKEN_ROWS = {
    "id_checksum": "91370200MA3C5UWK4C,370202198803151238,张伟,{month},injury,6800.00,1",
    "month": "91370200MA3C5UWK4C,370202198803151237,张伟,2026/10,injury,6800.00,1",
    "wage": "91370200MA3C5UWK4C,370202198803151237,张伟,{month},injury,-6800,1",
    "paid": "91370200MA3C5UWK4C,370202198803151237,张伟,{month},injury,6800.00,Y",
    "insurance_type": "91370200MA3C5UWK4C,370202198803151237,张伟,{month},生育保险,6800.00,1",
    "uscc": "91370200MA3C5UWK4X,370202198803151237,张伟,{month},injury,6800.00,1",
    "columns": "91370200MA3C5UWK4C,370202198803151237,张伟,{month},injury,6800.00",
    # Everything wrong at once: one message naming every column.
    "all": ",37020219880315123,,2026-13,,0,2",
}


@dataclass(frozen=True)
class Payment:
    """One row: an employer paid (or declared without paying) for a person and month."""

    employer_code: str
    id_number: str
    name: str
    month: date
    wage_base: Decimal
    paid: bool = True
    insurance_type: str = "injury"

    def values(self) -> list[str]:
        return [self.employer_code, self.id_number, self.name, f"{self.month:%Y-%m}", self.insurance_type,
                f"{self.wage_base:.2f}", "1" if self.paid else "0"]


def monthly_file(payments: Iterable[Payment], *, month: date | None = None, broken: Iterable[str] = (),
                 bom: bool = True) -> bytes:
    """The file's bytes: a header, one row per payment, then the BROKEN_ROWS named in `broken`
    (`month` fills their {month})."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for payment in payments:
        writer.writerow(payment.values())
    label = f"{month or date(2026, 10, 1):%Y-%m}"
    for name in broken:
        out.write(BROKEN_ROWS[name].format(month=label) + "\n")
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def payments_for(enrolments, *, month: date, paid: bool = True) -> list[Payment]:
    """A row for each (employer code, ID number, name, wage base) of `enrolments`, all for `month`."""
    return [Payment(code, id_number, name, month, wage, paid) for code, id_number, name, wage in enrolments]


def id_number_for(n: int, *, region: str = "370202") -> str:
    """A valid 18-digit ID number, unique for n < 10,000,000 (birth day from 1960 on, then sequence)."""
    day = date.fromordinal(date(1960, 1, 1).toordinal() + n // 1000)
    body = f"{region}{day:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def uscc_for(n: int, *, region: str = "370200") -> str:
    """A valid 统一社会信用代码 (enterprise, registered in `region`), unique per n."""
    body = f"91{region}{n:09d}"
    return body + uscc.calc_check_digit(body)


def write_rows(stream, rows: Iterable[tuple], *, bom: bool = True) -> int:
    """Write a header and `rows` (tuples in the order of COLUMNS, already text) to a text stream; the count.
    For files too large to build in memory (the benchmark)."""
    if bom:
        stream.write("\ufeff")
    stream.write(",".join(COLUMNS) + "\n")
    count = 0
    for row in rows:
        stream.write(",".join(row) + "\n")
        count += 1
    return count
