"""认证接口: tokens for password accounts (employer USCC, staff + TOTP, institution client) and
SMS-code tokens for individuals; the captcha challenge; logout and the caller's own tokens."""

from datetime import datetime

from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from gongshang.accounts.access import api_permit, public
from gongshang.accounts.choices import SmsPurpose, TokenChannel, TokenRevokeReason
from gongshang.accounts.selectors import api_token_get_for, api_token_list, employer_handler_list
from gongshang.accounts.services import auth, employers, tokens
from gongshang.accounts.services.challenge import captcha_new, captcha_passed
from gongshang.accounts.services.sms import sms_code_send
from gongshang.accounts.validation import collect, validated
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams
from gongshang.api.schemas import ApiSchema, mobile_field
from gongshang.core.validators import validate_mobile

router = Router(tags=["认证"])


MAX_ID = 2**63 - 1  # ids are 64-bit: a larger one would fail in the database, not answer 404
LABEL_DESCRIPTION = "客户端名称（可选，例如“HIS 接口”），显示在“我的登录令牌”中；不填时记录 User-Agent"


class TokenIn(ApiSchema):
    username: str = Field(..., min_length=1, max_length=150, description="单位为统一社会信用代码；经办人员为用户名；定点机构为客户端标识")
    password: str = Field(..., min_length=1, max_length=256)
    otp: str | None = Field(None, max_length=6, description="经办人员必填：6 位动态口令")
    captcha_key: str | None = Field(None, max_length=64,
                                    description="账户近期登录失败较多时必填：GET /api/v1/auth/captcha 返回的 key")
    captcha: str | None = Field(None, max_length=16, description="与 captcha_key 一起提交：验证码图片中的字符")
    label: str | None = Field(None, max_length=100, description=LABEL_DESCRIPTION)


class TokenOut(Schema):
    token: str
    expires_at: datetime


class SmsCodeIn(ApiSchema):
    mobile: str = mobile_field(...)


class SmsCodeOut(Schema):
    sent: bool
    expires_in: int


class SmsTokenIn(ApiSchema):
    mobile: str = mobile_field(...)
    code: str = Field(..., min_length=6, max_length=6)
    label: str | None = Field(None, max_length=100, description=LABEL_DESCRIPTION)


class CaptchaOut(Schema):
    key: str = Field(..., description="提交令牌请求时作为 captcha_key")
    image_url: str = Field(..., description="验证码图片（PNG）的地址")


class TokenItemOut(Schema):
    id: int
    prefix: str = Field(..., description="令牌开头几位，便于辨认（完整令牌只在签发时返回一次）")
    label: str
    channel: str
    created_at: datetime
    created_ip: str | None
    last_used_at: datetime | None
    expires_at: datetime
    current: bool = Field(..., description="是否为本次请求所用的令牌")


class TokenPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[TokenItemOut]


class ErrorOut(Schema):
    code: str
    message: str
    details: dict | list


class MeOut(Schema):
    username: str
    kind: str
    display_name: str
    jurisdiction: str
    roles: list[str]
    employer_uscc: str | None = None
    person_bound: bool


def _mobile(value: str) -> str:
    with collect() as errors:
        value = validated(errors, "mobile", validate_mobile, value)
    return value


@router.post("/token", response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
             auth=None, summary="用账号密码（经办人员另加动态口令）换取令牌")
@public
def issue_token(request, payload: TokenIn):
    """Five failures lock the account for this client only; twenty failures from one client across
    accounts pause its logins (429); past the account's ceiling a captcha is required (403
    challenge_required: fetch one from GET /api/v1/auth/captcha and send captcha_key + captcha)."""
    challenge = captcha_passed(payload.captcha_key, payload.captcha)
    user, _ = auth.authenticate_password(request, username=payload.username, password=payload.password,
                                         otp=payload.otp, challenge_passed=challenge)
    key, token = tokens.api_token_issue(user=user, channel=TokenChannel.PASSWORD, label=payload.label or "")
    return {"token": key, "expires_at": token.expires_at}


@router.get("/captcha", response={200: CaptchaOut, 429: ErrorOut}, auth=None,
            summary="获取图形验证码（账户需验证时使用）")
@public
def new_captcha(request):
    key, image_url = captcha_new()
    return {"key": key, "image_url": request.build_absolute_uri(image_url)}


@router.post("/sms-code", response={200: SmsCodeOut, 422: ErrorOut, 429: ErrorOut}, auth=None,
             summary="个人：获取登录短信验证码")
@public
def send_sms_code(request, payload: SmsCodeIn):
    from django.conf import settings

    sms_code_send(mobile=_mobile(payload.mobile), purpose=SmsPurpose.LOGIN)
    return {"sent": True, "expires_in": settings.SMS_CODE_TTL_SECONDS}


@router.post("/sms-token", response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
             auth=None, summary="个人：用手机号和短信验证码换取令牌")
@public
def issue_sms_token(request, payload: SmsTokenIn):
    user = auth.individual_sms_login(request, mobile=_mobile(payload.mobile), code=payload.code)
    key, token = tokens.api_token_issue(user=user, channel=TokenChannel.SMS, label=payload.label or "")
    return {"token": key, "expires_at": token.expires_at}


@router.post("/logout", response={204: None, 401: ErrorOut}, auth=bearer, summary="退出登录：撤销本次请求所用的令牌")
@api_permit("own_account", "edit")
def logout(request):
    tokens.api_token_revoke(actor=request.auth, token=request.api_token, reason=TokenRevokeReason.LOGOUT)
    return Status(204, None)


def _token_item(token, current_pk) -> dict:
    return {"id": token.pk, "prefix": token.masked, "label": token.label, "channel": token.get_channel_display(),
            "created_at": token.created_at, "created_ip": token.created_ip, "last_used_at": token.last_used_at,
            "expires_at": token.expires_at, "current": token.pk == current_pk}


@router.get("/tokens", response={200: TokenPageOut, 401: ErrorOut, 422: ErrorOut}, auth=bearer,
            summary="本账户仍有效的令牌")
@api_permit("own_account", "view")
def list_tokens(request, page: Query[PageParams]):
    rows = api_token_list(actor=request.auth)
    end = page.offset + page.limit
    return {"count": rows.count(), "limit": page.limit, "offset": page.offset,
            "items": [_token_item(t, request.api_token.pk) for t in rows[page.offset:end]]}


@router.delete("/tokens/{token_id}", response={204: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
               auth=bearer, summary="撤销本账户的一个令牌")
@api_permit("own_account", "edit")
def revoke_token(request, token_id: int = Path(..., ge=1, le=MAX_ID)):
    token = api_token_get_for(request.auth, token_id, "edit")
    tokens.api_token_revoke(actor=request.auth, token=token, reason=TokenRevokeReason.USER)
    return Status(204, None)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=bearer, summary="当前账户")
@api_permit("own_account", "view")
def me(request):
    user = request.auth
    return {"username": user.username, "kind": user.kind, "display_name": user.display_name,
            "jurisdiction": user.jurisdiction, "roles": sorted(user.role_codes),
            "employer_uscc": user.employer.uscc if user.employer_id else None,
            "person_bound": user.person_id is not None}


employer_router = Router(tags=["单位账户"], auth=bearer)


class HandlerIn(ApiSchema):
    username: str = Field(..., min_length=4, max_length=150, description="登录账户名，例如 统一社会信用代码-02")
    display_name: str = Field(..., min_length=1, max_length=50)
    mobile: str = mobile_field(...)
    password: str = Field(..., min_length=1, max_length=128)


class HandlerOut(Schema):
    username: str
    display_name: str
    mobile_masked: str
    is_primary_handler: bool


def _handler_out(user) -> dict:
    return {"username": user.username, "display_name": user.display_name, "mobile_masked": user.masked_mobile,
            "is_primary_handler": user.is_primary_handler}


@employer_router.get("/handlers", response=list[HandlerOut], summary="本单位经办人账户")
@api_permit("employer_handler", "view")
def list_handlers(request):
    return [_handler_out(u) for u in employer_handler_list(actor=request.auth)]


@employer_router.post("/handlers", response={201: HandlerOut, 403: ErrorOut, 422: ErrorOut},
                      summary="主经办人新增经办人账户")
@api_permit("employer_handler", "manage")
def add_handler(request, payload: HandlerIn):
    user = employers.employer_handler_add(actor=request.auth, **payload.dict())
    return Status(201, _handler_out(user))
