"""目录 pages: search (institutions and staff), and for the 稽核员 the import (upload, result with row
errors, the error list as CSV) and the recent imports."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import get_for, permit
from gongshang.core.errors import DomainError
from gongshang.registry.imports.downloads import attachment
from gongshang.web.errors import add_errors_to_form
from gongshang.web.paging import paged

from .. import forms as f
from ..catalogue_files import max_bytes
from ..choices import ImportStatus
from ..models import CatalogueImport
from ..presenters import institutions as p
from ..selectors.catalogues import catalogue_import_list, catalogue_region, catalogue_search
from ..services import catalogues as services


@permit("medical_catalogue", "view")
def catalogue_list(request):
    form = f.CatalogueSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    on = filters.get("on") or timezone.localdate()
    region = catalogue_region(request.user)
    rows = catalogue_search(actor=request.user, region=region, q=filters.get("q", ""), kind=filters.get("kind", ""),
                            on=on)
    page, query = paged(request, rows)
    return render(request, "medical/catalogues/list.html", {
        "form": form, "page": page, "query": query, "on": on,
        "rows": [p.catalogue_item_dict(i) for i in page.object_list]})


@permit("medical_catalogue", "import")
def import_list(request, form=None):
    page, query = paged(request, catalogue_import_list(actor=request.user), size=20)
    return render(request, "medical/catalogues/imports.html", {
        "form": form or f.CatalogueImportForm(), "page": page, "query": query,
        "max_mb": max_bytes() // (1024 * 1024)})


@require_POST
@permit("medical_catalogue", "import")
def import_create(request):
    form = f.CatalogueImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > max_bytes():
            form.add_error("file", f"文件超过 {max_bytes() // (1024 * 1024)} MB 的上限，请拆分为多个文件分批导入")
        else:
            try:
                record = services.catalogue_import(actor=request.user, data=upload.read(), file_name=upload.name,
                                                   kind=form.cleaned_data["kind"],
                                                   national=form.cleaned_data["national"])
            except DomainError as exc:
                add_errors_to_form(form, exc)
            else:
                if record.status == ImportStatus.DONE:
                    messages.success(request, f"已导入 {record.accepted} 条目录。")
                else:
                    messages.error(request, "文件有错误，整批未导入。请按错误明细修改后重新上传整个文件。")
                return redirect("medical:catalogue_import_detail", pk=record.pk)
    return import_list(request, form=form)


@permit("medical_catalogue", "import")
def import_detail(request, pk):
    record = get_for(request.user, CatalogueImport, pk, "import")
    page, query = paged(request, record.items.order_by("code", "valid_from"), size=50)
    return render(request, "medical/catalogues/import_detail.html", {
        "record": record, "errors": record.errors[:200], "more_errors": max(len(record.errors) - 200, 0),
        "page": page, "query": query, "rows": [p.catalogue_item_dict(i) for i in page.object_list]})


@permit("medical_catalogue", "import")
def import_errors(request, pk):
    record = get_for(request.user, CatalogueImport, pk, "import")
    return attachment(services.error_csv(record), f"目录导入错误明细-{record.pk}.csv", "text/csv; charset=utf-8")


urlpatterns = [
    path("catalogue/", catalogue_list, name="catalogue_list"),
    path("catalogue/imports/", import_list, name="catalogue_imports"),
    path("catalogue/imports/new/", import_create, name="catalogue_import_create"),
    path("catalogue/imports/<int:pk>/", import_detail, name="catalogue_import_detail"),
    path("catalogue/imports/<int:pk>/errors.csv", import_errors, name="catalogue_import_errors"),
]
