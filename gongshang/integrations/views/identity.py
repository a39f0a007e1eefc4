"""身份核验 pages: the list of checks (ID numbers masked, filters) with a manual check form on
the same page (数据交换管理员 and 受理员 of the 统筹区)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from gongshang.accounts.access import may, permit
from gongshang.core.errors import DomainError
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.web.paging import paged

from ..choices import IdentityContext, IdentityResult
from ..presenters.identity import page_row
from ..selectors.identity import identity_check_list
from ..services.identity import cache_days, identity_check_record

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IdentityFilterForm(forms.Form):
    context = forms.ChoiceField(label="核验场景", required=False, choices=[("", "全部")] + IdentityContext.choices)
    result = forms.ChoiceField(label="核验结果", required=False, choices=[("", "全部")] + IdentityResult.choices)
    cached = forms.ChoiceField(label="答复来源", required=False,
                               choices=[("", "全部"), ("0", "查询人口库"), ("1", "使用缓存结果")])
    id_number = forms.CharField(label="身份证号", max_length=30, required=False, help_text="完整 18 位，精确查找")
    date_from = forms.DateField(label="核验日期起", required=False, widget=DATE)
    date_to = forms.DateField(label="核验日期止", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")  # the check form on the same page has its own ids
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "核验日期止不能早于核验日期起，请调整日期范围。")
        return data


class IdentityCheckForm(forms.Form):
    id_number = forms.CharField(label="身份证号", max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"}),
                                error_messages={"required": "请填写要核验的身份证号（18 位）"})
    name = forms.CharField(label="姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"}),
                           error_messages={"required": "请填写姓名（与身份证上的一致）"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "check_%s")
        super().__init__(*args, **kwargs)


def _page(request, check_form=None, status=200):
    form = IdentityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page, query = paged(request, identity_check_list(actor=request.user, filters=filters))
    return render(request, "integrations/identity/list.html", {
        "form": form, "page": page, "query": query, "rows": [page_row(c) for c in page.object_list],
        "check_form": check_form or IdentityCheckForm(), "cache_days": cache_days(),
        "can_check": may(request.user, "identity_check", "check")}, status=status)


@permit("identity_check", "view")
def identity_list(request):
    return _page(request)


@require_POST
@permit("identity_check", "check")
def identity_check(request):
    form = IdentityCheckForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    try:
        found = identity_check_record(actor=request.user, id_number=form.cleaned_data["id_number"],
                                      name=form.cleaned_data["name"], context=IdentityContext.STAFF,
                                      region=request.user.jurisdiction or "")
    except DomainError as exc:
        for field, message in (getattr(exc, "errors", None) or {None: exc.message}).items():
            form.add_error(field if field in form.fields else None, message)
        return _page(request, form, status=exc.status)
    who = f"{mask_id_number(found.id_number)} {mask_name(form.cleaned_data['name'].strip())}"
    how = f"（使用 {cache_days()} 天内同一身份证号和姓名的核验结果）" if found.cached else ""
    report = messages.success if found.result == IdentityResult.MATCH else messages.warning
    report(request, f"核验结果（{who}）：{IdentityResult(found.result).label}{how}")
    return redirect("integrations:identity_list")


urlpatterns = [
    path("identity/", identity_list, name="identity_list"),
    path("identity/check/", identity_check, name="identity_check"),
]
