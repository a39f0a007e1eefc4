"""目录 reads: the version of a code valid on a day (the 统筹区's row wins over the national one),
one at a time or in bulk (one query for a whole bill), and the search behind the API and pages."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet

from gongshang.accounts.access import restrict
from gongshang.accounts.choices import Audience

from ..models import CatalogueImport, CatalogueItem
from .institutions import institutions_of_client


def _valid_on(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def _best(rows, region: str) -> dict:
    """code → the row that applies: regional before national, then the latest valid_from."""
    best = {}
    for item in rows:
        current = best.get(item.code)
        if current is None or (item.region == region, item.valid_from) > (current.region == region,
                                                                          current.valid_from):
            best[item.code] = item
    return best


def catalogue_items_on(codes: Iterable[str], on: date, region: str) -> dict[str, CatalogueItem]:
    """{code: item} for the codes found valid on `on` in `region` or the national list; ONE query
    (the settlement of a 2,000-line bill calls this once). Codes not found are absent."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    rows = CatalogueItem.objects.filter(_valid_on(on), code__in=wanted, region__in={region, ""})
    return _best(rows, region)


def catalogue_item_on(code: str, on: date, region: str) -> CatalogueItem | None:
    return catalogue_items_on([code], on, region).get(code)


def catalogue_search(*, actor, region: str, q: str = "", kind: str = "", on: date) -> QuerySet:
    """Items valid on `on` for `region` (its own rows and the national list; a national row is
    hidden where the region has its own row for the code). `q`: a code prefix or part of a name."""
    rows = restrict(actor, CatalogueItem).filter(_valid_on(on), region__in={region, ""})
    regional_codes = CatalogueItem.objects.filter(_valid_on(on), region=region).values("code") if region else None
    if regional_codes is not None:
        rows = rows.exclude(Q(region="") & Q(code__in=regional_codes))
    if kind:
        rows = rows.filter(kind=kind)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(code__istartswith=q) | Q(name__icontains=q))
    return rows.order_by("kind", "code", "-valid_from")


def catalogue_import_list(*, actor) -> QuerySet:
    return restrict(actor, CatalogueImport).order_by("-created_at", "-pk")


def catalogue_region(actor) -> str:
    """Whose regional catalogue an account reads: an institution its 协议机构's 统筹区, anyone else
    their own jurisdiction (the platform's home 统筹区 when they have none)."""
    if actor.kind == Audience.INSTITUTION:
        own = institutions_of_client(actor).values_list("region", flat=True).first()
        if own:
            return own
    return actor.jurisdiction or settings.DEFAULT_POOLING_REGION
