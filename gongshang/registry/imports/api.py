"""Roster batch import API (/api/v1/registry/roster-imports)."""

from ninja import Router

from gongshang.api.auth import bearer

router = Router(tags=["批量报盘"], auth=bearer)
