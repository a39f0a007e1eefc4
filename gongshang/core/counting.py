"""Counting the rows of a list without reading all of them: pages and API lists stop at COUNT_CAP
(a work list beyond it is filtered, not paged), so an exact count never scans millions of rows."""

COUNT_CAP = 1_000


def capped_count(rows, cap: int | None = None) -> tuple[int, bool]:
    """(count, capped): counts at most `cap` (COUNT_CAP) + 1 rows (a LIMIT inside the COUNT), so
    the cost is bounded whatever the size of the list."""
    cap = COUNT_CAP if cap is None else cap
    if not hasattr(rows, "query"):
        count = len(rows)
    else:
        query = rows.query
        if not (query.combinator or query.distinct_fields or query.group_by is not None
                or getattr(rows, "_fields", None) is not None):
            # Only the key: annotations the filters do not use (a derived status per row) are not
            # computed for the rows counted.
            rows = rows.values("pk")
        count = rows.order_by()[:cap + 1].count()
    return min(count, cap), count > cap
