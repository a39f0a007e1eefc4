"""劳动能力鉴定 API (paths fixed by the issue); thin: parse, load-and-check, call a service, shape."""

from ninja import Router

from gongshang.api.auth import bearer

router = Router(tags=["劳动能力鉴定"], auth=bearer)
