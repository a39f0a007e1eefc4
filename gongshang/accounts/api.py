"""认证接口: tokens for password accounts (employer USCC, staff + TOTP, institution client) and
SMS-code tokens for individuals."""

from datetime import datetime

from ninja import Router, Schema, Status
from pydantic import Field

from gongshang.accounts.choices import Audience, SmsPurpose
from gongshang.accounts.permissions import require_audience
from gongshang.accounts.selectors import employer_handler_list
from gongshang.accounts.services import auth, employers
from gongshang.accounts.services.sms import sms_code_send
from gongshang.accounts.validation import collect, validated
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, mobile_field
from gongshang.core.validators import validate_mobile

router = Router(tags=["认证"])


class TokenIn(ApiSchema):
    username: str = Field(..., min_length=1, max_length=150, description="单位为统一社会信用代码；经办人员为用户名；定点机构为客户端标识")
    password: str = Field(..., min_length=1, max_length=256)
    otp: str | None = Field(None, max_length=6, description="经办人员必填：6 位动态口令")


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


@router.post("/token", response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut}, auth=None,
             summary="用账号密码（经办人员另加动态口令）换取令牌")
def issue_token(request, payload: TokenIn):
    user, _ = auth.authenticate_password(request, username=payload.username, password=payload.password,
                                         otp=payload.otp)
    key, token = auth.api_token_issue(request, user)
    return {"token": key, "expires_at": token.expires_at}


@router.post("/sms-code", response={200: SmsCodeOut, 422: ErrorOut, 429: ErrorOut}, auth=None,
             summary="个人：获取登录短信验证码")
def send_sms_code(request, payload: SmsCodeIn):
    from django.conf import settings

    sms_code_send(request, mobile=_mobile(payload.mobile), purpose=SmsPurpose.LOGIN)
    return {"sent": True, "expires_in": settings.SMS_CODE_TTL_SECONDS}


@router.post("/sms-token", response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut}, auth=None,
             summary="个人：用手机号和短信验证码换取令牌")
def issue_sms_token(request, payload: SmsTokenIn):
    user = auth.individual_sms_login(request, mobile=_mobile(payload.mobile), code=payload.code)
    key, token = auth.api_token_issue(request, user)
    return {"token": key, "expires_at": token.expires_at}


@router.get("/me", response=MeOut, auth=bearer, summary="当前账户")
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
def list_handlers(request):
    require_audience(request.auth, Audience.EMPLOYER)
    return [_handler_out(u) for u in employer_handler_list(actor=request.auth)]


@employer_router.post("/handlers", response={201: HandlerOut, 403: ErrorOut, 422: ErrorOut},
                      summary="主经办人新增经办人账户")
def add_handler(request, payload: HandlerIn):
    user = employers.employer_handler_add(request, actor=request.auth, **payload.dict())
    return Status(201, _handler_out(user))
