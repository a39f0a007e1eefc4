"""The fake province (省工伤保险信息系统) for tests and the demo.

Given a package this platform sent, it answers as the province would, in the province's file formats
(docs/exchange/province.md): the provincial committee's conclusion for a 再次鉴定 package; for a
transfer package, the transfer-in file for the target 统筹区 and, once the target has taken the
worker over, the confirmation for the 统筹区 that sent it. It can also make up a transfer into a
统筹区 from nowhere in particular (a worker arriving from another city of the province)."""

import base64
import json
from datetime import date

from django.utils import timezone

from gongshang.benefits.rules.leave import add_months
from gongshang.core.files.pdf import blank_pdf
from gongshang.core.files.storage import open_stored

from ..services.province_manifest import read_manifest

VERSION = "1.0"


def _file(format_name: str, region: str, entries: list) -> bytes:
    document = {"format": format_name, "version": VERSION, "region": region,
                "generated_at": timezone.localtime().isoformat(timespec="seconds"), "entries": entries}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def conclusions_file(region: str, entries: list) -> bytes:
    return _file("province-conclusions", region, entries)


def transfers_file(region: str, entries: list) -> bytes:
    return _file("province-transfers", region, entries)


def transfer_reference(package_reference: str) -> str:
    """The province numbers a transfer after the package it came in: SJ-370200-… → ZY-370200-…"""
    return "ZY-" + package_reference.split("-", 1)[1]


class FakeProvince:
    """Stateless: each answer is computed from the package (and its stored zip)."""

    def __init__(self, today: date | None = None):
        self.today = today or timezone.localdate()

    def _full_manifest(self, package) -> dict:
        with open_stored(package.file) as handle:
            return read_manifest(handle.read())[0]

    def conclusion_entry(self, package, *, grade: int | None = None, nursing_level: str = "",
                         number: str = "", concluded_on: date | None = None) -> dict:
        earlier = (self._full_manifest(package).get("earlier_conclusion") or {})
        if grade is None:  # the committee confirms the earlier grade unless told otherwise
            grade = earlier.get("grade") if isinstance(earlier.get("grade"), int) else 8
        sequence = int(package.reference.rsplit("-", 1)[1])
        return {
            "package_reference": package.reference, "case_number": package.case.number,
            "number": number or f"鲁劳鉴省〔{self.today.year}〕{package.region}-{sequence}号", "grade": grade,
            "nursing_level": nursing_level, "concluded_on": (concluded_on or self.today).isoformat(),
            "standard_items": [],
            "document": {"name": "山东省劳动能力鉴定委员会结论书.pdf",
                         "content_base64": base64.b64encode(blank_pdf()).decode("ascii")},
        }

    def conclusion_for(self, package, **kwargs) -> bytes:
        """The conclusions file for the 统筹区 that sent the 再次鉴定 package."""
        return conclusions_file(package.region, [self.conclusion_entry(package, **kwargs)])

    def _start(self, start_month: date | None) -> date:
        return (start_month or add_months(self.today.replace(day=1), 1)).replace(day=1)

    def transfer_in_for(self, package, *, start_month: date | None = None) -> bytes:
        """The transfers file for the target 统筹区 of a transfer package: the worker moving in."""
        manifest = self._full_manifest(package)
        entry = {
            "type": "transfer_in", "reference": transfer_reference(package.reference), "from_region": package.region,
            "package_reference": package.reference, "person": manifest["person"],
            "case": {k: manifest["case"].get(k, "") for k in ("number", "accident_on", "employer", "body_part",
                                                              "injury_type")},
            "recognition": manifest.get("recognition"), "conclusion": manifest.get("conclusion"),
            "start_month": f"{self._start(start_month):%Y-%m}",
            "entitlements": [{k: row[k] for k in ("benefit_type", "amount", "payer", "basis", "start_month")}
                             for row in manifest["entitlements"] if row.get("beneficiary_relation") == "本人"],
        }
        return transfers_file(package.target_region, [entry])

    def confirmation_for(self, package, *, start_month: date | None = None) -> bytes:
        """The transfers file for the 统筹区 that sent the package: the target took the worker over."""
        entry = {"type": "confirmation", "reference": transfer_reference(package.reference),
                 "package_reference": package.reference, "target_region": package.target_region,
                 "start_month": f"{self._start(start_month):%Y-%m}", "confirmed_on": self.today.isoformat()}
        return transfers_file(package.region, [entry])

    def transfer_into(self, region: str, *, reference: str, from_region: str, name: str, id_number: str,
                      entitlements: list[dict], start_month: date | None = None, case: dict | None = None) -> bytes:
        """A worker arriving in `region` from `from_region` (no package of ours behind it)."""
        entry = {"type": "transfer_in", "reference": reference, "from_region": from_region, "package_reference": "",
                 "person": {"name": name, "id_number": id_number}, "case": case or {},
                 "recognition": None, "conclusion": None, "start_month": f"{self._start(start_month):%Y-%m}",
                 "entitlements": entitlements}
        return transfers_file(region, [entry])
