"""Scoping: the one mechanism by which every read is limited to what a user may see (DESIGN 4.2).

A user's scope is the union of the subtrees under the nodes of their positions. It becomes one SQL condition on
the MPTT range (tree_id, lft, rght) of the organization a record belongs to: no per-row Python, no second way.
A model in scope by two paths (a meeting by its village and its general branch of the time) ORs, per path, "its
foreign key is one of the nodes in those ranges" (`InNodes`), which each use the foreign key's index, where ORing
two joined ranges read the whole table; a model with one path keeps the range on the join, which lets the planner
walk the tree in order (docs/PERFORMANCE.md, "Scope and paging").

The core knows no app: the branches app registers the resolver that turns a user into tree ranges.
Every scoped model uses `ScopedQuerySet` and names, in `scope_paths`, the foreign keys (to the organization
tree) by which a record is in scope; "" means the model is the tree itself.
"""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Lookup, Q
from django.http import Http404

from . import registry

__all__ = [
    "ALL",
    "InNodes",
    "ScopedQuerySet",
    "TreeRange",
    "audit_out_of_scope",
    "get_or_404",
    "in_scope",
    "scope_q",
    "scope_ranges",
]


class TreeRange(NamedTuple):
    tree_id: int
    lft: int
    rght: int

    def contains(self, other: "TreeRange", *, strict: bool = False) -> bool:
        """Whether `other` lies in this subtree (with `strict`, below its root)."""
        if strict:
            return self.tree_id == other.tree_id and self.lft < other.lft and other.rght < self.rght
        return self.tree_id == other.tree_id and self.lft <= other.lft and other.rght <= self.rght

    def q(self, path: str = "", *, strict: bool = False) -> Q:
        """The condition selecting rows whose node (at `path`, "" for the tree itself) lies in this subtree: the
        one place where the nested-set arithmetic is written."""
        prefix = f"{path}__" if path else ""
        lookup = ("gt", "lt") if strict else ("gte", "lte")
        return Q(
            **{
                f"{prefix}tree_id": self.tree_id,
                f"{prefix}lft__{lookup[0]}": self.lft,
                f"{prefix}lft__{lookup[1]}": self.rght,  # implied by the next, but it bounds the (tree_id, lft) index
                f"{prefix}rght__{lookup[1]}": self.rght,
            }
        )


ALL = None  # the resolver's answer for "no restriction" (superusers)


def scope_ranges(user, model, action: str = "view") -> list[TreeRange] | None:
    """The tree ranges `user` may `action` records of `model` in; ALL (None) for no restriction.

    Cached on the user object, which lives for one request.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    key = (model._meta.label_lower, action)
    cache = user.__dict__.setdefault("_scope_cache", {})
    if key not in cache:
        resolvers = registry.providers("scope")
        ranges = resolvers[0](user, model, action) if resolvers else []
        cache[key] = ranges if ranges is ALL else _outermost(ranges)
    return cache[key]


def _outermost(ranges):
    ranges = sorted(set(ranges), key=lambda r: (r.tree_id, r.lft))
    kept = []
    for r in ranges:
        if not kept or not kept[-1].contains(r):
            kept.append(r)
    return kept


def scope_q(user, model, action: str = "view") -> Q | None:
    """The condition selecting what `user` may `action` of `model`; None when nothing is allowed."""
    ranges = scope_ranges(user, model, action)
    if ranges is ALL:
        return Q()
    if not ranges:
        return None
    condition = Q()
    if len(model.scope_paths) == 1:  # one join: the planner can walk the tree in order and join (measured best)
        for r in ranges:
            condition |= r.q(model.scope_paths[0])
        return condition
    nodes = Q()
    for r in ranges:
        nodes |= r.q()
    for path in model.scope_paths:
        tree = _node_model(model, path)
        condition |= Q(InNodes(F(path), tree._base_manager.filter(nodes).order_by().values("pk")))
    return condition


class InNodes(Lookup):
    """`<foreign key> IN (<the nodes' keys>)`; on PostgreSQL `= ANY(ARRAY(<the nodes' keys>))`, which the planner
    evaluates once and answers from the foreign key's index, also when ORed with another path (a bitmap OR), where
    an OR of `IN` subqueries cannot be turned into joins and reads the whole table (measured in docs/PERFORMANCE.md,
    "Scope and paging")."""

    lookup_name = "in_nodes"  # built by scope_q, not registered on any field
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = compiler.compile(self.rhs)
        rhs_sql = rhs_sql if rhs_sql.startswith("(") else f"({rhs_sql})"
        template = "%s = ANY(ARRAY%s)" if connection.vendor == "postgresql" else "%s IN %s"
        return template % (lhs_sql, rhs_sql), (*lhs_params, *rhs_params)


def _node_model(model, path: str):
    """The tree model a scope path ends at."""
    opts = model._meta
    for part in path.split("__"):
        field = opts.get_field(part)
        opts = field.related_model._meta
    return opts.model


def _crosses_to_many(model, path: str) -> bool:
    opts = model._meta
    for part in path.split("__") if path else []:
        field = opts.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        opts = field.related_model._meta
    return False


def _common_head(model) -> str | None:
    """The forward foreign key that every scope path of `model` starts with, if there is one."""
    heads = {path.split("__")[0] for path in model.scope_paths}
    if len(heads) != 1 or not all("__" in path for path in model.scope_paths):
        return None
    head = heads.pop()
    return head if model._meta.get_field(head).many_to_one else None


def _reroot(condition: Q, head: str) -> Q:
    """`condition`, written on paths that start with `head`, written on the model `head` leads to."""
    prefix = f"{head}__"
    rerooted = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            child = _reroot(child, head)
        elif isinstance(child, InNodes):
            child = InNodes(F(child.lhs.name.removeprefix(prefix)), child.rhs)
        else:
            child = (child[0].removeprefix(prefix), child[1])
        rerooted.children.append(child)
    return rerooted


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to a user's scope."""

    def restrict(self, user, action: str = "view"):
        condition = scope_q(user, self.model, action)
        if condition is None:
            return self.none()
        if condition and any(_crosses_to_many(self.model, path) for path in self.model.scope_paths):
            # A to-many path would repeat rows: select keys in a subquery instead (still one statement): those of
            # the few rows the paths' common foreign key leads to when there is one (a half-day's centre), else
            # the model's own (which read and hashed every half-day of a city, 0.3 s).
            head = _common_head(self.model)
            if head is not None:
                related = self.model._meta.get_field(head).related_model
                return self.filter(
                    **{f"{head}__in": related._base_manager.filter(_reroot(condition, head)).values("pk")}
                )
            return self.filter(pk__in=self.model._base_manager.filter(condition).values("pk"))
        return self.filter(condition)


def in_scope(user, obj, action: str = "view") -> bool:
    """Whether `user` may `action` the record `obj` (one query): "may this person edit this member?"."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()


def get_or_404(rows, **lookup):
    """The one row of the scoped `rows` matching `lookup`, else 404. A row that exists outside the scope answers 404
    as well, and is an audited access denial (`audit_out_of_scope`); only that 404 path asks more of the database."""
    try:
        return rows.get(**lookup)
    except rows.model.DoesNotExist:
        audit_out_of_scope(rows.model, lookup)
        raise Http404 from None


def audit_out_of_scope(model, lookup: dict, scoped=None) -> None:
    """After a 404: if a row of `model` matches `lookup` in the whole table (and is not among the `scoped` rows,
    when given: a 404 that came from a filter), append an `access_denied` event naming it. A row that does not
    exist is no event."""
    from . import audit  # imported when needed: the audit trail builds on the models, which build on this module
    from .middleware import current_request

    try:
        found = model._base_manager.filter(**lookup).first()
    except (ValueError, TypeError, ValidationError):
        return  # not a key of this model (DRF answers 404 for it): nothing was there
    if found is None or (scoped is not None and scoped.filter(pk=found.pk).exists()):
        return
    request = current_request()
    detail = {"path": request.path, "method": request.method} if request is not None else {}
    audit.record_later("access_denied", obj=found, result=audit.FAILURE, detail=detail)
