"""工伤医疗 API under /api/v1/medical/: one router assembled from the parts (each part's module holds
its own `router`)."""

from ninja import Router

from . import audits, catalogue, eligibility, encounters, institutions, referrals, remote, review, statements

router = Router(tags=["工伤医疗"])
router.add_router("", institutions.router)
router.add_router("", catalogue.router)
router.add_router("", remote.router)
router.add_router("", referrals.router)
router.add_router("", review.router)
router.add_router("", statements.router)
router.add_router("", audits.router)
router.add_router("", eligibility.router)
router.add_router("", encounters.router)
