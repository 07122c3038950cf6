"""Reads of the special funds. The rows come in already restricted to the user's scope (the view bases do it);
selectors add the joins, each allocation's spent and balance, and the totals per purpose."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from branches.choices import OrgKind
from branches.models import Organization
from branches.permissions import active_positions
from branches.tree import node_range, ranges_q

from ..choices import FundPurpose
from ..models import FundAllocation, FundExpense
from ..models.funds import Money
from ..roles import ALLOCATE_ROLES

__all__ = ["PurposeTotal", "allocation_nodes", "allocation_rows", "expense_rows", "purpose_totals"]

ZERO = Decimal("0.00")


def allocation_rows(allocations):
    """Allocations with their node (and its parent) and, annotated, what was spent and the balance."""
    return allocations.select_related("organization__parent").with_balance()


def expense_rows(expenses):
    return expenses.select_related("voucher", "created_by")


@dataclass
class PurposeTotal:
    """The allocations of one purpose added up: allocated, spent, balance."""

    purpose: str
    label: str
    allocated: Decimal = ZERO
    spent: Decimal = ZERO
    count: int = 0

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.spent


def purpose_totals(allocations) -> list[PurposeTotal]:
    """The totals per purpose of `allocations` (in scope and filtered), and the grand total last: two queries."""
    totals = {value: PurposeTotal(value, label) for value, label in FundPurpose.choices}
    keys = allocations.order_by().values("pk")
    allocations = FundAllocation.objects.filter(pk__in=keys)  # without the rows' joins and annotations
    for row in (
        allocations.order_by().values("purpose").annotate(allocated=Sum("amount", output_field=Money()), n=Count("id"))
    ):
        totals[row["purpose"]].allocated, totals[row["purpose"]].count = row["allocated"] or ZERO, row["n"]
    expenses = FundExpense.objects.filter(allocation__in=keys)
    for row in expenses.values("allocation__purpose").annotate(spent=Sum("amount", output_field=Money())).order_by():
        totals[row["allocation__purpose"]].spent = row["spent"] or ZERO
    rows = [t for t in totals.values() if t.count]
    grand = PurposeTotal("", "")
    for t in rows:
        grand.allocated += t.allocated
        grand.spent += t.spent
        grand.count += t.count
    return [*rows, grand] if rows else []


def allocation_nodes(user):
    """The nodes the user may allocate funds to (those under their town-cadre positions), in tree order."""
    ranges = [node_range(p.organization) for p in active_positions(user) if p.role in ALLOCATE_ROLES]
    if not ranges:
        return Organization.objects.none()
    return (
        Organization.objects.filter(ranges_q(ranges))
        .exclude(kind__in=[OrgKind.CITY, OrgKind.DISTRICT])
        .order_by("tree_id", "lft")
    )
