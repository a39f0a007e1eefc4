"""工伤医疗 API under /api/v1/medical/: one router assembled from the parts (each part's module holds
its own `router`)."""

from ninja import Router

router = Router(tags=["工伤医疗"])

from . import referrals, remote  # noqa: E402  (part E: 异地就医备案, 辅助器具与康复)

router.add_router("", remote.router)
router.add_router("", referrals.router)
