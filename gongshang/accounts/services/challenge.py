"""The login challenge: the image captcha (django-simple-captcha) of the web pages, also offered
to API callers once an account is past its failure ceiling (see services.lockout)."""

from captcha.fields import CaptchaField
from captcha.helpers import captcha_image_url
from captcha.models import CaptchaStore
from django.core.exceptions import ValidationError

from gongshang.accounts.errors import AccountsErrorCode
from gongshang.core.audit.context import current
from gongshang.core.errors import FieldErrors
from gongshang.core.ratelimit import hit

CAPTCHAS_PER_HOUR = 60


def captcha_new() -> tuple[str, str]:
    """A new challenge: (key, image path). Each key answers once; each client gets at most
    CAPTCHAS_PER_HOUR an hour through the API (each one is a database row)."""
    hit(f"captcha-ip:{current().network or 'unknown'}", limit=CAPTCHAS_PER_HOUR, window_seconds=3600,
        message="获取图形验证码过于频繁，请一小时后再试。")
    key = CaptchaStore.generate_key()
    return key, captcha_image_url(key)


def captcha_passed(key: str | None, response: str | None) -> bool:
    """False when no captcha was sent; True when it is right; FieldErrors when it is wrong,
    expired or half sent (the key is spent either way)."""
    key, response = (key or "").strip(), (response or "").strip()
    if not key and not response:
        return False
    if not key or not response:
        field = "captcha" if key else "captcha_key"
        raise FieldErrors({field: "请同时提交 captcha_key 和 captcha（图形验证码中的字符）。"})
    try:
        CaptchaField().clean([key, response])
    except ValidationError as exc:
        raise FieldErrors({"captcha": f"{AccountsErrorCode.CAPTCHA_INVALID.label}"
                                      "（GET /api/v1/auth/captcha 获取新的验证码）"}) from exc
    return True
