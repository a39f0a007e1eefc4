from django import forms
from django.utils.translation import gettext_lazy as _

from . import codes


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"), max_length=40,
        help_text=_("文书底部的 16 位验证码，字母不区分大小写，可省略短横线"),
        widget=forms.TextInput(attrs={"id": "verify-code", "autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false", "placeholder": "XXXX-XXXX-XXXX-XXXX"}),
    )

    def clean_code(self):
        code = codes.normalize(self.cleaned_data["code"])
        if len(code) != codes.CODE_LENGTH:
            raise forms.ValidationError(
                _("验证码应为 16 位字母或数字（不含短横线），您输入了 %(n)s 位，请核对文书底部的验证码") % {"n": len(code)})
        if not codes.is_well_formed(code):
            raise forms.ValidationError(_("验证码有误（校验位不符），请逐位核对后重新输入"))
        return code


class FileCheckForm(forms.Form):
    file = forms.FileField(
        label=_("PDF 文件"), help_text=_("选择您收到的 PDF 文件，系统只计算其 SHA-256 与原件比对，不保存文件"),
        widget=forms.ClearableFileInput(attrs={"id": "verify-file", "accept": "application/pdf,.pdf"}),
    )
