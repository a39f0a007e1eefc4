from ninja import Router

router = Router(tags=["认证"])
