"""The fake 民政 partner (its 殡葬 and 死亡登记 systems; 公安's 户籍注销 file has the same format):
writes death files in the agreed v1.0 CSV format (adapters/deaths.py) for tests, the demo and the
sample file. The people are fictional; their ID numbers are valid (check digit, region, birth date)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date

HEADER = ("id_number", "name", "death_date", "certificate_number", "region")


@dataclass(frozen=True)
class Death:
    id_number: str
    name: str
    death_date: date | str          # a str to write a deliberately bad value
    certificate_number: str = ""
    region: str = ""


# The demo's deceased (demo/deaths.py creates the worker, the dependant and the retiree; the fourth is
# in no registry) — also the rows of samples/civil_affairs_deaths_v1.csv.
WANG_JIANGUO = Death("370203196906150015", "王建国", date(2026, 8, 15), "鲁青殡〔2026〕0815001号", "370203")
SUN_XIUYING = Death("370211196203040020", "孙秀英", date(2026, 9, 2), "鲁青殡〔2026〕0902003号", "370211")
ZHAO_DESHUN = Death("370202194511200035", "赵德顺", date(2026, 10, 10), "", "370202")
ZHOU_LIPING = Death("370281197008080047", "周立平", date(2026, 10, 21), "鲁青殡〔2026〕1021007号", "")
SAMPLE_DEATHS = (WANG_JIANGUO, SUN_XIUYING, ZHAO_DESHUN, ZHOU_LIPING)


def deaths_file(deaths, *, bom: bool = False, header=HEADER) -> bytes:
    """The partner's file: a header, then one line per death (UTF-8, CRLF line ends as Excel writes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for d in deaths:
        day = d.death_date.isoformat() if isinstance(d.death_date, date) else d.death_date
        row = {"id_number": d.id_number, "name": d.name, "death_date": day,
               "certificate_number": d.certificate_number, "region": d.region}
        writer.writerow([row[column] for column in header])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def sample_file() -> bytes:
    return deaths_file(SAMPLE_DEATHS)


def public_security_repeat() -> bytes:
    """公安's 户籍注销 file of the same month: 王建国 again (a duplicate: nothing changes)."""
    return deaths_file([replace(WANG_JIANGUO, certificate_number="")])
