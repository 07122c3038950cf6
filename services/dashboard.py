"""The dashboard's sections of the services app (registered in ServicesConfig.ready), each at the user's scope: the
"55819" compliance of the centres this year, household-visit coverage by general branch (or village), and the
special funds spent against allocated. A fixed number of queries whatever the data."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anding.charts import Cell, Figure, Section, bar_chart, percent
from anding.scoping import TreeRange
from branches.selectors import breakdown, scope_villages

from . import selectors
from .models import FundAllocation, Household, HouseholdVisit, ServiceCentre, ServiceSession

__all__ = ["fund_section", "service_day_section", "service_sections", "visit_section"]


def service_sections(user, today: datetime.date | None = None) -> list[Section]:
    today = today or timezone.localdate()
    sections = [service_day_section(user, today), visit_section(user, today), fund_section(user, today)]
    return [s for s in sections if s is not None]


def service_day_section(user, today: datetime.date) -> Section | None:
    """Per centre in scope, this year: its half-days, and of the months that have ended those on every "55819"
    target. Three queries (with the centres)."""
    centres = list(ServiceCentre.objects.restrict(user))
    if not centres:
        return None
    figures = selectors.compliance(centres, ServiceSession.objects.restrict(user), today.year)
    page = reverse("services:compliance") + f"?year={today.year}"
    units, heading = _centre_groups(user, centres)
    rows, bars = [], []
    on_target_total = ended_total = half_days_total = 0
    for label, url, members in units:
        months = [m for centre in members for m in figures[centre.pk]]
        ended = [m for m in months if m.ended]
        on_target = [m for m in ended if not m.short]
        half_days = sum(m.half_days for m in months)
        rows.append([Cell(label, url), half_days, len(ended), len(on_target), len(ended) - len(on_target)])
        bars.append((label, percent(len(on_target), len(ended)), url))
        on_target_total += len(on_target)
        ended_total += len(ended)
        half_days_total += half_days
    return Section(
        key="service-days",
        title=_('"55819" service days in %(year)s') % {"year": today.year},
        caption=_(
            "A month is on target when its centre held 5 half-days with 8 departments, 19 services and 3 categories."
        ),
        headers=[heading, _("half-days"), _("months ended"), _("months on target"), _("months short")],
        rows=rows,
        figures=[
            Figure(_("months on target"), f"{on_target_total} / {ended_total}", page),
            Figure(_("half-days"), half_days_total, reverse("services:session_list")),
        ],
        chart=bar_chart(_("Months on target, in percent of the months ended"), bars, maximum=100, unit="%"),
        link=(_("55819 compliance"), page),
    )


def _centre_groups(user, centres: list[ServiceCentre]) -> tuple[list, str]:
    """The table's units: each centre; for a scope split wider than by general branch (a district, the city),
    the centres added up per group of the dashboard's breakdown (one more query: the general branches served)."""
    page = reverse("services:compliance")
    groups = breakdown(user)
    if groups is None or not groups.wide:
        return [(c.name, page, [c]) for c in centres], _("service centre")
    by_pk = {c.pk: c for c in centres}
    members = {g.pk: {} for g in groups.groups}
    served = ServiceCentre.general_branches.through.objects.filter(servicecentre__in=list(by_pk)).values_list(
        "servicecentre_id", "organization__tree_id", "organization__lft"
    )
    for centre_id, tree_id, lft in served.order_by("servicecentre_id", "organization__lft"):
        group = groups.group_at(TreeRange(tree_id, lft, lft))
        if group is not None and not any(centre_id in m for m in members.values()):
            members[group][centre_id] = by_pk[centre_id]
    units = [(groups.label(g), g.get_absolute_url(), list(members[g.pk].values())) for g in groups.groups]
    return [u for u in units if u[2]], groups.heading


def visit_section(user, today: datetime.date) -> Section | None:
    """Household visits this year: per group, the active households on the register, those visited, the coverage,
    the visits and the open follow-ups. Five queries."""
    villages = scope_villages(user, Household)  # the villages whose registers the user sees
    groups = breakdown(user) if villages else None
    if groups is None:
        return None
    coverage = selectors.coverage(villages, HouseholdVisit.objects.restrict(user), today.year, today)
    keys = ("households", "visited", "visits", "open_follow_ups")
    counts = {g.pk: dict.fromkeys(keys, 0) for g in groups.groups}
    for row in coverage:
        c = counts.get(groups.group_of.get(row.village.pk))
        if c is not None:
            for k in keys:
                c[k] += getattr(row, k)
    totals = {k: sum(c[k] for c in counts.values()) for k in keys}
    page = reverse("services:visit_coverage") + f"?year={today.year}"
    return Section(
        key="visits",
        title=_("Household visits in %(year)s") % {"year": today.year},
        caption=_("Coverage: the active households on the register visited this year, in percent."),
        headers=[groups.heading, _("households"), _("visited"), _("coverage (%)"), _("visits"), _("open follow-ups")],
        rows=[
            [
                Cell(groups.label(g)),
                counts[g.pk]["households"],
                counts[g.pk]["visited"],
                percent(counts[g.pk]["visited"], counts[g.pk]["households"]),
                counts[g.pk]["visits"],
                counts[g.pk]["open_follow_ups"],
            ]
            for g in groups.groups
        ],
        figures=[
            Figure(_("coverage (%)"), percent(totals["visited"], totals["households"]), page),
            Figure(_("households visited"), f"{totals['visited']} / {totals['households']}", page),
            Figure(_("open follow-ups"), totals["open_follow_ups"], reverse("services:visit_list") + "?open=true"),
        ],
        chart=bar_chart(
            _("Coverage, in percent of the households"),
            [
                (groups.label(g), percent(counts[g.pk]["visited"], counts[g.pk]["households"]), "")
                for g in groups.groups
            ],
            maximum=100,
            unit="%",
        )
        if len(groups.groups) > 1
        else None,
        link=(_("Visit coverage"), page),
    )


def fund_section(user, today: datetime.date) -> Section | None:
    """The special funds of this year in scope, per purpose: allocated, spent, balance and the share spent. Two
    queries."""
    allocations = FundAllocation.objects.restrict(user).filter(year=today.year)
    totals = selectors.purpose_totals(allocations)
    if not totals:
        return None
    *purposes, grand = totals
    page = reverse("services:allocation_list")
    rows = [
        [
            Cell(t.label, f"{page}?year={today.year}&purpose={t.purpose}"),
            t.allocated,
            t.spent,
            t.balance,
            percent(t.spent, t.allocated),
        ]
        for t in purposes
    ]
    rows.append([Cell(_("Total")), grand.allocated, grand.spent, grand.balance, percent(grand.spent, grand.allocated)])
    return Section(
        key="funds",
        title=_("Special funds in %(year)s") % {"year": today.year},
        headers=[_("purpose"), _("allocated (yuan)"), _("spent (yuan)"), _("balance (yuan)"), _("spent (%)")],
        rows=rows,
        figures=[
            Figure(_("allocated (yuan)"), _yuan(grand.allocated), f"{page}?year={today.year}"),
            Figure(_("spent (yuan)"), _yuan(grand.spent), f"{page}?year={today.year}"),
            Figure(_("spent (%)"), percent(grand.spent, grand.allocated)),
        ],
        chart=bar_chart(
            _("Spent, in percent of the allocation"),
            [
                (t.label, percent(t.spent, t.allocated), f"{page}?year={today.year}&purpose={t.purpose}")
                for t in purposes
            ],
            maximum=100,
            unit="%",
        ),
        link=(_("Special funds"), f"{page}?year={today.year}"),
    )


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"
