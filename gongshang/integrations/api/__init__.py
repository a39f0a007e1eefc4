"""数据交换 API under /api/v1/exchange/: one router assembled from the areas (each module holds its
own `router`)."""

from ninja import Router

from . import batches, contributions, deaths, eligibility, hospitals, identity, province

router = Router(tags=["数据交换"])
router.add_router("", batches.router)
router.add_router("", contributions.router)
router.add_router("", deaths.router)
router.add_router("", identity.router)
router.add_router("", eligibility.router)
router.add_router("", province.router)
router.add_router("", hospitals.router)
