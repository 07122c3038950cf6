"""Filtersets of the development app, shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.forms import AnyYesNo, DateInput, ShortChoiceFilter
from branches.filtersets import OrganizationFilter, scoped_organizations
from branches.tree import subtree_q

from .choices import EventKind, PartnerKind, ResourceKind
from .models import (
    BranchResource,
    Pairing,
    PairingProgress,
    Partner,
    PartnerEvent,
    ResourceTraining,
    SharedSale,
    VillageFigures,
)
from .selectors.pairings import latest_in_year, stale

__all__ = [
    "EventFilterSet",
    "FiguresFilterSet",
    "PairingFilterSet",
    "PartnerFilterSet",
    "ProgressFilterSet",
    "ResourceFilterSet",
    "SaleFilterSet",
    "TrainingFilterSet",
]

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
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("under way on"), widget=DateInput)
    general_branch = django_filters.NumberFilter(
        field_name="lead_village__parent_id", label=_("general branch of the lead village")
    )
    year = django_filters.NumberFilter(method="filter_year", label=_("under way in"), min_value=2000, max_value=2100)
    stale = django_filters.BooleanFilter(
        method="filter_stale", label=_("no progress for three months"), widget=AnyYesNo
    )

    class Meta:
        model = Pairing
        fields = ["within", "active_on", "general_branch", "year", "stale"]

    def filter_stale(self, queryset, name, value):
        stale_rows = stale(queryset, timezone.localdate())
        return stale_rows if value else queryset.exclude(pk__in=stale_rows.values("pk"))

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_date__year__lte=value, end_date__year__gte=value)

    def filter_within(self, queryset, name, value):
        inside = Pairing.objects.filter(subtree_q(value, "lead_village") | subtree_q(value, "helped_villages")).values(
            "pk"
        )
        return queryset.filter(pk__in=inside)

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(Q(start_date__lte=value) & Q(end_date__gte=value))


class ProgressFilterSet(django_filters.FilterSet):
    pairing = django_filters.NumberFilter(field_name="pairing_id", label=_("pairing"))
    general_branch = django_filters.NumberFilter(
        field_name="pairing__lead_village__parent_id", label=_("general branch of the lead village")
    )
    year = django_filters.NumberFilter(field_name="date__year", label=_("year"), min_value=2000, max_value=2100)
    latest_in = django_filters.NumberFilter(
        method="filter_latest_in",
        label=_("latest of each pairing in"),
        help_text=_("A year: only each pairing's latest record of that year (what the ledger adds up)."),
        min_value=2000,
        max_value=2100,
    )

    class Meta:
        model = PairingProgress
        fields = ["pairing", "general_branch", "year", "latest_in"]

    def filter_latest_in(self, queryset, name, value):
        return latest_in_year(queryset, int(value))


class BranchYearFilterSet(django_filters.FilterSet):
    """A general branch (by id; the rows are already in scope) and a year: how the ledger's figures lead here."""

    general_branch = django_filters.NumberFilter(field_name="general_branch_id", label=_("general branch"))
    year = django_filters.NumberFilter(field_name="date__year", label=_("year"), min_value=2000, max_value=2100)


class EventFilterSet(BranchYearFilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("kind"))
    partner = ShortChoiceFilter(queryset=Partner.objects.all(), label=_("partner"))

    class Meta:
        model = PartnerEvent
        fields = ["general_branch", "year", "kind", "partner"]


class PartnerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Words in the name or contact note."))
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, label=_("kind"))

    class Meta:
        model = Partner
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(contact_note__icontains=value))


class SaleFilterSet(BranchYearFilterSet):
    class Meta:
        model = SharedSale
        fields = ["general_branch", "year"]


class ResourceFilterSet(django_filters.FilterSet):
    general_branch = django_filters.NumberFilter(field_name="general_branch_id", label=_("general branch"))
    kind = django_filters.ChoiceFilter(choices=ResourceKind.choices, label=_("kind"))

    class Meta:
        model = BranchResource
        fields = ["general_branch", "kind"]


class TrainingFilterSet(django_filters.FilterSet):
    general_branch = django_filters.NumberFilter(field_name="resource__general_branch_id", label=_("general branch"))
    resource = django_filters.NumberFilter(field_name="resource_id", label=_("resource"))
    year = django_filters.NumberFilter(field_name="date__year", label=_("year"), min_value=2000, max_value=2100)

    class Meta:
        model = ResourceTraining
        fields = ["general_branch", "resource", "year"]
