"""服务 API under /api/v1/service/: one router assembled from the parts (each part's module holds
its own `router`). Case messages live under /api/v1/cases/{number}/messages (cases router)."""

from ninja import Router

router = Router(tags=["服务"])
cases_router = Router(tags=["案件留言"])

# Part F: 合作经办 and the 领导驾驶舱.
from . import cooperation, dashboard  # noqa: E402

router.add_router("", cooperation.router)
router.add_router("", dashboard.router)
