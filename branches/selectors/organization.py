"""Reads of the branches app. Every function takes the user and returns what is in their scope.

This is also the project's own small tree API: the rest of the code asks these functions, not django-mptt, so
the tree library can be swapped later.
"""

from django.db.models import Count, Prefetch, Q

from anding.scoping import get_or_404

from ..choices import MemberStatus, OrgKind, ReportStatus, Role
from ..models import MonthlyReport, Organization, OrgChange, PartyMember, Position
from ..tree import is_within, subtree_q

__all__ = [
    "ancestors",
    "can_add_members",
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
    "organization_tree_rows",
    "scope_kind_counts",
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
    """Nodes in tree order in one query, each with its cumulative count of current members."""
    return Organization.objects.add_related_count(
        queryset,
        PartyMember,
        "branch",
        "member_count",
        cumulative=True,
        extra_filters={"status__in": CURRENT_STATUSES},
    ).order_by("tree_id", "lft")


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
    if general is not None:
        general.visible = organization_list(user).filter(pk=general.pk).exists()
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
        rows = organization_list(user).order_by().values("kind").annotate(n=Count("id"))
        user.__dict__["_scope_kind_counts"] = {row["kind"]: row["n"] for row in rows}
    return user.__dict__["_scope_kind_counts"]
