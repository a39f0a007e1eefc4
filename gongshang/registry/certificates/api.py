"""Certificate PDFs (/api/v1/registry/certificates/...)."""

from ninja import Router

from gongshang.api.auth import bearer

router = Router(tags=["证明打印"], auth=bearer)
