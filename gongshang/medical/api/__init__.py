"""工伤医疗 API under /api/v1/medical/: one router assembled from the parts (each part's module holds
its own `router`)."""

from ninja import Router

from . import eligibility, encounters

router = Router(tags=["工伤医疗"])
router.add_router("", eligibility.router)
router.add_router("", encounters.router)
