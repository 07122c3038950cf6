"""API views of the branches app: three attributes each, the queryset from the scoped selectors."""

from anding.api import ScopedReadOnlyViewSet

from .. import selectors
from ..filtersets import MemberFilterSet, OrganizationFilterSet
from .serializers import MemberSerializer, OrganizationSerializer

__all__ = ["MemberViewSet", "OrganizationViewSet"]


class OrganizationViewSet(ScopedReadOnlyViewSet):
    """The organization tree in the caller's scope, with depth and cumulative member counts."""

    selector = selectors.organization_tree
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet


class MemberViewSet(ScopedReadOnlyViewSet):
    """Party members in the caller's scope; ID numbers and phones masked."""

    selector = selectors.member_list
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet
