"""劳动能力鉴定 API under /api/v1/appraisal/: one router assembled from the parts (applications,
batches and panels, conclusions and publication, the grading aid)."""

from ninja import Router

from . import applications, batches, conclusions, grading

router = Router(tags=["劳动能力鉴定"])
router.add_router("", applications.router)
router.add_router("", batches.router)
router.add_router("", conclusions.router)
router.add_router("", grading.router)
