"""Reads of the branches app. Every function takes the user and returns what is in their scope.

This is also the project's own small tree API: the rest of the code asks these functions, not django-mptt, so
the tree library can be swapped later.
"""

from collections import Counter

from django.db.models import Case, Count, Func, IntegerField, OuterRef, Prefetch, Q, Subquery, When

from anding.scoping import ALL, TreeRange, get_or_404, scope_ranges

from ..choices import MemberStatus, OrgKind, ReportStatus, Role
from ..models import MonthlyReport, Organization, OrgChange, PartyMember, Position
from ..permissions import active_positions
from ..tree import is_within, node_range, ranges_q, subtree_q

__all__ = [
    "ancestors",
    "can_add_members",
    "leaf_scope_kinds",
    "leaf_scope_nodes",
    "member_get",
    "member_list",
    "member_rows",
    "officer_counts",
    "officers",
    "organization_changes",
    "organization_children",
    "organization_get",
    "organization_list",
    "organization_tree",
    "organization_tree_full",
    "organization_tree_page",
    "organization_tree_rows",
    "scope_kind_counts",
    "scope_villages",
    "subtree_q",
    "village_answers_to",
    "village_members",
    "villages_under",
]

CURRENT_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.FULL)


def organization_list(user, action="view"):
    return Organization.objects.restrict(user, action)


def organization_get(user, pk, action="view") -> Organization:
    return get_or_404(organization_list(user, action), pk=pk)


def organization_tree(user):
    """The user's part of the tree, as `organization_tree_rows`."""
    return organization_tree_rows(organization_list(user))


def organization_tree_rows(queryset):
    """Nodes in tree order in one query, each with its cumulative count of current members (counted from the
    members' `(branch_id, status)` index alone, where django-mptt's count read every member's row)."""
    return queryset.annotate(member_count=_members_in(subtree=True)).order_by("tree_id", "lft")


def organization_tree_full(user) -> list[Organization]:
    """The whole tree in scope with cumulative counts of current members, for pages that show every node.

    Two linear queries (the nodes; the members counted per branch) and one pass in tree order, instead of a count
    over each node's subtree: the cost grows with the size of the data, not with its size times the tree's depth.
    """
    nodes = list(organization_list(user).order_by("tree_id", "lft"))
    own = dict(
        PartyMember.objects.filter(branch__in=organization_list(user), status__in=CURRENT_STATUSES)
        .values_list("branch")
        .annotate(n=Count("id"))
        .order_by()
    )
    path: list[Organization] = []  # the current node's ancestors that are in scope
    for node in nodes:
        while path and not is_within(node, path[-1]):
            path.pop()
        node.member_count = own.get(node.pk, 0)
        for ancestor in path:
            ancestor.member_count += node.member_count
        path.append(node)
    return nodes


TREE_PAGE_ROWS = 60  # a second level below the top opens by default only while the tree page stays this short


def organization_tree_page(user, open_node: Organization | None = None) -> list[Organization]:
    """The part of the tree the tree page shows, in tree order: the top nodes of the scope and their units; their
    units' units as well while that stays within TREE_PAGE_ROWS (a town's general branches and villages); and the
    path down to `open_node` with the units of every node on it. A city or district user sees a short page and
    opens what they need, instead of thousands of rows at once.

    Each node carries `depth` (0 for a top node), `is_open` (its units are shown), `opened_on_demand` (open only
    because it is on the path to `open_node`), `has_units`, and the cumulative `member_count` (current members)
    and `village_count`. Two queries whatever the scope's size: the candidate nodes (narrow rows), then the shown
    ones with their counts, counted in SQL over the subtree of each node whose units are not shown and added up
    the shown tree for the others.
    """
    ranges = scope_ranges(user, Organization)
    if ranges is not ALL and not ranges:
        return []
    levels = _tops_q(ranges, "") | _tops_q(ranges, "parent__") | _tops_q(ranges, "parent__parent__")
    candidates = list(
        organization_list(user)
        .filter(levels | _path_units_q(open_node))
        .order_by("tree_id", "lft")
        .values_list("pk", "parent_id", "tree_id", "lft", "rght")
    )
    depth: dict[int, int] = {}
    for pk, parent_id, *_ in candidates:
        depth[pk] = depth[parent_id] + 1 if parent_id in depth else 0
    path = (
        set()
        if open_node is None
        else {pk for pk, _, *r in candidates if TreeRange(*r).contains(node_range(open_node))}
    )
    second_level = sum(1 for pk, *_ in candidates if depth[pk] <= 2) <= TREE_PAGE_ROWS
    default_depth = 2 if second_level else 1  # the units of nodes above this depth are shown by default
    shown = [row for row in candidates if depth[row[0]] <= default_depth or row[1] in path]
    shown_ids = {row[0] for row in shown}
    open_ids = {parent_id for _, parent_id, *_ in shown if parent_id in shown_ids}
    nodes = list(
        Organization.objects.filter(pk__in=shown_ids)
        .annotate(
            counted_members=_own_or_subtree(open_ids, _members_in),
            counted_villages=_own_or_subtree(open_ids, _villages_in),
        )
        .order_by("tree_id", "lft")
    )
    members = {node.pk: node.counted_members for node in nodes}
    villages = {node.pk: node.counted_villages for node in nodes}
    for node in reversed(nodes):  # a node after all its units: its sums are complete, add them to its parent's
        if node.parent_id in shown_ids:
            members[node.parent_id] += members[node.pk]
            villages[node.parent_id] += villages[node.pk]
    for node in nodes:
        node.depth, node.is_open, node.has_units = depth[node.pk], node.pk in open_ids, node.rght - node.lft > 1
        node.opened_on_demand = node.is_open and node.depth >= default_depth  # open only as it is on the path
        node.member_count, node.village_count = members[node.pk], villages[node.pk]
    return nodes


def _tops_q(ranges, path: str) -> Q:
    """Nodes whose node at `path` is a top node of the scope (for ALL: a root of the tree)."""
    if ranges is ALL:  # also matches nodes nearer the root, which are candidates anyway
        return Q(**{f"{path}parent__isnull": True})
    condition = Q(pk__in=[])
    for r in ranges:
        condition |= Q(**{f"{path}tree_id": r.tree_id, f"{path}lft": r.lft})
    return condition


def _path_units_q(open_node: Organization | None) -> Q:
    """The units of `open_node` and of each of its ancestors (the nodes whose range holds it)."""
    if open_node is None:
        return Q(pk__in=[])
    return Q(parent__tree_id=open_node.tree_id, parent__lft__lte=open_node.lft, parent__rght__gte=open_node.rght)


_OUTER = TreeRange(OuterRef("tree_id"), OuterRef("lft"), OuterRef("rght"))  # the subtree of the outer query's node


def _own_or_subtree(open_ids, count) -> Case:
    """For an open node only its own count (its units' are added to it), else its whole subtree's."""
    return Case(
        When(pk__in=open_ids, then=count(subtree=False)),
        default=count(subtree=True),
        output_field=IntegerField(),
    )


def _members_in(*, subtree: bool) -> Subquery:
    members = PartyMember.objects.filter(status__in=CURRENT_STATUSES)
    members = members.filter(_OUTER.q("branch")) if subtree else members.filter(branch=OuterRef("pk"))
    return _count(members)


def _villages_in(*, subtree: bool) -> Subquery:
    villages = Organization.objects.filter(kind=OrgKind.VILLAGE)
    return _count(villages.filter(_OUTER.q()) if subtree else villages.filter(pk=OuterRef("pk")))


def _count(rows) -> Subquery:
    """The number of `rows` as a scalar subquery: COUNT as a plain function (no GROUP BY, so 0 when none), and of
    `*`, which lets PostgreSQL count members from the `(branch_id, status)` index alone."""
    return Subquery(rows.order_by().annotate(n=Func(template="COUNT(*)", output_field=IntegerField())).values("n"))


def ancestors(node: Organization, user=None) -> list[Organization]:
    """The path from the root down to `node`'s parent (for breadcrumbs), flagged with whether the user may open each."""
    nodes = list(node.get_ancestors())
    if user is not None:
        visible = set(organization_list(user).filter(pk__in=[n.pk for n in nodes]).values_list("pk", flat=True))
        for n in nodes:
            n.visible = n.pk in visible
    return nodes


def officers(node: Organization):
    """The active positions held on `node`, with their users and liaison villages."""
    return (
        Position.objects.active()
        .filter(organization=node)
        .select_related("user")
        .prefetch_related(Prefetch("liaison_villages", queryset=Organization.objects.order_by("lft")))
        .order_by("role", "user__username")
    )


def officer_counts(user) -> dict[str, int]:
    """Active positions in scope, by role."""
    rows = Position.objects.restrict(user).active().values("role").annotate(n=Count("id"))
    return {Role(row["role"]): row["n"] for row in rows}


def member_rows(queryset):
    """Members with their branch and its general branch (for lists and pages)."""
    return queryset.select_related("branch", "branch__parent")


def member_list(user, action="view"):
    return member_rows(PartyMember.objects.restrict(user, action))


def member_get(user, pk, action="view") -> PartyMember:
    return get_or_404(member_list(user, action), pk=pk)


def organization_children(user, node: Organization):
    """The units of `node` in scope, with their cumulative member counts."""
    return organization_tree(user).filter(parent=node)


def organization_changes(user, node: Organization, limit: int = 10) -> list[OrgChange]:
    """The latest restructurings of `node`."""
    return list(
        OrgChange.objects.restrict(user).filter(organization=node).select_related("old_parent", "new_parent")[:limit]
    )


def villages_under(user, node: Organization):
    """The villages in scope at or below `node`, in tree order."""
    return organization_list(user).filter(subtree_q(node), kind=OrgKind.VILLAGE).order_by("tree_id", "lft")


def village_members(user, village: Organization):
    """The current members of a village in scope."""
    return member_list(user).filter(branch=village).current()


def can_add_members(user) -> bool:
    """Whether the user may change the roster of at least one village."""
    leaves = leaf_scope_kinds(user, action="change")
    if leaves is not None:
        return OrgKind.VILLAGE in leaves.values()
    return organization_list(user, "change").filter(kind=OrgKind.VILLAGE).exists()


def village_answers_to(user, village: Organization) -> dict | None:
    """Whom a village answers to: its general branch (`visible` when the user may open it), its liaison deputies,
    the general branch's secretaries, and its oldest report waiting for review with who reviews it next (the
    liaison deputy while it is submitted, else the general-branch secretary: `permissions.can_review_report`).
    None for a node that is not a village. Three queries."""
    if village.kind != OrgKind.VILLAGE:
        return None
    parent = village.parent
    general = parent if parent is not None and parent.kind == OrgKind.GENERAL else None
    positions = list(
        Position.objects.active()
        .filter(
            Q(role=Role.DEPUTY_SECRETARY, liaison_villages=village)
            | Q(role=Role.GENERAL_SECRETARY, organization=general)
        )
        .select_related("user")
        .order_by("role", "user__username")
        .distinct()
    )
    deputies = [p for p in positions if p.role == Role.DEPUTY_SECRETARY]
    secretaries = [p for p in positions if p.role == Role.GENERAL_SECRETARY]
    if general is not None:  # in the user's scope: answered from its ranges, as the scoped query would
        ranges = scope_ranges(user, Organization)
        general.visible = ranges is ALL or any(r.contains(node_range(general)) for r in ranges)
    report = (
        MonthlyReport.objects.restrict(user)
        .filter(village=village, status__in=[ReportStatus.SUBMITTED, ReportStatus.CHECKED])
        .order_by("month")
        .first()
    )
    if report is not None and report.status == ReportStatus.SUBMITTED and deputies:
        next_reviewers = deputies
    else:
        next_reviewers = secretaries
    return {
        "general_branch": general,
        "deputies": deputies,
        "secretaries": secretaries,
        "waiting_report": report,
        "next_reviewers": next_reviewers,
    }


def scope_kind_counts(user) -> dict[str, int]:
    """How many organizations of each kind the user's scope holds, read once per request."""
    if "_scope_kind_counts" not in user.__dict__:
        leaves = leaf_scope_kinds(user)
        if leaves is not None:
            counts = dict(Counter(leaves.values()))
        else:
            rows = organization_list(user).order_by().values("kind").annotate(n=Count("id"))
            counts = {row["kind"]: row["n"] for row in rows}
        user.__dict__["_scope_kind_counts"] = counts
    return user.__dict__["_scope_kind_counts"]


def leaf_scope_kinds(user, model=Organization, action: str = "view") -> dict[int, str] | None:
    """The kind of each node of a scope (of `model`, for `action`) made of leaves only (a village secretary's: their
    village), from the positions already read for the request, without a query: such a scope's organizations are
    those nodes. None for any other scope (a subtree with children, the whole tree), which the callers ask in SQL."""
    nodes = leaf_scope_nodes(user, model, action)
    return None if nodes is None else {node.pk: node.kind for node in nodes}


def leaf_scope_nodes(user, model=Organization, action: str = "view") -> list[Organization] | None:
    """The nodes of a scope made of leaves only, as `leaf_scope_kinds` finds them (the positions' organizations)."""
    ranges = scope_ranges(user, model, action)
    if ranges is ALL or any(r.leaf_id is None for r in ranges):
        return None
    held = {p.organization_id: p.organization for p in active_positions(user)}
    if any(r.leaf_id not in held for r in ranges):
        return None
    return [held[r.leaf_id] for r in ranges]


def scope_villages(user, model=Organization) -> list[Organization]:
    """The villages of the user's scope of `model`, in the tree's order; a scope of leaves (a village secretary's)
    from the positions, without a query."""
    leaves = leaf_scope_nodes(user, model)
    if leaves is not None:
        return [node for node in leaves if node.kind == OrgKind.VILLAGE]
    ranges = scope_ranges(user, model)
    villages = Organization.objects.filter(kind=OrgKind.VILLAGE).order_by("tree_id", "lft")
    return list(villages if ranges is ALL else villages.filter(ranges_q(ranges)))
