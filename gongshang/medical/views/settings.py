"""工伤医疗地区参数 page: the versions of the 统筹区 and a form to add one from a date."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import may, permit
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form

from .. import forms as f
from ..selectors.institutions import setting_for, setting_list
from ..services.settings import setting_add


@permit("medical_setting", "view")
def settings_page(request, form=None):
    today = timezone.localdate()
    return render(request, "medical/settings.html", {
        "current": setting_for(request.user.jurisdiction or "", today), "versions": setting_list(actor=request.user),
        "form": form or f.SettingForm(), "may_edit": may(request.user, "medical_setting", "edit"), "today": today})


@require_POST
@permit("medical_setting", "edit")
def settings_add(request):
    form = f.SettingForm(request.POST)
    if form.is_valid():
        try:
            setting = setting_add(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"已添加自 {setting.valid_from:%Y-%m-%d} 起生效的参数。")
            return redirect("medical:settings")
    return settings_page(request, form=form)


urlpatterns = [
    path("settings/", settings_page, name="settings"),
    path("settings/add/", settings_add, name="settings_add"),
]
