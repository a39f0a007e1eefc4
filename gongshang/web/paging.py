from django.core.paginator import Paginator

PAGE_SIZE = 50


def paged(request, queryset, size: int = PAGE_SIZE):
    """A page of `queryset` and the query string without `page`, for web/_pagination links."""
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
