"""Wide scopes see summaries (issue 13): a view opened on the city or a district counts its villages per node one
level down (districts, towns) instead of listing thousands of villages; opening one of those nodes shows the level
below it, and a town, a general branch or a village lists its villages as before. The number of queries does not
grow with the tree: the groups are read in at most two, and the villages' figures are bucketed in one pass."""

import bisect
from collections.abc import Iterable

from anding.scoping import ALL, scope_ranges

from ..choices import OrgKind
from ..models import Organization
from ..permissions import active_positions

__all__ = ["WIDE_KINDS", "Groups", "summary_groups"]

WIDE_KINDS = (OrgKind.CITY, OrgKind.DISTRICT)


class Groups:
    """The nodes a wide view counts by, in tree order, and which of them holds a village."""

    def __init__(self, nodes: list[Organization]):
        self.nodes = sorted(nodes, key=lambda n: (n.tree_id, n.lft))
        self._starts = [(n.tree_id, n.lft) for n in self.nodes]

    def __iter__(self):
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def of(self, tree_id: int, lft: int) -> Organization | None:
        """The group whose subtree holds the node at (tree_id, lft); None if none does."""
        i = bisect.bisect_right(self._starts, (tree_id, lft)) - 1
        if i < 0:
            return None
        node = self.nodes[i]
        return node if node.tree_id == tree_id and node.lft <= lft <= node.rght else None


def summary_groups(user, within: Organization | None = None) -> Groups | None:
    """The groups of a wide view: the children of the opened node (`within`, else each root of the user's scope)
    when it is the city or a district, with any narrower root of the scope as a group of its own; None when nothing
    opened is that wide (the view lists villages). No query for a user without a position on a district or the city,
    else one or two."""
    if within is not None:
        roots: Iterable[Organization] = [within]
    else:
        ranges = scope_ranges(user, Organization)
        if ranges is not ALL and not any(p.organization.kind in WIDE_KINDS for p in active_positions(user)):
            return None
        rows = Organization.objects.all()
        roots = rows.filter(parent=None) if ranges is ALL else rows.filter(pk__in=[r.node_id for r in ranges])
        roots = list(roots)
    wide = [r for r in roots if r.kind in WIDE_KINDS]
    if not wide:
        return None
    children = list(Organization.objects.filter(parent__in=wide))
    return Groups(children + [r for r in roots if r.kind not in WIDE_KINDS])
