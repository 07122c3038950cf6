"""Filtersets of the services app, shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anding.forms import AnyYesNo, DateInput, ShortChoiceFilter
from anding.scoping import ALL, scope_ranges
from branches.choices import OrgKind
from branches.filtersets import OrganizationFilter, scoped_organizations
from branches.models import Organization
from branches.tree import ranges_q, subtree_q

from .choices import FundPurpose, Half, Outcome, PlanStatus
from .models import (
    AssessmentPlan,
    Department,
    FundAllocation,
    FundExpense,
    Household,
    HouseholdVisit,
    ServiceCentre,
    ServiceRecord,
    ServiceSession,
    VisitTopic,
)

__all__ = [
    "AllocationFilterSet",
    "ExpenseFilterSet",
    "HouseholdFilterSet",
    "PlanFilterSet",
    "RecordFilterSet",
    "SessionFilterSet",
    "VisitFilterSet",
]


def _centres(request):
    return ServiceCentre.objects.restrict(request.user) if request is not None else ServiceCentre.objects.none()


class SessionFilterSet(django_filters.FilterSet):
    centre = ShortChoiceFilter(queryset=_centres, label=_("service centre"))
    half = django_filters.ChoiceFilter(choices=Half.choices, label=_("half-day"))
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=pgettext_lazy("date", "from"), widget=DateInput
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=pgettext_lazy("date", "to"), widget=DateInput
    )

    class Meta:
        model = ServiceSession
        fields = ["centre", "half", "date_from", "date_to"]


class RecordFilterSet(django_filters.FilterSet):
    department = ShortChoiceFilter(queryset=Department.objects.all(), label=_("department"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("outcome"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("open follow-ups"), widget=AnyYesNo)

    class Meta:
        model = ServiceRecord
        fields = ["department", "outcome", "open"]

    def filter_open(self, queryset, name, value):
        return queryset.open_follow_ups() if value else queryset.exclude(pk__in=queryset.open_follow_ups())


class PlanFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("status"))
    within = OrganizationFilter(
        queryset=scoped_organizations,
        method="filter_within",
        label=_("within"),
        help_text=_("A general branch includes its villages."),
    )

    class Meta:
        model = AssessmentPlan
        fields = ["year", "status", "within"]

    def filter_within(self, queryset, name, value):
        return queryset.filter(subtree_q(value, "village"))


class AllocationFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year"), min_value=2000, max_value=2100)
    purpose = django_filters.ChoiceFilter(choices=FundPurpose.choices, label=_("purpose"))
    organization = OrganizationFilter(
        queryset=scoped_organizations,
        method="filter_within",
        label=_("organization"),
        help_text=_("And the nodes below it."),
    )

    class Meta:
        model = FundAllocation
        fields = ["year", "purpose", "organization"]

    def filter_within(self, queryset, name, value):
        return queryset.filter(subtree_q(value, "organization"))


class ExpenseFilterSet(django_filters.FilterSet):
    allocation = django_filters.NumberFilter(
        field_name="allocation_id", label=_("fund allocation"), min_value=1, max_value=2**63 - 1
    )
    year = django_filters.NumberFilter(field_name="allocation__year", label=_("year"), min_value=2000, max_value=2100)
    purpose = django_filters.ChoiceFilter(
        field_name="allocation__purpose", choices=FundPurpose.choices, label=_("purpose")
    )

    class Meta:
        model = FundExpense
        fields = ["allocation", "year", "purpose"]


def _register_nodes(request):
    """The organizations a register's filter may name: those over the villages whose registers the user sees (the
    scope of households), below the city; the list shows the upper levels of a wide scope (OrganizationFilter)."""
    if request is None:
        return Organization.objects.none()
    ranges = scope_ranges(request.user, Household)
    nodes = Organization.objects.exclude(kind=OrgKind.CITY)
    return nodes if ranges is ALL else nodes.filter(ranges_q(ranges))


def _register_filter(path: str) -> OrganizationFilter:
    return OrganizationFilter(
        queryset=_register_nodes,
        scope_of=Household,
        field_name=path,
        method="filter_village",
        label=_("village or general branch"),
        help_text=_("A general branch includes its villages."),
    )


class HouseholdFilterSet(django_filters.FilterSet):
    village = _register_filter("village")
    q = django_filters.CharFilter(method="filter_q", label=_("search"), max_length=30)
    active = django_filters.BooleanFilter(label=_("active"), widget=AnyYesNo)

    class Meta:
        model = Household
        fields = ["village", "q", "active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(head_name__icontains=value) | Q(number=value)) if value else queryset

    def filter_village(self, queryset, name, value):
        return queryset.filter(subtree_q(value, name))


class VisitFilterSet(django_filters.FilterSet):
    village = _register_filter("household__village")
    topic = ShortChoiceFilter(queryset=VisitTopic.objects.all(), field_name="topics", label=_("topic"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("open follow-ups"), widget=AnyYesNo)
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=pgettext_lazy("date", "from"), widget=DateInput
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=pgettext_lazy("date", "to"), widget=DateInput
    )

    class Meta:
        model = HouseholdVisit
        fields = ["village", "topic", "open", "date_from", "date_to"]

    def filter_open(self, queryset, name, value):
        return queryset.open_follow_ups() if value else queryset.exclude(pk__in=queryset.open_follow_ups())

    def filter_village(self, queryset, name, value):
        return queryset.filter(subtree_q(value, name))
