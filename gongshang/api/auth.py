"""Bearer-token authentication for /api/v1/ (tokens from POST /api/v1/auth/token)."""

from ninja.security import HttpBearer

from gongshang.accounts.services.tokens import api_token_lookup


class BearerAuth(HttpBearer):
    openapi_description = "POST /api/v1/auth/token 取得的令牌：Authorization: Bearer <token>"

    def authenticate(self, request, token):
        found = api_token_lookup(token)
        if found is None:
            return None
        # The token itself, for POST /auth/logout (revoke the token used) and the token list.
        request.api_token = found
        request.user = found.user
        return found.user


bearer = BearerAuth()
