"""Who sees what: the roles that open a subtree, per action. The core's scoping asks this resolver."""

from anding.scoping import ALL, TreeRange

from .choices import Role

__all__ = [
    "CHANGE_ROLES",
    "GOVERNING_ROLES",
    "REVIEW_ROLES",
    "active_positions",
    "has_role_over",
    "node_range",
    "user_scope_ranges",
]

# Roles whose holders see the records of their subtree. A committee member of a general branch is also a village
# secretary; the committee seat itself opens nothing beyond their own village.
GOVERNING_ROLES = frozenset({Role.TOWN_CADRE, Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY, Role.VILLAGE_SECRETARY})
# Roles whose holders may change the roster and records of their subtree.
CHANGE_ROLES = frozenset({Role.TOWN_CADRE, Role.GENERAL_SECRETARY, Role.VILLAGE_SECRETARY})
# Roles whose holders review the records of the level below (meetings of their units).
REVIEW_ROLES = frozenset({Role.TOWN_CADRE, Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY})
DEFAULT_ROLES = {"view": GOVERNING_ROLES, "change": CHANGE_ROLES}


def active_positions(user) -> list:
    """The user's active positions with their nodes, read once per request."""
    if "_active_positions" not in user.__dict__:
        from .models import Position

        user.__dict__["_active_positions"] = list(
            Position.objects.active().filter(user=user).select_related("organization").order_by("organization__lft")
        )
    return user.__dict__["_active_positions"]


def user_scope_ranges(user, model, action):
    """Tree ranges of the positions whose role grants `action` on `model`.

    A model may widen or narrow the default roles with `scope_roles = {"view": {...}, "change": {...}}`.
    """
    if user.is_superuser:
        return ALL
    roles = getattr(model, "scope_roles", {}).get(action, DEFAULT_ROLES.get(action, frozenset()))
    return [
        TreeRange(p.organization.tree_id, p.organization.lft, p.organization.rght)
        for p in active_positions(user)
        if p.role in roles
    ]


def node_range(node) -> TreeRange:
    return TreeRange(node.tree_id, node.lft, node.rght)


def has_role_over(user, node, roles, *, strictly_above: bool = False) -> bool:
    """Whether the user holds, on `node` or one of its ancestors, an active position with one of `roles`.

    Answered from the positions already read for the request: no query. With `strictly_above`, a position on
    `node` itself does not count (the level above reviews).
    """
    if user is None or not user.is_authenticated:
        return False
    target = node_range(node)
    for p in active_positions(user):
        if p.role in roles and node_range(p.organization).contains(target):
            if strictly_above and p.organization_id == node.pk:
                continue
            return True
    return False
