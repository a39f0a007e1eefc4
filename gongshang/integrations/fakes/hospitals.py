"""A fake 卫健委 (health commission) for tests and the demo: it writes the daily 入出院通知 file in
format v1.0 (the one the real partner sends; docs/exchange/hospitals.md), deterministically.

    fake = FakeHealthCommission()
    content = fake.daily_file([fake.admission("370202198803151237", "张伟", date(2026, 3, 2)),
                               fake.discharge("370202198803151237", "张伟", date(2026, 3, 9))])
"""

import csv
import io
from dataclasses import dataclass, replace
from datetime import date

# The hospitals of the fake (the first two carry the codes of the demo 协议机构, so their notices
# match an agreement institution; the third is a hospital without a 工伤 agreement).
HOSPITALS = (
    ("H37020200001", "青岛大学附属医院（演示）"),
    ("H37020300002", "青岛市市立医院（演示）"),
    ("H37029900009", "青岛市第九人民医院（演示）"),
)
COLUMNS = ("hospital_code", "hospital_name", "notice_number", "kind", "id_number", "name", "event_date",
           "diagnosis", "diagnosis_code")


@dataclass(frozen=True)
class FakeNotice:
    hospital_code: str
    hospital_name: str
    notice_number: str
    kind: str                 # as the partner writes it: 入院 / 出院 (or admission / discharge)
    id_number: str
    name: str
    event_date: str           # YYYY-MM-DD, or anything a test wants to see refused
    diagnosis: str = "左胫骨骨折"
    diagnosis_code: str = "S82.201"

    def row(self) -> list[str]:
        return [str(getattr(self, column)) for column in COLUMNS]


class FakeHealthCommission:
    """Numbers its notices per hospital in the order they are made (ZY<code tail>-<n>), so the same
    calls give the same file."""

    def __init__(self, hospitals=HOSPITALS):
        self.hospitals = tuple(hospitals)
        self._counts: dict[str, int] = {}

    def _number(self, code: str) -> str:
        self._counts[code] = self._counts.get(code, 0) + 1
        return f"ZY{code[-5:]}-{self._counts[code]:06d}"

    def notice(self, kind: str, id_number: str, name: str, day: date | str, *, hospital: int = 0,
               number: str = "", **extra) -> FakeNotice:
        code, hospital_name = self.hospitals[hospital]
        event_date = day.isoformat() if isinstance(day, date) else str(day)
        return FakeNotice(hospital_code=code, hospital_name=hospital_name, notice_number=number or self._number(code),
                          kind=kind, id_number=id_number, name=name, event_date=event_date, **extra)

    def admission(self, id_number: str, name: str, day, **kwargs) -> FakeNotice:
        return self.notice("入院", id_number, name, day, **kwargs)

    def discharge(self, id_number: str, name: str, day, **kwargs) -> FakeNotice:
        return self.notice("出院", id_number, name, day, **kwargs)

    @staticmethod
    def daily_file(notices, *, encoding: str = "utf-8", bom: bool = False, columns=COLUMNS,
                   line_end: str = "\r\n") -> bytes:
        """The file as the partner sends it (CSV, header first). `columns` lets a test send a wrong
        header; `encoding` a GB18030 file as spreadsheets save it."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator=line_end)
        writer.writerow(columns)
        for notice in notices:
            writer.writerow(notice.row() if isinstance(notice, FakeNotice) else list(notice))
        data = buffer.getvalue().encode(encoding)
        return (b"\xef\xbb\xbf" + data) if bom else data

    @staticmethod
    def changed(notice: FakeNotice, **changes) -> FakeNotice:
        """The same notice with some columns changed (e.g. a wrong ID number)."""
        return replace(notice, **changes)
