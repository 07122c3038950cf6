"""Filtersets shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anding.crypto import blind_index

from . import selectors
from .choices import MemberStatus, OrgKind
from .models import Organization, PartyMember

__all__ = ["MemberFilterSet", "OrganizationFilterSet"]


def _scoped_organizations(request):
    if request is None:
        return Organization.objects.none()
    return selectors.organization_list(request.user).exclude(kind=OrgKind.DISTRICT)


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("kind"))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("parent organization"))
    within = django_filters.ModelChoiceFilter(queryset=_scoped_organizations, method="filter_within", label=_("within"))

    class Meta:
        model = Organization
        fields = ["q", "kind", "parent", "within"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(aliases__icontains=value))

    def filter_within(self, queryset, name, value):
        return queryset.filter(selectors.subtree_q(value))


class MemberFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Name, or a full ID number."))
    branch = django_filters.ModelChoiceFilter(
        queryset=_scoped_organizations,
        method="filter_branch",
        label=_("branch"),
        help_text=_("A general branch includes its villages."),
    )
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label=_("status"))

    class Meta:
        model = PartyMember
        fields = ["q", "branch", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(id_number_digest=blind_index(value)))

    def filter_branch(self, queryset, name, value):
        return queryset.filter(selectors.subtree_q(value, "branch"))
