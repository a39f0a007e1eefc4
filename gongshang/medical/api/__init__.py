"""工伤医疗 API under /api/v1/medical/: one router assembled from the parts (each part's module holds
its own `router`)."""

from ninja import Router

router = Router(tags=["工伤医疗"])

from . import review, statements  # noqa: E402  (part D: review desk and monthly statements)

router.add_router("", review.router)
router.add_router("", statements.router)
