"""Who sees what: the resolver the core's scoping asks, turning a user's positions into tree ranges per action.
The role sets themselves live in `branches.roles`; the positions are read once per request by
`branches.permissions.active_positions`."""

from anding import duties
from anding.scoping import ALL, TreeRange

from .permissions import active_positions
from .roles import DEFAULT_SCOPE_ROLES
from .tree import node_range

__all__ = ["user_scope_ranges"]


def user_scope_ranges(user, model, action) -> list[TreeRange] | None:
    """Tree ranges of the positions whose role grants `action` on `model`.

    A model may widen or narrow the default roles with `scope_roles = {"view": {...}, "change": {...}}`.
    """
    if user.is_superuser:
        return ALL
    if user.is_staff and duties.opens_whole_tree(user, model, action):
        return ALL  # an administrator role: the tree's structure or the positions, never personal data
    roles = getattr(model, "scope_roles", {}).get(action, DEFAULT_SCOPE_ROLES.get(action, frozenset()))
    return [node_range(p.organization) for p in active_positions(user) if p.role in roles]
