"""Shared set-up for the certificate tests: contributions, change requests, PDF text."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from gongshang.core.files.storage import open_stored
from gongshang.registry.models import EnrolmentChange
from gongshang.registry.tests.factories import ContributionRecordFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_text(data: bytes) -> str:
    """All text of a PDF, whitespace removed (CJK runs may be split by layout)."""
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.split())


def stored_bytes(document) -> bytes:
    with open_stored(document.file) as handle:
        return handle.read()


def contributions(person, employer, months, *, unpaid=()):
    for month in months:
        ContributionRecordFactory(person=person, employer=employer, month=month, wage_base=Decimal("6500.00"),
                                  paid=month not in unpaid)


def year_of_months(year: int) -> list[date]:
    return [date(year, m, 1) for m in range(1, 13)]


def change(employer, user, *, name, id_number, kind="add_new", direction="add", status="pending",
           effective=date(2026, 11, 1)):
    return EnrolmentChange.objects.create(
        employer=employer, region=employer.region, direction=direction, kind=kind, insurance_type="injury",
        effective_month=effective, id_number=id_number, name=name, identity="employee",
        declared_wage=Decimal("6200.00"), status=status, created_by=user,
        decided_at=datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI) if status == "confirmed" else None,
    )
