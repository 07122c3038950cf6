"""The outcome ledger: per general branch and year, the results of the pairings led from its villages, its
partnership events, its resources' trainings and its shared sales, each added up from the records in the user's
scope (constant queries: one per kind of record, whatever the number of general branches or rows)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Max, Sum, Value
from django.urls import reverse

from anding.scoping import ALL, scope_ranges
from branches.choices import OrgKind
from branches.models import Organization
from branches.selectors import leaf_scope_kinds
from branches.tree import ranges_q

from ..models import Pairing, PairingProgress, PartnerEvent, ResourceTraining, SharedSale
from .pairings import latest_in_year

__all__ = ["LedgerRow", "has_ledger_generals", "latest_year", "ledger", "ledger_generals", "ledger_total"]

CENT = Decimal("0.01")


@dataclass
class LedgerRow:
    general_branch: Organization | None  # None: the total of the rows; a district or town when `group`
    year: int
    group: bool = False  # a sum over the general branches under `general_branch` (branches.selectors.drill_down)
    villages_driven: int = 0
    pairings_measured: int = 0
    area_mu: Decimal = Decimal(0)
    income_increase: Decimal | None = None  # the mean of each pairing's latest (after − before) in the year
    people_employed: int = 0
    events: int = 0
    trained_at_events: int = 0
    trained_by_resources: int = 0
    sales_jin: Decimal = Decimal(0)
    sales_yuan: Decimal = Decimal(0)

    @property
    def person_times_trained(self) -> int:
        return self.trained_at_events + self.trained_by_resources

    @property
    def drill_url(self) -> str:
        """A group's own page of the ledger (its general branches, or its towns)."""
        return f"?year={self.year}&within={self.general_branch.pk}"

    def _link(self, name: str, **query) -> str:
        if self.group:  # the records behind a group's figures: open the group first
            return self.drill_url
        if self.general_branch is not None:
            query = {"general_branch": self.general_branch.pk, **query}
        return reverse(f"development:{name}") + "?" + "&".join(f"{k}={v}" for k, v in query.items())

    @property
    def pairings_url(self) -> str:
        return self._link("pairing_list", year=self.year)

    @property
    def progress_url(self) -> str:
        return self._link("progress_list", latest_in=self.year)

    @property
    def events_url(self) -> str:
        return self._link("event_list", year=self.year)

    @property
    def trainings_url(self) -> str:
        return self._link("training_list", year=self.year)

    @property
    def sales_url(self) -> str:
        return self._link("sale_list", year=self.year)


def ledger_generals(user):
    """The general branches in the user's scope (the ledger's rows): none for a village's secretary."""
    ranges = scope_ranges(user, PartnerEvent, "view")
    generals = Organization.objects.filter(kind=OrgKind.GENERAL).order_by("tree_id", "lft")
    return generals if ranges is ALL else generals.filter(ranges_q(ranges))


def has_ledger_generals(user) -> bool:
    """Whether `ledger_generals` holds any: for a scope of leaves only (a village's), answered from the user's
    positions without a query."""
    leaves = leaf_scope_kinds(user, PartnerEvent)
    if leaves is not None:
        return OrgKind.GENERAL in leaves.values()
    return ledger_generals(user).exists()


def ledger(user, year: int, drill=None) -> tuple[list[LedgerRow], LedgerRow]:
    """The ledger's rows for `year` (one per general branch in scope, under the node `drill` opened) and their
    total. When `drill` has groups (a city or district), one row per group instead, counted per group in SQL."""
    if drill is not None and drill.groups:
        rows = {g.pk: LedgerRow(g, year, group=True) for g in drill.groups}

        def per_unit(queryset, path):
            return queryset.filter(drill.q(path)).annotate(unit=drill.group(path))
    else:
        generals = ledger_generals(user).filter(drill.q()) if drill is not None else ledger_generals(user)
        rows = {g.pk: LedgerRow(g, year) for g in generals}
        ids = list(rows)

        def per_unit(queryset, path):
            return queryset.filter(**{f"{path}__in": ids}).annotate(unit=F(path))

    pairings = per_unit(Pairing.objects.restrict(user), "lead_village__parent").filter(
        start_date__year__lte=year, end_date__year__gte=year
    )
    helped = per_unit(
        Pairing.helped_villages.through.objects.filter(pairing__in=pairings.values("pk")),
        "pairing__lead_village__parent",
    )
    for r in helped.values("unit").annotate(n=Count("organization", distinct=True)).order_by():
        if r["unit"] in rows:
            rows[r["unit"]].villages_driven = r["n"]

    progress = latest_in_year(PairingProgress.objects.restrict(user).filter(pairing__in=pairings.values("pk")), year)
    figures = per_unit(progress, "pairing__lead_village__parent").values("unit")
    figures = figures.annotate(n=Count("id"), area=Sum("area_mu"), increase=Avg(F("income_after") - F("income_before")))
    for r in figures.order_by():
        if r["unit"] in rows:
            row = rows[r["unit"]]
            row.pairings_measured, row.area_mu = r["n"], r["area"]
            row.income_increase = Decimal(r["increase"]).quantize(CENT)

    events = per_unit(PartnerEvent.objects.restrict(user).filter(date__year=year), "general_branch").values("unit")
    figures = events.annotate(n=Count("id"), employed=Sum("people_employed"), trained=Sum("person_times_trained"))
    for r in figures.order_by():
        if r["unit"] in rows:
            row = rows[r["unit"]]
            row.events, row.people_employed, row.trained_at_events = r["n"], r["employed"], r["trained"]

    trainings = per_unit(ResourceTraining.objects.restrict(user).filter(date__year=year), "resource__general_branch")
    for r in trainings.values("unit").annotate(n=Sum("person_times")).order_by():
        if r["unit"] in rows:
            rows[r["unit"]].trained_by_resources = r["n"]

    sales = per_unit(SharedSale.objects.restrict(user).filter(date__year=year), "general_branch")
    for r in sales.values("unit").annotate(jin=Sum("quantity_jin"), yuan=Sum("amount")).order_by():
        if r["unit"] in rows:
            row = rows[r["unit"]]
            row.sales_jin, row.sales_yuan = r["jin"], r["yuan"]

    ordered = list(rows.values())
    return ordered, ledger_total(ordered, year)


def ledger_total(rows: list[LedgerRow], year: int) -> LedgerRow:
    total = LedgerRow(None, year)
    for name in (
        "villages_driven",
        "pairings_measured",
        "area_mu",
        "people_employed",
        "events",
        "trained_at_events",
        "trained_by_resources",
        "sales_jin",
        "sales_yuan",
    ):
        setattr(total, name, sum(getattr(r, name) for r in rows))
    measured = [r for r in rows if r.income_increase is not None]
    if measured:  # the mean over every pairing measured, as each row's
        weighted = sum(r.income_increase * r.pairings_measured for r in measured)
        total.income_increase = (weighted / sum(r.pairings_measured for r in measured)).quantize(CENT)
    return total


def latest_year(user) -> int | None:
    """The latest year with a record the ledger adds up, in the user's scope (one query: each kind of record's
    latest date, joined by UNION ALL)."""
    latest = [  # one row each: grouped by a constant (`values(last=Max(...))` alone grouped by the key, 27,000 rows)
        model.objects.restrict(user).order_by().annotate(one=Value(1)).values("one").annotate(last=Max("date"))
        for model in (PairingProgress, PartnerEvent, ResourceTraining, SharedSale)
    ]
    years = [row["last"].year for row in latest[0].union(*latest[1:], all=True) if row["last"] is not None]
    return max(years) if years else None
