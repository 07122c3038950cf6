"""Summaries of a wide scope by the nodes below the one opened: a city or district user sees one row per district or
town, adding up the rows of the villages or general branches below it, and opens one (`?within=<pk>`, or a filter's
organization) for the next level; a town, or anything narrower, sees its rows one by one. A page of thousands of
rows (4,009 villages of a city: 1.2 MB of HTML, two seconds) becomes a page of tens (docs/PERFORMANCE.md, "Powers,
services and development at scale"). The groups are read in at most two queries, whatever the size of the tree; a
figure is then counted per group in SQL (`group`) or its rows bucketed in Python (`of`).

The dashboard splits a scope differently, always and by the lowest node above all its villages (`breakdown`)."""

import bisect
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Case, IntegerField, Q, Value, When

from anding.scoping import ALL, get_or_404, scope_ranges

from ..choices import OrgKind
from ..models import Organization
from ..permissions import active_positions
from ..tree import subtree_q
from .organization import organization_list

__all__ = ["WIDE_KINDS", "DrillDown", "drill_down"]

WIDE_KINDS = (OrgKind.CITY, OrgKind.DISTRICT)  # a node of these kinds is summarized by its children


@dataclass
class DrillDown:
    """The node opened (None: the user's whole scope), the nodes whose sums are the rows, in tree order (empty: the
    rows are shown one by one), and the way back up (`trail`)."""

    focus: Organization | None
    groups: list[Organization] = field(default_factory=list)
    scope: object = None  # the organizations in the user's scope, for the trail

    def __post_init__(self):
        self.groups = sorted(self.groups, key=lambda n: (n.tree_id, n.lft))
        self._starts = [(n.tree_id, n.lft) for n in self.groups]

    @cached_property
    def trail(self) -> list[Organization]:
        """The opened node's ancestors in scope, then it: one query, when a page shows it."""
        if self.focus is None:
            return []
        focus = self.focus
        ancestors = Q(tree_id=focus.tree_id, lft__lt=focus.lft, rght__gt=focus.rght)
        return sorted(self.scope.filter(Q(pk=focus.pk) | ancestors), key=lambda n: n.lft)

    def q(self, path: str = "") -> Q:
        """The rows under the opened node (everything in scope when none is)."""
        return subtree_q(self.focus, path) if self.focus is not None else Q()

    def group(self, path: str = "") -> Case:
        """The SQL expression naming the group of a row's node at `path` (its key; NULL outside every group), to
        count per group in one statement."""
        whens = [When(subtree_q(g, path), then=Value(g.pk)) for g in self.groups]
        return Case(*whens, output_field=IntegerField())

    def of(self, tree_id: int, lft: int) -> Organization | None:
        """The group whose subtree holds the node at (tree_id, lft); None if none does."""
        i = bisect.bisect_right(self._starts, (tree_id, lft)) - 1
        if i < 0:
            return None
        node = self.groups[i]
        return node if node.tree_id == tree_id and node.lft <= lft <= node.rght else None


def drill_down(user, within: Organization | str | None) -> DrillDown:
    """Where `user` is in a summary: the node `within` names (a node already checked to be in scope, such as a
    filter's choice, or a primary key from the address: 404 out of scope), else the whole scope. The groups are the
    children of the opened node when it is the city or a district; with nothing opened, the children of each root
    of the scope that is, beside its narrower roots as groups of their own. No query for a user without a position
    on a district or the city who opens nothing, else one or two (and one for the trail)."""
    scope = organization_list(user)
    if isinstance(within, str):
        within = (
            get_or_404(scope, pk=int(within)) if within.isascii() and within.isdigit() and len(within) <= 18 else None
        )
    if within is not None:
        roots = [within]
    else:
        ranges = scope_ranges(user, Organization)
        if ranges is not ALL and not any(p.organization.kind in WIDE_KINDS for p in active_positions(user)):
            return DrillDown(None, scope=scope)
        rows = Organization.objects.all()
        roots = list(rows.filter(parent=None) if ranges is ALL else rows.filter(pk__in=[r.node_id for r in ranges]))
    focus = roots[0] if len(roots) == 1 else None
    wide = [r for r in roots if r.kind in WIDE_KINDS]
    if not wide:
        return DrillDown(focus, scope=scope)
    children = list(Organization.objects.filter(parent__in=wide))
    return DrillDown(focus, children + [r for r in roots if r.kind not in WIDE_KINDS], scope)
