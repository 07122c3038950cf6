"""Pagination of lists, for the pages and the API (its own module: DRF imports it while loading its generic views).

A page past the first selects its rows' keys first, ordered, offset and limited, and then the rows by those keys
(a deferred join, still one statement): the offset then walks and sorts narrow keys, not whole rows with their
joins, so that the last page of a district-wide list costs about what its first does (docs/PERFORMANCE.md,
"Scope and paging"). The first page is read the same way: a row's correlated figures (a meeting's attendance
counts) are then computed for the page's rows only, not for every row the sort has to see.

A list that can hold hundreds of thousands of rows for a wide scope (meetings, reports) counts at most
`count_limit` + 1 of them: past the limit the count is "more than the limit" (`bounded`), and the pages up to the
limit are numbered and served as usual; the filters narrow the rest.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

__all__ = ["BoundedPagination", "DeferredJoinPaginator", "Pagination"]


class DeferredJoinPaginator(Paginator):
    """Django's paginator, reading a page by a deferred join, and counting at most `count_limit` rows when given."""

    def __init__(self, *args, count_limit: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_limit = count_limit
        self.bounded = False  # whether there are more rows than `count` says

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if self.count_limit is None or not isinstance(rows, QuerySet):
            return super().count
        if hasattr(rows, "count_at_most"):  # a scoped list: counted path by path (anding.scoping)
            n = rows.count_at_most(self.count_limit + 1)
        else:
            n = rows.order_by()[: self.count_limit + 1].count()  # SELECT COUNT(*) FROM (… LIMIT n + 1)
        self.bounded = n > self.count_limit
        return min(n, self.count_limit)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if isinstance(rows, QuerySet) and rows.query.can_filter() and not rows.query.distinct:
            page_rows = rows.filter(pk__in=rows.values("pk")[bottom:top])
        else:
            page_rows = rows[bottom:top]
        return self._get_page(page_rows, number, self)


class Pagination(PageNumberPagination):
    django_paginator_class = DeferredJoinPaginator
    page_size_query_param = "page_size"
    max_page_size = 500


class BoundedPagination(Pagination):
    """The API's pages of a list with a bounded count: `count` stops at `count_limit`, and `count_bounded` says
    whether more rows follow."""

    count_limit = 10_000

    def django_paginator_class(self, *args, **kwargs):
        return DeferredJoinPaginator(*args, count_limit=self.count_limit, **kwargs)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_bounded"] = self.page.paginator.bounded
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_bounded"] = {"type": "boolean"}
        return schema
