"""Helpers shared by the audit rules: the catalogue version valid on a day, local dates, money."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

# core/money.py imports no Django, so the one rounding helper is reused here.
from gongshang.core.money import to_fen

from .inputs import CatalogueEntry

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZERO = Decimal("0.00")

Catalogue = Mapping[str, Sequence[CatalogueEntry]]


@lru_cache(maxsize=65536)  # several rules ask for the same lines' days
def local_date(moment: datetime) -> date:
    """The calendar day in Asia/Shanghai (a line's day for catalogue validity and periods)."""
    return moment.astimezone(SHANGHAI).date()


def entry_on(catalogue: Catalogue, code: str, day: date) -> CatalogueEntry | None:
    """The version of `code` valid on `day`: the 统筹区's own row wins over the national list;
    among several, the latest `valid_from`."""
    best = None
    for entry in catalogue.get(code, ()):
        if entry.valid_from is not None and entry.valid_from > day:
            continue
        if entry.valid_to is not None and entry.valid_to < day:
            continue
        key = (entry.regional, entry.valid_from or date.min)
        if best is None or key > (best.regional, best.valid_from or date.min):
            best = entry
    return best


def cn_date(day: date) -> str:
    """A date for a reason sentence: '2026年3月2日'."""
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(value: Decimal) -> str:
    """A figure for a reason sentence: '12.30元'."""
    return f"{to_fen(value)}元"


def qty(value: Decimal) -> str:
    """A quantity for a reason sentence without trailing zeros: '3', '1.5'."""
    return format(value.normalize(), "f")


__all__ = ["SHANGHAI", "ZERO", "Catalogue", "cn_date", "entry_on", "local_date", "qty", "to_fen", "yuan"]
