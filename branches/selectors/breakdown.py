"""How the dashboard splits a user's scope: by the children of the lowest node that holds all the scope's villages,
so that a town is split by general branch, a district by town and the city by district (a few dozen rows, whatever
the size of the scope), and a general branch village by village. Villages directly under that node form a group of
their own (the node itself). Each figure is then counted per group in SQL, on the groups' tree ranges (`case`), in
a number of queries that grows with neither the tree nor the records."""

import bisect
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from ..choices import OrgKind
from ..models import Organization
from .organization import leaf_scope_nodes, organization_list

__all__ = ["Breakdown", "breakdown"]

HEADINGS = {  # the groups' column heading, by their kind (a city's district, a district's town ...)
    OrgKind.DISTRICT: lambda: _("district"),
    OrgKind.TOWN: lambda: _("town"),
    OrgKind.GENERAL: lambda: _("general branch"),
    OrgKind.VILLAGE: lambda: _("village branch"),
}


@dataclass
class Breakdown:
    by_branch: bool  # the groups are units above the villages (else each village is a group)
    groups: list[Organization]  # in tree order; the group of villages directly under their parent, if any, last
    villages: dict[int, int]  # group pk → its villages in scope now
    group_of: dict[int, int]  # village pk → its group's pk
    rest: int | None = None  # the pk of the group of villages directly under the parent of the others

    def label(self, group: Organization) -> str:
        if group.pk != self.rest:
            return group.name
        return _("%(name)s: villages directly under it") % {"name": group.name}

    @property
    def kind(self) -> str:
        """The kind of the groups (of the deepest, if they differ), the group of villages directly under aside."""
        kinds = {g.kind for g in self.groups if g.pk != self.rest} or {OrgKind.GENERAL}
        return max(kinds, key=lambda k: OrgKind(k).rank)

    @property
    def wide(self) -> bool:
        """Split wider than by general branch (per town, per district): the units below are too many to list."""
        return self.by_branch and OrgKind(self.kind).rank < OrgKind.GENERAL.rank

    def group_at(self, node) -> int | None:
        """The pk of the group holding `node` (any node with a tree range), None outside them all."""
        for g in self.groups:  # the group of villages directly under the parent, which holds the others, last
            if g.tree_id == node.tree_id and g.lft <= node.lft <= g.rght:
                return g.pk
        return None

    @property
    def heading(self) -> str:
        return HEADINGS.get(self.kind, HEADINGS[OrgKind.DISTRICT])()

    @property
    def total_villages(self) -> int:
        return sum(self.villages.values())

    def case(self, village_path: str) -> Case:
        """A SQL expression giving the group of the row whose village is at `village_path` (\"\" for the village
        itself): the group whose tree range holds it, the group of the villages directly under the parent last."""
        prefix = f"{village_path}__" if village_path else ""
        whens = [
            When(
                Q(**{f"{prefix}tree_id": g.tree_id, f"{prefix}lft__gte": g.lft, f"{prefix}lft__lte": g.rght}),
                then=Value(g.pk),
            )
            for g in self.groups
        ]
        return Case(*whens, default=None, output_field=IntegerField())


def breakdown(user) -> Breakdown | None:
    """The groups of the villages in the user's scope, with how many villages each has; None without a village.
    Three queries (the villages, the lowest node above all of them, its children), read once per request."""
    if "_breakdown" not in user.__dict__:
        user.__dict__["_breakdown"] = _breakdown(user)
    return user.__dict__["_breakdown"]


def _breakdown(user) -> Breakdown | None:
    leaves = leaf_scope_nodes(user)
    if leaves is not None and len(leaves) == 1 and leaves[0].kind == OrgKind.VILLAGE:  # a village's own: no query
        (top,) = leaves
        return Breakdown(False, [top], {top.pk: 1}, {top.pk: top.pk})
    villages = list(
        organization_list(user)
        .filter(kind=OrgKind.VILLAGE)
        .order_by("tree_id", "lft")
        .values_list("pk", "tree_id", "lft")
    )
    if not villages:
        return None
    trees = {tree_id for _pk, tree_id, _lft in villages}
    top = None
    if len(trees) == 1:
        (tree,) = trees
        top = (
            Organization.objects.filter(tree_id=tree, lft__lte=villages[0][2], rght__gte=villages[-1][2])
            .order_by("-level")
            .first()
        )
        if top.kind == OrgKind.VILLAGE:
            return Breakdown(False, [top], {top.pk: 1}, {top.pk: top.pk})
        children = Organization.objects.filter(parent=top)
    else:  # several trees (a superuser's scope): split by their roots
        children = Organization.objects.filter(tree_id__in=trees, level=0)
    children = list(children.order_by("tree_id", "lft"))
    starts = [(c.tree_id, c.lft) for c in children]
    group_of = {}
    for pk, tree_id, lft in villages:
        group_of[pk] = children[bisect.bisect_right(starts, (tree_id, lft)) - 1]
    if all(c.kind == OrgKind.VILLAGE for c in group_of.values()):  # villages side by side: one group each
        groups = [c for c in children if c.pk in group_of]
        return Breakdown(False, groups, dict.fromkeys(group_of, 1), {pk: pk for pk in group_of})
    rest = None
    for pk, child in group_of.items():
        if child.kind == OrgKind.VILLAGE:  # directly under `top`, beside units that hold villages
            group_of[pk] = rest = top
    counts = {}
    for group in group_of.values():
        counts[group.pk] = counts.get(group.pk, 0) + 1
    groups = [c for c in children if c.pk in counts] + ([rest] if rest is not None else [])
    return Breakdown(
        True,
        groups,
        {g.pk: counts[g.pk] for g in groups},
        {pk: g.pk for pk, g in group_of.items()},
        rest.pk if rest is not None else None,
    )
