"""Reads of the services app. The rows come in already restricted to the user's scope (the view bases do it);
selectors add joins and compute the "55819" figures."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from ..choices import CATEGORY_TARGET, DEPARTMENT_TARGET, HALF_DAY_TARGET, SERVICE_TARGET
from ..models import ServiceCategory, ServiceCentre, ServiceRecord, ServiceSession

__all__ = [
    "CentreMonth",
    "centre_month",
    "compliance",
    "month_calendar",
    "record_rows",
    "session_rows",
    "village_record_figures",
]


def session_rows(sessions):
    """Half-days with their centre, and the number of departments present and of records: counted by subqueries,
    for the page's rows only (counts over joins grouped all of a city's 79,200 half-days first, 1.6 s)."""
    present = ServiceSession.departments.through.objects.filter(servicesession=OuterRef("pk"))
    records = ServiceRecord.objects.filter(session=OuterRef("pk"))
    return sessions.select_related("centre").annotate(
        department_count=_count(present, "servicesession"), record_count=_count(records, "session")
    )


def _count(rows, key: str):
    """The number of `rows` (a correlated queryset grouped on `key`), 0 for none."""
    return Coalesce(Subquery(rows.order_by().values(key).annotate(n=Count("*")).values("n")), 0)


def record_rows(records):
    """Records with their centre, department, service and village (the API adds the service's category)."""
    return records.select_related("session__centre", "department", "service_item", "village")


@dataclass
class CentreMonth:
    """The "55819" figures of one centre in one month."""

    centre: ServiceCentre
    month: datetime.date
    half_days: int = 0
    departments: int = 0
    services: int = 0
    categories: int = 0
    category_names: list[str] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1]) < timezone.localdate()

    @property
    def short_half_days(self) -> bool:
        return self.half_days < HALF_DAY_TARGET

    @property
    def short_departments(self) -> bool:
        return self.departments < DEPARTMENT_TARGET

    @property
    def short_services(self) -> bool:
        return self.services < SERVICE_TARGET

    @property
    def short_categories(self) -> bool:
        return self.categories < CATEGORY_TARGET

    @property
    def short(self) -> bool:
        """Whether the month fell short of any target (only a month that has ended can)."""
        return self.ended and (
            self.short_half_days or self.short_departments or self.short_services or self.short_categories
        )


def compliance(centres, sessions, year: int) -> dict[int, list[CentreMonth]]:
    """{centre id: its 12 months of `year`} for `centres`, counted over `sessions` (both already in scope):
    three queries whatever the number of centres."""
    sessions = sessions.filter(date__year=year)
    figures = {c.pk: [CentreMonth(c, datetime.date(year, m, 1)) for m in range(1, 13)] for c in centres}

    def cell(centre_id, month):
        return figures[centre_id][month - 1] if centre_id in figures else None

    for row in sessions.values("centre").annotate(month=ExtractMonth("date")).annotate(n=Count("id")).order_by():
        if c := cell(row["centre"], row["month"]):
            c.half_days = row["n"]
    present = ServiceSession.departments.through.objects.filter(servicesession__in=sessions.values("pk"))
    rows = (
        present.values("servicesession__centre")
        .annotate(month=ExtractMonth("servicesession__date"))
        .annotate(n=Count("department", distinct=True))
        .order_by()
    )
    for row in rows:
        if c := cell(row["servicesession__centre"], row["month"]):
            c.departments = row["n"]
    records = ServiceRecord.objects.filter(session__in=sessions.values("pk"))
    rows = (
        records.values("session__centre", "service_item__category")
        .annotate(month=ExtractMonth("session__date"))
        .annotate(n=Count("service_item", distinct=True))
        .order_by()
    )
    order = {c.pk: (n, c.name) for n, c in enumerate(ServiceCategory.objects.all())}
    for row in sorted(rows, key=lambda r: order.get(r["service_item__category"], (len(order), ""))):
        if c := cell(row["session__centre"], row["month"]):
            c.services += row["n"]  # an item has one category: the distinct items add up across categories
            c.categories += 1
            c.category_names.append(order.get(row["service_item__category"], (0, ""))[1])
    return figures


def centre_month(centre: ServiceCentre, sessions, month: datetime.date) -> CentreMonth:
    return compliance([centre], sessions.filter(centre=centre, date__month=month.month), month.year)[centre.pk][
        month.month - 1
    ]


def month_calendar(centre: ServiceCentre, sessions, month: datetime.date) -> list[list[dict]]:
    """The weeks of `month` (Monday first), each day with the centre's half-days held that day."""
    held = {}
    for session in sessions.filter(centre=centre, date__year=month.year, date__month=month.month).prefetch_related(
        "departments"
    ):
        held.setdefault(session.date, []).append(session)
    weeks = calendar.Calendar().monthdatescalendar(month.year, month.month)
    return [
        [
            {
                "date": day,
                "in_month": day.month == month.month,
                "sessions": sorted(held.get(day, []), key=lambda s: s.half),
            }
            for day in week
        ]
        for week in weeks
    ]


def village_record_figures(village, first: datetime.date, last: datetime.date) -> dict:
    """The monthly report's figure "service records for the village" (the `report_figures` registry)."""
    total = ServiceRecord.objects.filter(village=village, date__range=(first, last)).count()
    return {"service_records": total}
