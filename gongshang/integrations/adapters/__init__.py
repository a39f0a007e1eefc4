"""Adapters per partner: how one partner's file of one kind is read and applied.

An inbound adapter reads the stored file itself (a million rows never become a list of dicts)
and applies its rows set-based and idempotently: the same row seen again counts as a
`duplicate` and changes nothing. It returns an `Outcome`; the batch service (services/batches.py)
records the counts, the row errors (like the roster import's: row number and a Chinese message)
and the dead letters, the status and the audit events, in one transaction with the adapter's writes.
A file it cannot read at all raises `FormatError` with a Chinese message: the batch fails and nothing
of it is applied.
"""

from dataclasses import dataclass, field
from typing import BinaryIO


@dataclass(frozen=True)
class RowError:
    row: int                      # 1-based line number in the file, the header being line 1
    message: str                  # Chinese, names the column and the fix
    payload: dict = field(default_factory=dict)  # the raw row, kept (encrypted) in the dead-letter list


@dataclass
class Outcome:
    total: int = 0
    accepted: int = 0
    duplicate: int = 0
    errors: list[RowError] = field(default_factory=list)
    summary: dict = field(default_factory=dict)   # figures for the batch page (e.g. mismatches found)

    @property
    def rejected(self) -> int:
        return len(self.errors)


class FormatError(Exception):
    """The whole file is unreadable in the agreed format (wrong header, encoding, version)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InboundAdapter:
    """One (partner, kind) a partner sends us. Subclasses set the attributes and `process`."""

    partner: str = ""
    kind: str = ""
    format_versions: tuple[str, ...] = ("1.0",)
    sample: str = ""              # file name under integrations/samples/, documented in docs/exchange/

    def process(self, batch, stream: BinaryIO) -> Outcome:
        raise NotImplementedError


INBOUND: dict[tuple[str, str], InboundAdapter] = {}


def register(adapter_class):
    """Class decorator: one instance serves every batch of its (partner, kind)."""
    adapter = adapter_class()
    INBOUND[(adapter.partner, adapter.kind)] = adapter
    return adapter_class


def adapter_for(partner: str, kind: str) -> InboundAdapter | None:
    return INBOUND.get((partner, kind))


# Each module registers its adapters on import.
from . import deaths, hospitals, population, province, tax  # noqa: E402, F401
