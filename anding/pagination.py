"""Pagination of lists, for the pages and the API (its own module: DRF imports it while loading its generic views).

A page past the first selects its rows' keys first, ordered, offset and limited, and then the rows by those keys
(a deferred join, still one statement): the offset then walks and sorts narrow keys, not whole rows with their
joins, so that the last page of a district-wide list costs about what its first does (docs/PERFORMANCE.md,
"Scope and paging"). The first page is read the same way: a row's correlated figures (a meeting's attendance
counts) are then computed for the page's rows only, not for every row the sort has to see.

A page in the second half of a list whose count is exact, past its first `REVERSE_FROM` rows, is read from the end:
the keys' subquery takes the reversed ordering with the offset counted from the last row, and the outer query keeps
the list's ordering, so the page shows the same rows in the same order while no offset walks more than half the
list. Both directions need a total ordering: every ordering ends with the primary key (`totally_ordered`).

A list that can hold hundreds of thousands of rows for a wide scope (meetings, reports) counts at most
`count_limit` + 1 of them: past the limit the count is "more than the limit" (`bounded`), and the pages up to the
limit are numbered and served as usual; the filters narrow the rest. Such a list, once past its limit, cannot be read
from its end; a deep page of a wide scope reads its keys by walking an index that holds the scope's foreign keys
instead (`ScopedQuerySet.walked`, anding.scoping): a district's last page of meetings, 0.6 s → 53–98 ms. Only then:
a list under its limit reads its second half from the end.
"""

from django.core.paginator import Paginator
from django.db.models import F, OrderBy, QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

__all__ = ["BoundedPagination", "DeferredJoinPaginator", "Pagination", "totally_ordered"]


class DeferredJoinPaginator(Paginator):
    """Django's paginator, reading a page by a deferred join, and counting at most `count_limit` rows when given."""

    # A page is read from the end only past this offset: before it, the forward offset is cheap, and a short list's
    # last page read backwards (LIMIT of a few rows) can lead the planner to walk the whole sort index from its far
    # end (measured: a village's last page of meetings, 5 → 231 ms).
    REVERSE_FROM = 1_000

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
            rows = totally_ordered(rows)
            keys = rows.values("pk")
            if self.bounded and hasattr(keys, "walked"):  # deep in a wide scope's list: walked (anding.scoping)
                keys = keys.walked(bottom)
            if not self.bounded and bottom >= self.REVERSE_FROM and self.count - top < bottom:  # read from the end
                keys = keys.reverse()[self.count - top : self.count - bottom]
            else:
                keys = keys[bottom:top]
            page_rows = rows.filter(pk__in=keys)
        else:
            page_rows = rows[bottom:top]
        return self._get_page(page_rows, number, self)


def totally_ordered(rows: QuerySet) -> QuerySet:
    """`rows` ordered as they are, with the primary key as the last tie-breaker unless their ordering ends with it:
    a page then holds the same rows whichever end it is read from."""
    query = rows.query
    if query.order_by:
        ordering = list(query.order_by)
    elif query.default_ordering:
        ordering = list(rows.model._meta.ordering)
    else:
        ordering = []
    if ordering and _is_primary_key(ordering[-1], rows.model):
        return rows
    return rows.order_by(*ordering, "pk")


def _is_primary_key(item, model) -> bool:
    """Whether one item of an ordering is the model's primary key (a name, "-name" or an F() of it)."""
    if isinstance(item, OrderBy):
        item = item.expression
    if isinstance(item, F):
        item = item.name
    return isinstance(item, str) and item.lstrip("-") in ("pk", model._meta.pk.name)


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
