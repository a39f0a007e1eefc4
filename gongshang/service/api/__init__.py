"""服务 API under /api/v1/service/: one router assembled from the parts (each part's module holds
its own `router`). Case messages live under /api/v1/cases/{number}/messages (cases router)."""

from ninja import Router

router = Router(tags=["服务"])
cases_router = Router(tags=["案件留言"])

from . import window  # noqa: E402  (part A: 一窗受理)

router.add_router("", window.router)
