"""服务 API under /api/v1/service/: one router assembled from the parts (each part's module holds
its own `router`). Case messages live under /api/v1/cases/{case_number}/messages (`cases_router`)."""

from ninja import Router

from . import (
    cooperation,
    dashboard,
    messages,
    prevention,
    ratings,
    tickets,
    training,
    window,
)

router = Router(tags=["服务"])
cases_router = Router(tags=["案件留言"])
router.add_router("", window.router)
router.add_router("", tickets.router)
cases_router.add_router("", messages.router)
router.add_router("", ratings.router)
router.add_router("", prevention.router)
router.add_router("", training.router)
router.add_router("", cooperation.router)
router.add_router("", dashboard.router)
