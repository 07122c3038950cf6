"""Pagination of lists, for the pages and the API (its own module: DRF imports it while loading its generic views).

A page past the first selects its rows' keys first, ordered, offset and limited, and then the rows by those keys
(a deferred join, still one statement): the offset then walks and sorts narrow keys, not whole rows with their
joins, so that the last page of a district-wide list costs about what its first does (docs/PERFORMANCE.md,
"Scope and paging"). The first page is read directly: there is nothing to skip.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination

__all__ = ["DeferredJoinPaginator", "Pagination"]


class DeferredJoinPaginator(Paginator):
    """Django's paginator, reading a page past the first by a deferred join."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom and isinstance(rows, QuerySet) and rows.query.can_filter() and not rows.query.distinct:
            page_rows = rows.filter(pk__in=rows.values("pk")[bottom:top])
        else:
            page_rows = rows[bottom:top]
        return self._get_page(page_rows, number, self)


class Pagination(PageNumberPagination):
    django_paginator_class = DeferredJoinPaginator
    page_size_query_param = "page_size"
    max_page_size = 500
