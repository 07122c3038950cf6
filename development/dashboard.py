"""The dashboard's section of the development app (registered in DevelopmentConfig.ready): the outcomes of shared
development at the user's scope. The town and the general branches see the outcome ledger's rows of the latest
year with records; a village's secretary sees the pairings of their village with their latest progress."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anding.charts import Cell, Figure, Section, bar_chart
from branches.selectors import breakdown

from .models import Pairing
from .selectors import LedgerRow, has_ledger_generals, latest_year, ledger, ledger_total, pairing_rows

__all__ = ["development_section"]


def development_section(user, today: datetime.date | None = None) -> Section | None:
    today = today or timezone.localdate()
    year = min(latest_year(user) or today.year, today.year)
    if has_ledger_generals(user):
        return _ledger_section(user, year)
    return _pairings_section(user, year)


def _per_group(user, rows: list[LedgerRow], year: int) -> tuple[list[LedgerRow], str]:
    """For a scope split wider than by general branch (a district, the city), the general branches' rows added up
    per group of the dashboard's breakdown (a town, a district): a few dozen rows, not thousands."""
    groups = breakdown(user)
    if groups is None or not groups.wide:
        return rows, _("general branch")
    members = {g.pk: [] for g in groups.groups}
    for row in rows:
        members.setdefault(groups.group_at(row.general_branch), []).append(row)
    added = []
    for group in groups.groups:
        row = ledger_total(members[group.pk], year)
        row.general_branch = group
        added.append(row)
    return added, groups.heading


def _ledger_section(user, year: int) -> Section:
    """The ledger of `year`: per general branch (per town or district for a wider scope), the villages driven, the
    area, the income increase, the people employed, the person-times trained and the sales, each a link to the rows
    behind it."""
    rows, total = ledger(user, year)
    rows, heading = _per_group(user, rows, year)
    table = [
        [
            Cell(r.general_branch.name, r.general_branch.get_absolute_url()),
            Cell(r.villages_driven, r.pairings_url),
            Cell(r.area_mu, r.progress_url),
            Cell(r.income_increase, r.progress_url),
            Cell(r.people_employed, r.events_url),
            Cell(r.person_times_trained, r.trainings_url),
            Cell(r.sales_jin, r.sales_url),
        ]
        for r in rows
    ]
    page = reverse("development:ledger") + f"?year={year}"
    return Section(
        key="development",
        wide=True,
        title=_("Shared development in %(year)s") % {"year": year},
        caption=_("The outcome ledger of the latest year with records; each figure leads to the records behind it."),
        headers=[
            heading,
            _("villages driven"),
            _("area (mu)"),
            _("income increase per person (yuan)"),
            _("people employed"),
            _("person-times trained"),
            _("sold (jin)"),
        ],
        rows=table,
        figures=[
            Figure(_("villages driven"), total.villages_driven, total.pairings_url),
            Figure(_("area (mu)"), total.area_mu, total.progress_url),
            Figure(_("people employed"), total.people_employed, total.events_url),
            Figure(_("person-times trained"), total.person_times_trained, total.trainings_url),
        ],
        chart=bar_chart(
            _("Area of the pairings, in mu"), [(r.general_branch.name, r.area_mu, r.progress_url) for r in rows]
        )
        if len(rows) > 1
        else None,
        link=(_("Outcome ledger"), page),
        empty=_("No general branch in your scope."),
    )


def _pairings_section(user, year: int) -> Section | None:
    """The pairings in scope under way in `year`, with their latest progress (a village's secretary's view)."""
    pairings = list(
        pairing_rows(
            Pairing.objects.restrict(user).filter(start_date__year__lte=year, end_date__year__gte=year)
        ).order_by("start_date", "pk")
    )
    if not pairings:
        return None
    return Section(
        key="development",
        title=_("Pairings in %(year)s") % {"year": year},
        caption=_("Each pairing with its latest progress."),
        headers=[
            _("pairing"),
            _("area (mu)"),
            _("households"),
            _("income per person before (yuan)"),
            _("income per person after (yuan)"),
        ],
        rows=[
            [
                Cell(str(p), p.get_absolute_url()),
                p.latest_area_mu,
                p.latest_households,
                p.latest_income_before,
                p.latest_income_after,
            ]
            for p in pairings
        ],
        figures=[Figure(_("pairings"), len(pairings), reverse("development:pairing_list"))],
        link=(_("Pairings"), reverse("development:pairing_list")),
    )
