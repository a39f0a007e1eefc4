"""Pages of web lists: 50 rows a page, the count capped so a list of millions stays fast."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from gongshang.core.counting import COUNT_CAP, capped_count

PAGE_SIZE = 50


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows; beyond that `capped` is true, the count is COUNT_CAP and
    the pages stop there (the page says 超过 1000 条 and asks to narrow the filter)."""

    @cached_property
    def count(self):
        count, self.capped = capped_count(self.object_list)
        return count

    capped = False

    @property
    def count_label(self) -> str:
        """共 N 条, or 超过 1000 条 when the count stopped at the cap."""
        if self.count and self.capped:
            limit = f"{COUNT_CAP // 10_000} 万" if COUNT_CAP % 10_000 == 0 else f"{COUNT_CAP} "
            return f"超过 {limit}条，只列出前 {COUNT_CAP} 条，请缩小筛选范围"
        return f"共 {self.count} 条"


def paged(request, queryset, size: int = PAGE_SIZE):
    """A page of `queryset` and the query string without `page`, for core/_pagination links."""
    page = CappedPaginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
