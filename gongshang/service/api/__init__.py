"""服务 API under /api/v1/service/: one router assembled from the parts (each part's module holds
its own `router`). Case messages live under /api/v1/cases/{number}/messages (cases router)."""

from ninja import Router

router = Router(tags=["服务"])
cases_router = Router(tags=["案件留言"])

# 好差评 (part D): /ratings, /ratings/follow-ups, /ratings/report, /tickets/{ticket_id}/callback.
from . import ratings  # noqa: E402

router.add_router("", ratings.router)
