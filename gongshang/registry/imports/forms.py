"""The upload form of a roster batch import (field names match the API: kind, mode, file)."""

from django import forms

from gongshang.registry.choices import ChangeDirection, ImportMode

MODE_HELP = ("全部正确才导入：只要有一行错误，整批都不导入，改正后重新上传整个文件。"
             "只导入正确的行：正确的行生成申报，错误的行列在结果中，可下载错误标注文件改正后单独上传。")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="报盘类型", choices=ChangeDirection.choices, initial=ChangeDirection.ADD,
                             widget=forms.RadioSelect)
    mode = forms.ChoiceField(label="导入方式", choices=ImportMode.choices, initial=ImportMode.ALL_OR_NOTHING,
                             widget=forms.RadioSelect, help_text=MODE_HELP)
    file = forms.FileField(
        label="报盘文件", help_text="请使用本页下载的模板填写，格式为 .xlsx。",
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
        error_messages={"required": "请选择要上传的 .xlsx 表格文件。",
                        "empty": "上传的文件是空的（0 字节），请选择填写好的 .xlsx 表格文件。"})
