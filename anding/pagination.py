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

A list whose count would read hundreds of thousands of rows (the city's members) may take the planner's estimate
instead (`estimate_from`), on its first pages only, as "about N": the view allows it for a wide scope without
filters (`count_estimable`), and the paginator uses it only when the estimate is at least `estimate_from` rows and
the page asked for lies within the first `REVERSE_FROM` rows, which are read forward and need no exact count. The
last page (`?page=last`) and any deeper page count exactly and read from the end as before (docs/PERFORMANCE.md,
"Counts of the member list").
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, OrderBy, QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

__all__ = [
    "BoundedPagination",
    "DeferredJoinPaginator",
    "EstimatedPagination",
    "InexactCountPagination",
    "Pagination",
    "count_estimable",
    "totally_ordered",
]

# A scope of at least this many nodes (the city: 5,697; a district: about 330) may show an estimated count.
ESTIMATE_NODES = 1_000


class DeferredJoinPaginator(Paginator):
    """Django's paginator, reading a page by a deferred join, and counting at most `count_limit` rows when given."""

    # A page is read from the end only past this offset: before it, the forward offset is cheap, and a short list's
    # last page read backwards (LIMIT of a few rows) can lead the planner to walk the whole sort index from its far
    # end (measured: a village's last page of meetings, 5 → 231 ms).
    REVERSE_FROM = 1_000

    def __init__(self, *args, count_limit: int | None = None, estimate_from: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_limit = count_limit
        self.estimate_from = estimate_from
        self.bounded = False  # whether there are more rows than `count` says
        self.estimated = False  # whether `count` is the planner's estimate (rounded), not an exact count
        self._asked = None  # the page asked for, when `page()` is called before anything counts

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if self._may_estimate():
            estimate = planner_estimate(rows)
            if estimate is not None and estimate >= self.estimate_from:
                self.estimated = True
                return _rounded(estimate)
        if self.count_limit is None or not isinstance(rows, QuerySet):
            return super().count
        if hasattr(rows, "count_at_most"):  # a scoped list: counted path by path (anding.scoping)
            n = rows.count_at_most(self.count_limit + 1)
        else:
            n = rows.order_by()[: self.count_limit + 1].count()  # SELECT COUNT(*) FROM (… LIMIT n + 1)
        self.bounded = n > self.count_limit
        return min(n, self.count_limit)

    def _may_estimate(self) -> bool:
        """Whether the count may be an estimate: allowed, and asked for a page within the first REVERSE_FROM rows
        (read forward: no exact count needed). `?page=last` asks for the number of pages first: counted exactly."""
        if self.estimate_from is None or self._asked is None or not isinstance(self.object_list, QuerySet):
            return False
        try:
            number = int(self._asked)
        except (TypeError, ValueError):
            return False
        return 1 <= number and (number - 1) * self.per_page < self.REVERSE_FROM

    def page(self, number):
        if "count" not in self.__dict__:
            self._asked = number
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
            exact = not self.bounded and not self.estimated
            if exact and bottom >= self.REVERSE_FROM and self.count - top < bottom:  # read from the end
                keys = keys.reverse()[self.count - top : self.count - bottom]
            else:
                keys = keys[bottom:top]
            page_rows = rows.within(keys) if hasattr(rows, "within") else rows.filter(pk__in=keys)
        else:
            page_rows = rows[bottom:top]
        return self._get_page(page_rows, number, self)


def planner_estimate(rows: QuerySet) -> int | None:
    """How many rows PostgreSQL's planner expects `rows` to hold (one EXPLAIN, no rows read); None elsewhere."""
    if connections[rows.db].vendor != "postgresql" or rows.query.is_empty():
        return None
    plan = json.loads(rows.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def _rounded(n: int) -> int:
    """An estimate to three significant digits (400,742 → 401,000): it says "about"."""
    digits = len(str(n))
    return n if digits <= 3 else int(round(n, 3 - digits))


def count_estimable(user, model, params, filterset_class, action: str = "view") -> bool:
    """Whether a list of `model` for `user` may show an estimated count: its scope holds at least ESTIMATE_NODES nodes
    (the city; a district and below always count exactly) and no filter of `filterset_class` is given in `params`."""
    from .scoping import ALL, scope_ranges  # here: DRF imports this module while loading, before the models

    if filterset_class is not None and any(params.get(name) for name in filterset_class.base_filters):
        return False
    ranges = scope_ranges(user, model, action)
    return ranges is ALL or sum(r.size for r in ranges) >= ESTIMATE_NODES


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


class InexactCountPagination(Pagination):
    """The API's pages of a list whose `count` may not be exact: `count_<kind>` (a boolean, from the paginator's
    attribute `<kind>`) says when it is not."""

    kind = ""

    def paginator_options(self) -> dict:
        return {}

    def django_paginator_class(self, *args, **kwargs):
        return DeferredJoinPaginator(*args, **self.paginator_options(), **kwargs)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data[f"count_{self.kind}"] = getattr(self.page.paginator, self.kind)
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"][f"count_{self.kind}"] = {"type": "boolean"}
        return schema


class EstimatedPagination(InexactCountPagination):
    """A list that may show an estimated count (`count_estimable`), as its page does: `count` is then the planner's
    estimate, rounded, and `count_estimated` says so."""

    kind = "estimated"
    estimate_from = 50_000

    def paginate_queryset(self, queryset, request, view=None):
        filterset_class = getattr(view, "filterset_class", None)
        action = getattr(view, "scope_action", "view")
        estimable = view is not None and count_estimable(
            request.user, queryset.model, request.query_params, filterset_class, action
        )
        self._estimate_from = self.estimate_from if estimable else None
        return super().paginate_queryset(queryset, request, view)

    def paginator_options(self) -> dict:
        return {"estimate_from": self._estimate_from}


class BoundedPagination(InexactCountPagination):
    """A list with a bounded count: `count` stops at `count_limit`, and `count_bounded` says whether more rows
    follow."""

    kind = "bounded"
    count_limit = 10_000

    def paginator_options(self) -> dict:
        return {"count_limit": self.count_limit}
