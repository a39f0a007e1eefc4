"""劳动能力鉴定 API under /api/v1/appraisal/: one router assembled from the parts (applications,
batches and panels, conclusions and publication, the grading aid)."""

from ninja import Router

from . import api_applications, api_batches, api_conclusions, api_grading

router = Router(tags=["劳动能力鉴定"])
router.add_router("", api_applications.router)
router.add_router("", api_batches.router)
router.add_router("", api_conclusions.router)
router.add_router("", api_grading.router)
