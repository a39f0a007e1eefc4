"""limit/offset of every API list, in one place and bounded.

An unbounded offset reaches the database as is: 9223372036854775808 overflows PostgreSQL's
bigint and answered 500. Every list takes PageParams (or the ninja pagination class below,
which shares its bounds), so an out-of-range value answers 422 naming `limit` or `offset`.
"""

from django.conf import settings
from ninja import Schema
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffsetPagination
from pydantic import Field

MAX_LIMIT = 200
MAX_OFFSET = 10_000_000
DEFAULT_LIMIT = 50
LIMIT_DESCRIPTION = f"每页条数，1～{MAX_LIMIT}"
OFFSET_DESCRIPTION = f"跳过的条数（从 0 起），0～{MAX_OFFSET}"


class PageParams(Schema):
    """Query parameters of a list: `Query[PageParams]` in an operation's signature."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=OFFSET_DESCRIPTION)


class LimitOffsetPagination(NinjaLimitOffsetPagination):
    """ninja's `@paginate` answer ({"items", "count"}) with PageParams' bounds."""

    class Input(PageParams):
        limit: int = Field(getattr(settings, "NINJA_PAGINATION_PER_PAGE", 20), ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
