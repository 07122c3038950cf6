"""How the dashboard splits a user's scope: by general branch when the scope's villages answer to more than one,
else village by village. Each figure is then counted per group in one GROUP BY on the village's parent (or the
village), so the number of queries does not grow with the tree."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from ..choices import OrgKind
from ..models import Organization
from .organization import organization_list

__all__ = ["Breakdown", "breakdown"]


@dataclass
class Breakdown:
    by_branch: bool
    groups: list[Organization]  # in tree order: general branches (or the town, for villages directly under it)
    villages: dict[int, int]  # group pk → its villages now

    def key(self, village_path: str) -> str:
        """The lookup of a row's group, from the lookup of its village (e.g. "village" → "village__parent")."""
        return f"{village_path}__parent" if self.by_branch else village_path

    def label(self, group: Organization) -> str:
        if group.kind in (OrgKind.GENERAL, OrgKind.VILLAGE):
            return group.name
        return _("%(name)s: villages directly under it") % {"name": group.name}

    @property
    def heading(self) -> str:
        return _("general branch") if self.by_branch else _("village branch")

    @property
    def total_villages(self) -> int:
        return sum(self.villages.values())


def breakdown(user) -> Breakdown | None:
    """The groups of the villages in the user's scope, with how many villages each has; None without a village.
    Two queries."""
    villages = organization_list(user).filter(kind=OrgKind.VILLAGE)
    parents = dict(villages.values_list("parent").annotate(n=Count("id")).order_by())
    if not parents:
        return None
    if len(parents) > 1:
        groups = list(Organization.objects.filter(pk__in=parents).order_by("tree_id", "lft"))
        return Breakdown(True, groups, {g.pk: parents[g.pk] for g in groups})
    groups = list(villages.order_by("tree_id", "lft"))
    return Breakdown(False, groups, {g.pk: 1 for g in groups})
