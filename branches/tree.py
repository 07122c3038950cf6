"""The project's own tree API: the one choke point for writes to the organization tree, and the helpers that
turn a node into a subtree condition, so that nothing else writes nested-set arithmetic (and the tree library
can be swapped behind it).

django-mptt is unmaintained and concurrent writes can corrupt its nested sets. Every tree write therefore runs in
a transaction that first takes a PostgreSQL advisory lock held to the end of the transaction (a no-op on SQLite,
whose writes are serialised anyway), then re-reads the tree fields of the node and of its parent before saving.
`Organization.save()` and `.delete()` use it, so the admin, the API, services and the shell all pass through here.
"""

from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Q
from mptt.managers import TreeManager as MPTTTreeManager
from mptt.querysets import TreeQuerySet

from anding.scoping import ScopedQuerySet, TreeRange

__all__ = ["TREE_LOCK_KEY", "TreeManager", "is_within", "node_range", "ranges_q", "subtree_q", "tree_lock"]

# Advisory lock keys are never reused for another purpose.
TREE_LOCK_KEY = 0x414E_0001

TREE_FIELDS = ("tree_id", "lft", "rght", "level")


@contextmanager
def tree_lock():
    """A transaction holding the tree lock until it commits or rolls back."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK_KEY])
        yield


def refresh_tree_fields(node) -> None:
    """Re-read the nested-set fields of `node` and replace its parent by a fresh copy (inside the lock)."""
    model = type(node)
    if node.pk is not None:
        fresh = model._tree_manager.filter(pk=node.pk).values(*TREE_FIELDS).first()
        if fresh:
            for name, value in fresh.items():
                setattr(node, name, value)
    if node.parent_id is not None:
        node.parent = model._tree_manager.get(pk=node.parent_id)


class TreeScopedQuerySet(TreeQuerySet, ScopedQuerySet):
    pass


class TreeManager(MPTTTreeManager.from_queryset(TreeScopedQuerySet)):
    pass


def node_range(node) -> TreeRange:
    return TreeRange(node.tree_id, node.lft, node.rght, node.pk)


def subtree_q(node, path: str = "", *, strict: bool = False) -> Q:
    """Rows whose node at `path` ("" for organizations themselves) is `node` or below it (with `strict`, below)."""
    return node_range(node).q(path, strict=strict)


def ranges_q(ranges, path: str = "") -> Q:
    """Rows whose node at `path` lies in any of the subtrees `ranges` (none: no row). A subtree of one node (a
    village) is that node's key: the same rows, without the join to the tree, and a condition the ORM builds in a
    fraction of the time (a village's task list builds eight of them)."""
    condition = Q(pk__in=[])
    for r in ranges:
        condition |= Q(**{path or "pk": r.leaf_id}) if r.leaf_id is not None else r.q(path)
    return condition


def is_within(node, ancestor, *, strict: bool = False) -> bool:
    """Whether `node` is `ancestor` or below it (with `strict`, below), from the nodes in memory."""
    return node_range(ancestor).contains(node_range(node), strict=strict)
