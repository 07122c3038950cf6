"""API bases: the scoped viewset every endpoint builds on."""

from rest_framework import viewsets

__all__ = ["ScopedReadOnlyViewSet"]


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A viewset whose queryset comes from a selector taking the user: out of scope is 404, never 403."""

    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user)
