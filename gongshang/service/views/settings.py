"""服务参数 page: the versions of the 统筹区 (ticket due days per category, the follow-up days of a
bad rating, the prevention cap) and a form to add one from a date."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import may, permit
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form

from ..selectors.settings import setting_for, setting_list
from ..services.settings import service_setting_add
from .tickets_forms import SettingForm


@permit("service_setting", "view")
def settings_page(request, form=None):
    today = timezone.localdate()
    return render(request, "service/tickets/settings.html", {
        "current": setting_for(request.user.jurisdiction or "", today), "versions": setting_list(actor=request.user),
        "form": form or SettingForm(), "may_edit": may(request.user, "service_setting", "edit"), "today": today},
        status=422 if form is not None else 200)


@require_POST
@permit("service_setting", "edit")
def settings_add(request):
    form = SettingForm(request.POST)
    if form.is_valid():
        try:
            setting = service_setting_add(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"已添加自 {setting.valid_from:%Y-%m-%d} 起生效的服务参数。")
            return redirect("service:settings")
    return settings_page(request, form=form)


urlpatterns = [
    path("settings/", settings_page, name="settings"),
    path("settings/add/", settings_add, name="settings_add"),
]
