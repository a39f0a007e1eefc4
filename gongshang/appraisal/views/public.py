"""劳动能力鉴定 public pages: 鉴定结论公示 (no login; names masked; only lines within their period) and
鉴定批次抽取承诺 (each batch's seed commitment before the draw, the seed after)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from gongshang.accounts.access import public
from gongshang.core.db.routers import reporting_view
from gongshang.core.regions import full_name

from .. import selectors
from ..forms.conclusions import PublicSearchForm
from ..services import publication


@public
@require_GET
@reporting_view
def publications(request):
    form = PublicSearchForm(request.GET or None)
    region = batch = ""
    if form.is_valid():
        region, batch = form.cleaned_data["region"].strip(), form.cleaned_data["batch"].strip()
    try:
        page_no = max(1, min(int(request.GET.get("page") or 1), 10000))
    except ValueError:
        page_no = 1
    page = publication.public_page(region=region, batch=batch, page=page_no)
    query = "&".join(f"{k}={v}" for k, v in (("region", region), ("batch", batch)) if v)
    return render(request, "appraisal/public/publications.html", {
        "form": form, "page": page, "query": query, "region_name": full_name(region) if region else "",
        "commitments": selectors.public_commitments(region=region, size=20)["items"]})


urlpatterns = [
    path("publications/", publications, name="publications"),
]
