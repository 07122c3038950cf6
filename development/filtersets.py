"""Filtersets of the development app, shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.filtersets import OrganizationFilter, scoped_organizations
from branches.tree import subtree_q

from .models import Pairing, PairingProgress, VillageFigures

__all__ = ["FiguresFilterSet", "PairingFilterSet", "ProgressFilterSet"]

WITHIN_HELP = _("A general branch includes its villages.")


class FiguresFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year"), min_value=2000, max_value=2100)
    village = django_filters.NumberFilter(field_name="village_id", label=_("village"))
    within = OrganizationFilter(
        queryset=scoped_organizations, method="filter_within", label=_("within"), help_text=WITHIN_HELP
    )

    class Meta:
        model = VillageFigures
        fields = ["year", "village", "within"]

    def filter_within(self, queryset, name, value):
        return queryset.filter(subtree_q(value, "village"))


class PairingFilterSet(django_filters.FilterSet):
    within = OrganizationFilter(
        queryset=scoped_organizations,
        method="filter_within",
        label=_("within"),
        help_text=_("Pairings whose lead village or a village helped is there."),
    )
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("under way on"))

    class Meta:
        model = Pairing
        fields = ["within", "active_on"]

    def filter_within(self, queryset, name, value):
        inside = Pairing.objects.filter(subtree_q(value, "lead_village") | subtree_q(value, "helped_villages")).values(
            "pk"
        )
        return queryset.filter(pk__in=inside)

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(Q(start_date__lte=value) & Q(end_date__gte=value))


class ProgressFilterSet(django_filters.FilterSet):
    pairing = django_filters.NumberFilter(field_name="pairing_id", label=_("pairing"))
    year = django_filters.NumberFilter(field_name="date__year", label=_("year"), min_value=2000, max_value=2100)

    class Meta:
        model = PairingProgress
        fields = ["pairing", "year"]
