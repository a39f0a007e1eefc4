"""认证接口: tokens for password accounts (employer USCC, staff + TOTP, institution client) and
SMS-code tokens for individuals."""

from datetime import datetime

from ninja import Router, Schema
from pydantic import Field

from gongshang.accounts.choices import SmsPurpose
from gongshang.accounts.services import auth
from gongshang.accounts.services.sms import sms_code_send
from gongshang.api.auth import bearer
from gongshang.core.errors import FieldErrors

router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150, description="单位为统一社会信用代码；经办人员为用户名；定点机构为客户端标识")
    password: str = Field(..., min_length=1, max_length=256)
    otp: str | None = Field(None, max_length=6, description="经办人员必填：6 位动态口令")


class TokenOut(Schema):
    token: str
    expires_at: datetime


class SmsCodeIn(Schema):
    mobile: str = Field(..., min_length=11, max_length=20)


class SmsCodeOut(Schema):
    sent: bool
    expires_in: int


class SmsTokenIn(Schema):
    mobile: str = Field(..., min_length=11, max_length=20)
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
    from django.core.exceptions import ValidationError

    from gongshang.core.validators import validate_mobile

    try:
        return validate_mobile(value)
    except ValidationError as exc:
        raise FieldErrors({"mobile": "；".join(exc.messages)}) from exc


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
