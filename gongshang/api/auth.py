"""Bearer-token authentication for /api/v1/ (tokens from POST /api/v1/auth/token)."""

from ninja.security import HttpBearer

from gongshang.accounts.services.auth import api_token_resolve


class BearerAuth(HttpBearer):
    openapi_description = "POST /api/v1/auth/token 取得的令牌：Authorization: Bearer <token>"

    def authenticate(self, request, token):
        user = api_token_resolve(token)
        if user is not None:
            request.user = user
        return user


bearer = BearerAuth()
