"""Public kernel endpoints (calendar)."""

from ninja import Router

router = Router(tags=["日历"])
