"""Filtersets shared by the HTML lists and the API."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import selectors
from .choices import MeetingKind, MeetingStatus, MemberStatus, OrgKind, ReportStatus, TaskAssignmentStatus
from .id_lookup import id_number_lookup, looks_like_id_number
from .models import Meeting, MonthlyReport, Organization, PartyMember, RecruitmentCase, Stage, Task, TaskAssignment

__all__ = [
    "CaseFilterSet",
    "MeetingFilterSet",
    "MemberFilterSet",
    "OrganizationFilter",
    "OrganizationFilterSet",
    "RecruitmentFilterSet",
    "ReportFilterSet",
    "TaskFilterSet",
    "case_filterset",
    "scoped_organizations",
]


SHOWN_ORGANIZATIONS = 200  # at most this many options in an organization filter's list, but a whole level


class ShallowOrganizations(ModelChoiceIterator):
    """The options of an organization filter: the organizations of the shallowest levels that fit in
    SHOWN_ORGANIZATIONS (at least the whole first level), in tree order, in one query (two when the first level
    alone is too long). A city-wide list of all 5,690 weighed 280 KB and took a second and a half to render on every
    list page (docs/PERFORMANCE.md, "Powers, services and development at scale"); a deeper organization is still
    accepted by its id, as the summaries' drill-down links give it. The options are read as (key, name, place in
    the tree) rows, not as organizations: 201 of them, each an MPTT model taking a snapshot for the history as it
    loaded, were a quarter of the city's member list in Python."""

    COLUMNS = ("pk", "name", "level", "tree_id", "lft")

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name, *_place in self.shown():
            yield (pk, name)

    def __len__(self):
        return len(self.shown()) + (1 if self.field.empty_label is not None else 0)

    def shown(self) -> list:
        if not hasattr(self, "_shown") and self.field.known is not None:
            self._shown = sorted(
                ((n.pk, n.name, n.level, n.tree_id, n.lft) for n in self.field.known), key=lambda r: (r[3], r[4])
            )
        if not hasattr(self, "_shown"):
            rows = self.queryset.order_by("level", "tree_id", "lft").values_list(*self.COLUMNS)
            rows = list(rows[: SHOWN_ORGANIZATIONS + 1])
            if len(rows) > SHOWN_ORGANIZATIONS:
                cut = rows[-1][2]  # this level does not fit whole: stop above it
                rows = [r for r in rows if r[2] < cut] or list(
                    self.queryset.filter(level=cut).values_list(*self.COLUMNS)
                )
            self._shown = sorted(rows, key=lambda r: (r[3], r[4]))
        return self._shown


class OrganizationChoiceField(forms.ModelChoiceField):
    iterator = ShallowOrganizations
    known = None  # the options' organizations when the filter knows them without a query (a scope of leaves)


@extend_schema_field(OpenApiTypes.INT)
class OrganizationFilter(django_filters.ModelChoiceFilter):
    """An organization in the user's scope, given by its id (a city's scope: thousands of options). When the options
    are the organizations of the user's scope of `scope_of` (a model; the default for `scoped_organizations`) and that
    scope is made of leaves (a village secretary's: their village), they are the positions' organizations, read
    without a query; a value given is still checked against the scope in SQL."""

    field_class = OrganizationChoiceField

    def __init__(self, *args, scope_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        scoped = self.queryset in (scoped_organizations, scoped_organizations_all_levels)
        self.scope_of = scope_of or (Organization if scoped else None)

    @property
    def field(self):
        field = super().field
        request = self.get_request()
        if self.scope_of is not None and request is not None:
            nodes = selectors.leaf_scope_nodes(request.user, self.scope_of)
            if nodes is not None:
                field.known = [
                    n for n in nodes if self.queryset is scoped_organizations_all_levels or n.kind != OrgKind.CITY
                ]
        return field


def scoped_organizations(request):
    """The organizations a filter may name: those in the user's scope, below the city (a district is what a city
    user narrows a list to first, and what the summaries' drill-down links name)."""
    if request is None:
        return Organization.objects.none()
    return selectors.organization_list(request.user).exclude(kind=OrgKind.CITY)


def scoped_organizations_all_levels(request):
    """The organizations in the user's scope at every level: the meeting overview of a wide scope opens a district."""
    if request is None:
        return Organization.objects.none()
    return selectors.organization_list(request.user)


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("kind"))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("parent organization"))
    within = OrganizationFilter(queryset=scoped_organizations, method="filter_within", label=_("within"))

    class Meta:
        model = Organization
        fields = ["q", "kind", "parent", "within"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(aliases__icontains=value))

    def filter_within(self, queryset, name, value):
        return queryset.filter(selectors.subtree_q(value))


class MemberFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Name, or a full ID number."))
    branch = OrganizationFilter(
        queryset=scoped_organizations,
        method="filter_branch",
        label=_("branch"),
        help_text=_("A general branch includes its villages."),
    )
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label=_("status"))

    class Meta:
        model = PartyMember
        fields = ["q", "branch", "status"]

    def is_valid(self):
        """Valid filters; a search by a full ID number also spends one of the user's audited lookups."""
        if not hasattr(self, "_valid"):
            self._valid = super().is_valid()
            query = self.form.cleaned_data.get("q", "") if self._valid else ""
            if looks_like_id_number(query):
                try:
                    self.id_digest = id_number_lookup(self.request.user, query, purpose="search")
                except ValidationError as exc:
                    self.form.add_error("q", exc)
                    self._valid = False
        return self._valid

    def search(self, queryset, name, value):
        if looks_like_id_number(value):
            digest = getattr(self, "id_digest", None)
            return queryset.filter(id_number_digest=digest) if digest else queryset.none()
        return queryset.filter(name__icontains=value.strip())

    def filter_branch(self, queryset, name, value):
        return queryset.filter(selectors.subtree_q(value, "branch"))


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker), cleaned to the date of its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = selectors.parse_month(value)
        if month is None:
            raise forms.ValidationError(_("Give the month as YYYY-MM, for example 2026-11."), code="invalid")
        return month


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-11"})
class MonthFilter(django_filters.Filter):
    field_class = MonthField


class MeetingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Words in the title."))
    organization = OrganizationFilter(
        queryset=scoped_organizations_all_levels,
        method="filter_organization",
        label=_("organization"),
        help_text=_("A general branch or the town includes its units."),
    )
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("kind of meeting"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("status"))
    month = MonthFilter(method="filter_month", label=_("month"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue only"), widget=forms.CheckboxInput)
    stale = django_filters.BooleanFilter(
        method="filter_stale", label=_("waiting too long for review"), widget=forms.CheckboxInput
    )

    class Meta:
        model = Meeting
        fields = ["q", "organization", "kind", "status", "month", "overdue", "stale"]

    def search(self, queryset, name, value):
        return queryset.filter(title__icontains=value.strip())

    def filter_organization(self, queryset, name, value):
        return queryset.filter(selectors.subtree_q(value, "organization"))

    def filter_month(self, queryset, name, value):
        first, last = selectors.month_range(value)
        return queryset.filter(
            Q(held_on__gte=first, held_on__lte=last)
            | Q(held_on__isnull=True, planned_for__gte=first, planned_for__lte=last)
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=MeetingStatus.PLANNED, planned_for__lt=timezone.localdate())

    def filter_stale(self, queryset, name, value):
        return queryset.filter(selectors.stale_meeting_review_q()) if value else queryset


def _task_issuers(request):
    if request is None:
        return Organization.objects.none()
    return selectors.task_issuers(request.user)


class TaskFilterSet(django_filters.FilterSet):
    """Deployed tasks. The status filters use the progress summary that `selectors.task_list` annotates."""

    OPEN, COMPLETED, OVERDUE = "open", "completed", "overdue"
    STATUS_CHOICES = [(OPEN, _("open")), (COMPLETED, _("completed")), (OVERDUE, _("overdue"))]

    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Words in the title or description."))
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", label=_("status"))
    issued_by = OrganizationFilter(queryset=_task_issuers, label=_("deployed by"))
    month = MonthFilter(method="filter_month", label=_("due in month"))
    behind = OrganizationFilter(
        queryset=scoped_organizations,
        method="filter_behind",
        label=_("not completed by"),
        help_text=_("A general branch includes its villages."),
    )

    class Meta:
        model = Task
        fields = ["q", "status", "issued_by", "month", "behind"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_status(self, queryset, name, value):
        if value == self.COMPLETED:
            return queryset.filter(is_completed=True)
        if value == self.OVERDUE:
            return queryset.filter(is_overdue=True)
        return queryset.filter(is_completed=False)

    def filter_month(self, queryset, name, value: str):  # the hint documents "YYYY-MM" in the API schema
        first, last = selectors.month_range(value)
        return queryset.filter(due_date__gte=first, due_date__lte=last)

    def filter_behind(self, queryset, name, value):
        """Tasks that an organization within `value` has not completed."""
        open_here = TaskAssignment.objects.filter(selectors.subtree_q(value, "assignee")).exclude(
            status=TaskAssignmentStatus.DONE
        )
        return queryset.filter(pk__in=open_here.values("task_id"))


class ReportFilterSet(django_filters.FilterSet):
    """Monthly reports. `late` and `waiting` use what `selectors.report_list` annotates and the user's roles."""

    month = MonthFilter(field_name="month", label=_("month"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("status"))
    branch = OrganizationFilter(
        queryset=scoped_organizations,
        method="filter_branch",
        label=_("branch"),
        help_text=_("A general branch includes its villages."),
    )
    late = django_filters.ChoiceFilter(
        choices=[("true", _("late or overdue")), ("false", _("on time or not due yet"))],
        method="filter_late",
        label=_("timeliness"),
    )
    waiting = django_filters.ChoiceFilter(
        choices=[("me", _("waiting for my review")), ("stale", _("waiting too long"))],
        method="filter_waiting",
        label=_("review"),
    )

    class Meta:
        model = MonthlyReport
        fields = ["month", "status", "branch", "late", "waiting"]

    def filter_branch(self, queryset, name, value):
        return queryset.filter(selectors.subtree_q(value, "village"))

    def filter_late(self, queryset, name, value):
        return queryset.filter(selectors.late_q() if value == "true" else selectors.on_time_q())

    def filter_waiting(self, queryset, name, value):
        if value == "stale":
            return queryset.filter(selectors.stale_report_review_q())
        user = getattr(self.request, "user", None)
        return queryset.filter(pk__in=selectors.reports_awaiting(user).values("pk")) if user else queryset.none()


class CaseFilterSet(django_filters.FilterSet):
    """The cases of one power (`case_filterset(model)` binds it to a case model): words of the title, the village or
    general branch they concern (now), the status, open/closed/overdue."""

    OPEN, CLOSED, OVERDUE = "open", "closed", "overdue"
    STATE_CHOICES = [(OPEN, _("open")), (OVERDUE, _("overdue")), (CLOSED, _("closed"))]

    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Words in the title."))
    state = django_filters.ChoiceFilter(choices=STATE_CHOICES, method="filter_state", label=_("open or closed"))
    within = OrganizationFilter(
        queryset=scoped_organizations,
        method="filter_within",
        label=_("village or general branch"),
        help_text=_("A general branch includes its villages."),
    )
    year = django_filters.NumberFilter(
        field_name="opened_on__year", label=_("opened in year"), min_value=2000, max_value=2100
    )

    def search(self, queryset, name, value):
        return queryset.filter(title__icontains=value.strip())

    def filter_state(self, queryset, name, value):
        if value == self.CLOSED:
            return queryset.filter(closed_on__isnull=False)
        if value == self.OVERDUE:
            return queryset.filter(closed_on__isnull=True, due_on__lt=timezone.localdate())
        return queryset.filter(closed_on__isnull=True)

    def filter_within(self, queryset, name, value):
        return queryset.filter(selectors.subtree_q(value, "village"))


def case_filterset(model) -> type[CaseFilterSet]:
    """CaseFilterSet for `model`, with its status choices."""
    status = django_filters.ChoiceFilter(choices=model.Status.choices, label=_("status"))
    meta = type("Meta", (), {"model": model, "fields": ["q", "state", "status", "within", "year"]})
    return type(f"{model.__name__}FilterSet", (CaseFilterSet,), {"status": status, "Meta": meta})


class RecruitmentFilterSet(django_filters.FilterSet):
    """Recruitment cases: a name, the stage, a village or general branch (now), open or closed."""

    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("A name."))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))
    within = OrganizationFilter(
        queryset=scoped_organizations,
        method="filter_within",
        label=_("village or general branch"),
        help_text=_("A general branch includes its villages."),
    )
    state = django_filters.ChoiceFilter(
        choices=[("open", _("open")), ("closed", _("closed"))], method="filter_state", label=_("open or closed")
    )

    class Meta:
        model = RecruitmentCase
        fields = ["q", "stage", "within", "state"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip())

    def filter_within(self, queryset, name, value):
        return queryset.filter(selectors.subtree_q(value, "village"))

    def filter_state(self, queryset, name, value):
        return queryset.filter(closed_on__isnull=(value == "open"))
