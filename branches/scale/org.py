"""Writing the planned tree and its people's accounts in bulk: organizations level by level (a level's parents
have their keys before it is written), one user with a position on every node, all with the same password hash
(hashing thousands of passwords would take minutes and proves nothing)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Max

from ..choices import OrgKind, Role
from ..models import Organization, Position
from .bulk import insert
from .plan import Node, walk

__all__ = ["PASSWORD", "insert_tree", "insert_users", "persona_names"]

PASSWORD = "Scale-Pass-2026"

ROLE_OF = {
    OrgKind.CITY: (Role.TOWN_CADRE, "市委组织部干部"),
    OrgKind.DISTRICT: (Role.TOWN_CADRE, "区委组织部干部"),
    OrgKind.TOWN: (Role.TOWN_CADRE, "镇党委组织委员"),
    OrgKind.GENERAL: (Role.GENERAL_SECRETARY, "联村党总支书记"),
    OrgKind.VILLAGE: (Role.VILLAGE_SECRETARY, "村党支部书记"),
}


def insert_tree(root: Node, progress) -> list[Node]:
    """Write every node (parents first, one bulk insert per level); returns the nodes, their `pk` set."""
    nodes = list(walk(root))
    tree_id = (Organization._tree_manager.aggregate(m=Max("tree_id"))["m"] or 0) + 1
    progress.stage("organizations", len(nodes))
    for level in range(max(n.level for n in nodes) + 1):
        row = [n for n in nodes if n.level == level]
        for start in range(0, len(row), 5000):
            batch = row[start : start + 5000]
            objs = [
                dict(
                    kind=n.kind,
                    code=n.code,
                    name=n.name,
                    parent_id=n.parent.pk if n.parent else None,
                    tree_id=tree_id,
                    lft=n.lft,
                    rght=n.rght,
                    level=n.level,
                )
                for n in batch
            ]
            # Written through the base manager: the tree fields as computed above, not mptt's.
            for n, pk in zip(batch, insert(Organization, objs), strict=True):
                n.pk = pk
            progress.advance(len(batch))
    return nodes


def username(prefix: str, node: Node) -> str:
    """`scale-city`, `scale-d03`, `scale-t017`, `scale-g017-2`, `scale-v017-2-05`: lower case, as logins are."""
    p = prefix.lower()
    if node.kind == OrgKind.CITY or (node.parent is None and node.kind == OrgKind.DISTRICT):
        return f"{p}-{node.kind}"
    if node.kind == OrgKind.DISTRICT:
        return f"{p}-d{node.index:02d}"
    if node.kind == OrgKind.TOWN:
        return f"{p}-t{node.index:03d}"
    g = node.code.rsplit("-G", 1)[1].split("-")[0]
    if node.kind == OrgKind.GENERAL:
        return f"{p}-g{node.index:03d}-{g}"
    return f"{p}-v{node.index:03d}-{g}-{node.code[-2:]}"


def insert_users(nodes: list[Node], prefix: str, start: datetime.date, progress) -> dict[int, int]:
    """One account and position per node: {organization pk: user pk}. Accounts left by an earlier run (kept by
    --reset because the audit trail may name them) are reused."""
    users = get_user_model()
    password = make_password(PASSWORD)
    names = {n.pk: username(prefix, n) for n in nodes}
    progress.stage("accounts", 2 * len(nodes))
    existing = dict(users.objects.filter(username__in=names.values()).values_list("username", "pk"))
    fresh = [
        dict(username=name, full_name=_full_name(n), password=password)
        for n in nodes
        if (name := names[n.pk]) not in existing
    ]
    insert(users, fresh)
    progress.advance(len(nodes))
    by_name = dict(users.objects.filter(username__in=names.values()).values_list("username", "pk"))
    positions = []
    for n in nodes:
        role, title = ROLE_OF[n.kind]
        positions.append(
            dict(user_id=by_name[names[n.pk]], organization_id=n.pk, role=role, title=title, start_date=start)
        )
    insert(Position, positions)
    progress.advance(len(nodes))
    return {n.pk: by_name[names[n.pk]] for n in nodes}


def _full_name(node: Node) -> str:
    return f"{node.name}{ROLE_OF[node.kind][1][-2:]}"


def persona_names(nodes: list[Node], prefix: str) -> dict[str, list[str]]:
    """A few user names per level, for a benchmark to log in as (the first nodes of each kind in tree order)."""
    personas = {}
    for n in nodes:
        found = personas.setdefault(n.kind, [])
        if len(found) < 3:
            found.append(username(prefix, n))
    return personas
