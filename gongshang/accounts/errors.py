from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountsErrorCode(models.TextChoices):
    BAD_CREDENTIALS = "bad_credentials", _("账号或密码不正确。")
    LOCKED_OUT = "locked_out", _("登录失败次数过多，账户已临时锁定。")
    LOGIN_THROTTLED = "login_throttled", _("当前网络登录失败次数过多，请稍后再试。")
    CHALLENGE_REQUIRED = "challenge_required", _("该账户近期登录失败较多，请填写图形验证码后再登录。")
    CAPTCHA_INVALID = "captcha_invalid", _("图形验证码不正确或已过期，请重新获取。")
    INACTIVE = "inactive", _("该账户已停用，请联系管理员。")
    SMS_CODE_INVALID = "sms_code_invalid", _("短信验证码不正确或已过期，请重新获取。")
    ALREADY_REGISTERED = "already_registered", _("该单位已注册账户，请直接登录；忘记密码可通过预留手机找回。")
    REGISTRY_MISMATCH = "registry_mismatch", _("填写的信息与参保登记信息不一致。")
    SEPARATION_OF_DUTIES = "separation_of_duties", _("系统管理员、安全管理员、审计管理员三种角色不能由同一账户兼任（三权分立）。")
