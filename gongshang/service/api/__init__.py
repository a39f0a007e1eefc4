"""服务 API under /api/v1/service/: one router assembled from the parts (each part's module holds
its own `router`). Case messages live under /api/v1/cases/{number}/messages (cases router)."""

from ninja import Router

router = Router(tags=["服务"])
cases_router = Router(tags=["案件留言"])

# 工伤预防培训 (part T)
from . import training  # noqa: E402

router.add_router("", training.router)
