"""数据交换 demo data: batches from the fake partners (fakes/), applied through the real adapters.
Each area's module has `seed(stdout)`; run in this order (contributions before deaths before
eligibility: a death stops what eligibility would otherwise ask to confirm)."""

from importlib import import_module

AREAS = ("batches", "identity", "contributions", "hospitals", "deaths", "eligibility", "province")


def seed(stdout=None) -> None:
    for area in AREAS:
        try:
            module = import_module(f"{__name__}.{area}")
        except ModuleNotFoundError:
            continue
        module.seed(stdout=stdout)
