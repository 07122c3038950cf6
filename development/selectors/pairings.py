"""Reads of the pairings: the rows come in already restricted to the user's scope; selectors add the joins, the
latest progress of each pairing (subqueries, one statement) and both sides' figures."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery

from ..models import PairingProgress, VillageFigures
from .figures import latest_figures

__all__ = ["STALE_AFTER", "Side", "latest_in_year", "pairing_rows", "pairing_sides", "progress_rows", "stale"]

STALE_AFTER = datetime.timedelta(days=90)  # a pairing under way with no progress for this long needs a word
LATEST_FIELDS = ("date", "area_mu", "households", "income_before", "income_after")


def pairing_rows(pairings):
    """Pairings with their lead village, the villages helped and their latest progress (`latest_date`,
    `latest_area_mu`, ...)."""
    latest = PairingProgress.objects.filter(pairing=OuterRef("pk")).order_by("-date", "-pk")
    return (
        pairings.select_related("lead_village__parent")
        .prefetch_related("helped_villages")
        .annotate(**{f"latest_{name}": Subquery(latest.values(name)[:1]) for name in LATEST_FIELDS})
    )


def progress_rows(progress):
    return progress.select_related("pairing__lead_village")


@dataclass
class Side:
    """A village of a pairing, leading or helped, with its latest yearly figures (None when none are entered)."""

    village: object
    leads: bool
    figures: VillageFigures | None


def pairing_sides(pairing) -> list[Side]:
    """The lead village, then the villages helped (in the tree's order), each with its latest figures."""
    helped = sorted(pairing.helped_villages.all(), key=lambda v: (v.tree_id, v.lft))
    figures = latest_figures([pairing.lead_village_id, *(v.pk for v in helped)])
    return [
        Side(pairing.lead_village, True, figures.get(pairing.lead_village_id)),
        *(Side(v, False, figures.get(v.pk)) for v in helped),
    ]


def latest_in_year(progress, year: int):
    """Of `progress`, each pairing's latest record dated in `year`: those with no later one in the year (one
    statement). Written as "no later record" (an anti-join), which the planner sizes right; as "the key of the
    latest" it expected seven rows of the city's 1,341 and joined them in nested loops (the ledger: 4 s)."""
    later = PairingProgress.objects.filter(pairing=OuterRef("pairing"), date__year=year).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    return progress.filter(date__year=year).filter(~Exists(later))


def stale(pairings, today: datetime.date):
    """Of `pairings`, those under way on `today` (started at least STALE_AFTER ago) with no progress recorded in
    the last STALE_AFTER."""
    since = today - STALE_AFTER
    # asked per pairing by its own progress (the index on the pairing), not as the keys of every recent progress
    # entry of the city, which read all 26,820 of them for a general branch's four pairings (3.8 ms)
    recent = PairingProgress.objects.filter(pairing=OuterRef("pk"), date__gt=since)
    return pairings.filter(~Exists(recent), start_date__lte=since, end_date__gte=today)
