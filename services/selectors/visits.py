"""Reads of household visits: the rows of the lists, who may be named on a visit, the coverage of each village
(households visited in a year over the households on the register) and the picture of needs (what the visits
raised, by topic). Rows and villages come in already restricted to the user's scope; the figures are aggregates,
a constant number of queries whatever the number of villages, households and visits."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from anding.scoping import ALL, scope_ranges
from branches.choices import OrgKind
from branches.models import Organization, Position
from branches.tree import ranges_q

from ..models import Household, HouseholdVisit, VisitTopic
from ..roles import VISITOR_ROLES

__all__ = [
    "LATEST_RAISED",
    "CoverageRow",
    "NeedsRow",
    "coverage",
    "household_rows",
    "needs",
    "register_villages",
    "village_visit_figures",
    "visit_rows",
    "visitors",
]

LATEST_RAISED = 5  # items raised shown per topic on the picture of needs


def register_villages(user):
    """The villages whose registers and visits the user may see (the scope of households, which department staff
    lack), in the tree's order."""
    ranges = scope_ranges(user, Household)
    villages = Organization.objects.filter(kind=OrgKind.VILLAGE).order_by("tree_id", "lft")
    return villages if ranges is ALL else villages.filter(ranges_q(ranges))


def household_rows(households):
    """Households with their village and the date of their last visit (a subquery, read for the page's rows only:
    the aggregate over a join grouped a whole city's 120,000 households before the page was cut, 0.8 s)."""
    last = HouseholdVisit.objects.filter(household=OuterRef("pk")).order_by("-date").values("date")[:1]
    return households.select_related("village").annotate(last_visit=Subquery(last))


def visit_rows(visits):
    return visits.select_related("household__village", "leader", "follow_up_owner").prefetch_related("topics")


def visitors(village):
    """The users who may be named on a visit to `village` (who led, who came, who owns the follow-up): those
    holding an active position of VISITOR_ROLES on the village or above it. One query."""
    over = Position.objects.active().filter(
        role__in=VISITOR_ROLES, organization__in=village.get_ancestors(include_self=True)
    )
    return get_user_model().objects.filter(pk__in=over.values("user")).order_by("username")


@dataclass
class CoverageRow:
    """One village's coverage in a year."""

    village: object
    households: int = 0
    visited: int = 0
    visits: int = 0
    open_follow_ups: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        """Households visited over households on the register, in percent (None without households)."""
        return 100 * self.visited / self.households if self.households else None


def coverage(villages, visits, year: int, today: datetime.date, drill=None) -> list[CoverageRow]:
    """The coverage of each of `villages` in `year`: active households on the register, those of them visited in
    the year, the visits of the year, and the open follow-ups (of any year) among `visits`. Three queries. With a
    `drill` (branches.selectors.drill_down) that has groups, a row per group instead (its `village` is the district
    or town), counted per group in SQL over the villages under the opened node."""
    if drill is not None and drill.groups:
        rows = {g.pk: CoverageRow(g) for g in drill.groups}
        villages = villages.filter(drill.q()).values("pk")

        def per_unit(queryset, path):
            return queryset.filter(**{f"{path}__in": villages}).annotate(unit=drill.group(path))
    else:
        rows = {v.pk: CoverageRow(v) for v in villages}

        def per_unit(queryset, path):
            return queryset.filter(**{f"{path}__in": list(rows)}).annotate(unit=F(path))

    counts = per_unit(Household.objects.filter(active=True), "village").values("unit").annotate(n=Count("id"))
    for row in counts.order_by():
        if row["unit"] in rows:
            rows[row["unit"]].households = row["n"]
    in_year = (
        per_unit(visits.filter(date__year=year), "household__village")
        .values("unit")
        .annotate(n=Count("id"), visited=Count("household", distinct=True, filter=Q(household__active=True)))
    )
    for row in in_year.order_by():
        if row["unit"] in rows:
            rows[row["unit"]].visits = row["n"]
            rows[row["unit"]].visited = row["visited"]
    open_rows = (
        per_unit(visits.open_follow_ups(), "household__village")
        .values("unit")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(follow_up_due__lt=today)))
    )
    for row in open_rows.order_by():
        if row["unit"] in rows:
            rows[row["unit"]].open_follow_ups = row["n"]
            rows[row["unit"]].overdue = row["overdue"]
    return list(rows.values())


@dataclass
class NeedsRow:
    """One topic on the picture of needs: the visits of the year that raised it and the latest items raised."""

    topic: VisitTopic
    visits: int = 0
    latest: list = field(default_factory=list)


def needs(visits, year: int) -> list[NeedsRow]:
    """What `visits` of `year` raised, by topic (every topic, in its order): the number of visits and the latest
    LATEST_RAISED of them. Three queries."""
    rows = {t.pk: NeedsRow(t) for t in VisitTopic.objects.all()}
    through = HouseholdVisit.topics.through.objects.filter(
        householdvisit__in=visits.filter(date__year=year).values("pk")
    )
    for row in through.values("visittopic").annotate(n=Count("id")).order_by():
        if row["visittopic"] in rows:
            rows[row["visittopic"]].visits = row["n"]
    latest = (
        through.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("visittopic"),
                order_by=[F("householdvisit__date").desc(), F("householdvisit_id").desc()],
            )
        )
        .filter(rank__lte=LATEST_RAISED)
        .select_related("householdvisit__household__village")
        .order_by("visittopic", "rank")
    )
    for line in latest:
        if line.visittopic_id in rows:
            rows[line.visittopic_id].latest.append(line.householdvisit)
    return list(rows.values())


def village_visit_figures(village, first: datetime.date, last: datetime.date) -> dict:
    """The monthly report's figure "household visits" (the `report_figures` registry): the visits made to the
    village's households in the month."""
    return {
        "household_visits": HouseholdVisit.objects.filter(household__village=village, date__range=(first, last)).count()
    }
