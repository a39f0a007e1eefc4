from captcha.fields import CaptchaField
from django import forms
from django.conf import settings

from gongshang.accounts.choices import StaffRole

TEXT = {"autocomplete": "off"}


class IndividualLoginForm(forms.Form):
    mobile = forms.CharField(label="手机号", max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))
    code = forms.CharField(label="短信验证码", max_length=6, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


LOGIN_CAPTCHA_ERRORS = {"invalid": "图形验证码不正确，请看清图片后重新输入（点击图片可换一张）"}


class ChallengeForm(forms.Form):
    """A login form that asks for the image captcha when `challenge` is set (the account is past
    its failure ceiling); a form that declares `captcha` itself always asks."""

    def __init__(self, *args, challenge: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if challenge and "captcha" not in self.fields:
            self.fields["captcha"] = CaptchaField(label="图形验证码", error_messages=LOGIN_CAPTCHA_ERRORS)

    @property
    def challenged(self) -> bool:
        return "captcha" in self.fields


class EmployerLoginForm(ChallengeForm):
    username = forms.CharField(label="统一社会信用代码或账户名", max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    captcha = CaptchaField(label="图形验证码", error_messages=LOGIN_CAPTCHA_ERRORS)


class InstitutionLoginForm(ChallengeForm):
    """定点机构 web sign-in: the API client id and secret (the same credentials as the API token)."""

    username = forms.CharField(label="客户端编号", max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label="客户端密钥", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    captcha = CaptchaField(label="图形验证码", error_messages=LOGIN_CAPTCHA_ERRORS)


class StaffLoginForm(ChallengeForm):
    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    otp = forms.CharField(label="动态口令", max_length=6, help_text="身份验证器中的 6 位数字",
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="当前密码",
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                   help_text="至少 8 位，不能是常见密码或纯数字")
    new_password2 = forms.CharField(label="确认新密码",
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class EmployerRegisterForm(forms.Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=18, help_text="营业执照上的 18 位代码")
    name = forms.CharField(label="单位名称", max_length=200)
    region = forms.ChoiceField(label="所属统筹区")
    legal_rep_name = forms.CharField(label="法定代表人姓名", max_length=50)
    legal_rep_id_number = forms.CharField(label="法定代表人身份证号", max_length=18, widget=forms.TextInput(attrs=TEXT))
    handler_name = forms.CharField(label="经办人姓名", max_length=50)
    handler_mobile = forms.CharField(label="经办人手机号", max_length=20, help_text="作为单位预留手机号，用于找回密码",
                                     widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    password = forms.CharField(label="登录密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text="至少 8 位，不能是常见密码或纯数字")
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    captcha = CaptchaField(label="图形验证码", error_messages={"invalid": "图形验证码不正确，请重新输入"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from gongshang.core.regions import pooling_region_choices

        self.fields["region"].choices = pooling_region_choices()
        self.fields["region"].initial = settings.DEFAULT_POOLING_REGION

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class PasswordResetForm(forms.Form):
    username = forms.CharField(label="账户名（统一社会信用代码）", max_length=150)
    legal_rep_name = forms.CharField(label="法定代表人姓名", max_length=50)
    code = forms.CharField(label="短信验证码", max_length=6, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    new_password = forms.CharField(label="新密码", required=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class BindPersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18, widget=forms.TextInput(attrs=TEXT))


class HandlerForm(forms.Form):
    username = forms.CharField(label="账户名", max_length=150, help_text="用于登录，例如 统一社会信用代码-02")
    display_name = forms.CharField(label="经办人姓名", max_length=50)
    mobile = forms.CharField(label="手机号", max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class StaffCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.CharField(label="本人手机号", max_length=20, help_text="激活链接将以短信发送到此号码，由本人设置密码和动态口令",
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    roles = forms.MultipleChoiceField(label="角色", choices=StaffRole.choices, widget=forms.CheckboxSelectMultiple,
                                      help_text="系统管理员、安全管理员、审计管理员三者只能选其一（三权分立）")
    organisation = forms.CharField(label="所属机构（合作经办）", max_length=100, required=False,
                                   help_text="仅合作经办人员填写：派驻的商业保险机构名称；本机构经办人员留空")


class StaffActivateForm(forms.Form):
    password = forms.CharField(label="设置密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text="至少 8 位，不能是常见密码或纯数字")
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    otp = forms.CharField(label="动态口令", max_length=6, help_text="扫描二维码后，身份验证器中显示的 6 位数字",
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class StaffRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label="角色", choices=StaffRole.choices, widget=forms.CheckboxSelectMultiple,
                                      help_text="系统管理员、安全管理员、审计管理员三者只能选其一（三权分立）")
    organisation = forms.CharField(label="所属机构（合作经办）", max_length=100, required=False,
                                   help_text="仅合作经办人员填写：派驻的商业保险机构名称；本机构经办人员留空")


class InstitutionForm(forms.Form):
    name = forms.CharField(label="定点机构名称", max_length=100)
