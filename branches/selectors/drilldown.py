"""Summaries of a wide scope by the nodes below the one opened: a city or district user sees one row per district or
town, adding up the rows of the villages or general branches below it, and opens one (`?within=<pk>`) for the next
level; a town, or anything narrower, sees its rows one by one. A page of thousands of rows (4,009 villages of a
city: 1.2 MB of HTML, two seconds) becomes a page of tens (docs/PERFORMANCE.md, "Powers, services and development
at scale")."""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, Value, When

from anding.scoping import ALL, get_or_404, scope_ranges

from ..choices import OrgKind
from ..models import Organization
from ..tree import subtree_q
from .organization import organization_list

__all__ = ["WIDE_KINDS", "DrillDown", "drill_down"]

WIDE_KINDS = (OrgKind.CITY, OrgKind.DISTRICT)  # a node of these kinds is summarized by its children


@dataclass
class DrillDown:
    """The node opened (None: the user's scope, when it is not one subtree), the nodes whose sums are the rows
    (empty: the rows are shown one by one) and the way back up (the opened node's ancestors in scope, then it)."""

    focus: Organization | None
    groups: list[Organization] = field(default_factory=list)
    trail: list[Organization] = field(default_factory=list)

    def q(self, path: str = "") -> Q:
        """The rows under the opened node (everything in scope when none is)."""
        return subtree_q(self.focus, path) if self.focus is not None else Q()

    def group(self, path: str = "") -> Case:
        """The SQL expression naming the group of a row's node at `path` (its key; NULL outside every group), to
        count per group in one statement."""
        whens = [When(subtree_q(g, path), then=Value(g.pk)) for g in self.groups]
        return Case(*whens, output_field=IntegerField())


def drill_down(user, within: str | None) -> DrillDown:
    """Where `user` is in a summary: the node `within` names (404 out of scope), else their scope's one top node.
    Two queries (the node, its children) and one for the trail."""
    scope = organization_list(user)
    if within and within.isascii() and within.isdigit() and len(within) <= 18:
        focus = get_or_404(scope, pk=int(within))
    else:
        ranges = scope_ranges(user, Organization)
        tops = Organization.objects.filter(parent=None) if ranges is ALL else None
        if ranges is not ALL and len(ranges) == 1:
            tops = Organization.objects.filter(tree_id=ranges[0].tree_id, lft=ranges[0].lft)
        found = list(tops[:2]) if tops is not None else []
        focus = found[0] if len(found) == 1 else None
    if focus is None:
        return DrillDown(None)
    groups = list(focus.get_children().order_by("lft")) if focus.kind in WIDE_KINDS else []
    trail = list(scope.filter(Q(pk=focus.pk) | Q(tree_id=focus.tree_id, lft__lt=focus.lft, rght__gt=focus.rght)))
    return DrillDown(focus, groups, sorted(trail, key=lambda n: n.lft))
