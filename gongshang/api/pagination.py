"""limit/offset of every API list, in one place and bounded.

An unbounded offset reaches the database as is: 9223372036854775808 overflows PostgreSQL's
bigint and answered 500. Every list takes PageParams (or the ninja pagination class below,
which shares its bounds), so an out-of-range value answers 422 naming `limit` or `offset`.

Counts stop at COUNT_CAP: an exact count of a list of millions reads every row of it, on every
page. `count` is then COUNT_CAP and `count_capped` true (narrow the filter to see the rest).
"""

from django.conf import settings
from ninja import Schema
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffsetPagination
from pydantic import Field

from gongshang.core.counting import COUNT_CAP, capped_count  # noqa: F401 (also the API's names)

MAX_LIMIT = 200
MAX_OFFSET = 10_000_000
DEFAULT_LIMIT = 50
COUNT_DESCRIPTION = f"共多少条；超过 {COUNT_CAP} 条时为 {COUNT_CAP}（见 count_capped）"
CAPPED_DESCRIPTION = f"true：实际条数超过 {COUNT_CAP} 条，只数到这里；请缩小筛选范围"
LIMIT_DESCRIPTION = f"每页条数，1～{MAX_LIMIT}"
OFFSET_DESCRIPTION = f"跳过的条数（从 0 起），0～{MAX_OFFSET}"


class PageParams(Schema):
    """Query parameters of a list: `Query[PageParams]` in an operation's signature."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=OFFSET_DESCRIPTION)


class CappedCount(Schema):
    """The count fields of a page: `count` (capped) and `count_capped`."""

    count: int = Field(description=COUNT_DESCRIPTION)
    count_capped: bool = Field(False, description=CAPPED_DESCRIPTION)


def count_fields(rows) -> dict:
    count, capped = capped_count(rows)
    return {"count": count, "count_capped": capped}


class LimitOffsetPagination(NinjaLimitOffsetPagination):
    """ninja's `@paginate` answer ({"items", "count", "count_capped"}) with PageParams' bounds and
    the capped count."""

    class Input(PageParams):
        limit: int = Field(getattr(settings, "NINJA_PAGINATION_PER_PAGE", 20), ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)

    class Output(CappedCount):
        items: list

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        return {self.items_attribute: queryset[offset:offset + limit], **count_fields(queryset)}
