"""工伤待遇 API: calculator, entitlements, payroll runs."""

from ninja import Router

router = Router(tags=["工伤待遇"])
