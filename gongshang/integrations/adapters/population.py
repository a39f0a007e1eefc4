"""公安人口库 (the population register): is this ID number this person's, and is the person alive?

Unlike the other partners, the register sends no files: the platform asks it, one person at a time
(or a list at once, for a batch import). Its client is chosen by the setting
`POPULATION_REGISTER_BACKEND` (a dotted path to a class; default: the fake register in
fakes/population.py). A backend answers `check(id_number, name) -> IdentityResult` and may offer
`check_many(pairs)` for a list (one round trip instead of one per person). When the register
cannot answer (down, timeout, refused), it raises `RegisterUnavailable`; the identity service
(services/identity.py) records that as `unavailable` and never lets it stop the caller's work.

Only the interface and the fakes live here: the real register's protocol is agreed with 公安 per
deployment and added as one more backend class.
"""

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from ..choices import IdentityResult

DEFAULT_BACKEND = "gongshang.integrations.fakes.population.FakePopulationRegister"


class RegisterUnavailable(Exception):
    """The register did not answer (down, timeout, refused the connection)."""


@runtime_checkable
class PopulationRegister(Protocol):
    def check(self, id_number: str, name: str) -> IdentityResult:
        """MATCH, NAME_MISMATCH, NOT_FOUND or DECEASED; raises RegisterUnavailable."""


@lru_cache(maxsize=8)
def _backend_class(path: str):
    return import_string(path)


def backend_path() -> str:
    return getattr(settings, "POPULATION_REGISTER_BACKEND", "") or DEFAULT_BACKEND


def register() -> PopulationRegister:
    """The configured register client (read at call time: tests switch it with settings)."""
    return _backend_class(backend_path())()


def check_many(backend: PopulationRegister, pairs: Sequence[tuple[str, str]]) -> list[IdentityResult]:
    """The answers for (id_number, name) pairs, in order: the backend's own list call when it has
    one, else one `check` per pair. Raises RegisterUnavailable like `check`."""
    many = getattr(backend, "check_many", None)
    if many is not None:
        return [IdentityResult(r) for r in many(list(pairs))]
    return [IdentityResult(backend.check(id_number, name)) for id_number, name in pairs]

