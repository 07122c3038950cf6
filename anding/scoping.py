"""Scoping: the one mechanism by which every read is limited to what a user may see (DESIGN 4.2).

A user's scope is the union of the subtrees under the nodes of their positions. It becomes one SQL condition on
the MPTT range (tree_id, lft, rght) of the organization a record belongs to: no per-row Python, no second way.
A model in scope by two paths (a meeting by its village and its general branch of the time) takes, per path, the
shape that lets the planner estimate how much is in scope: a village's key, a general branch's or a town's nodes
as a subquery per path joined by a UNION, a district's or the city's range on the joined node, which a bounded
count counts path by path (`ScopedQuerySet.count_at_most`); ORing two joined ranges for every scope read the whole
table. A model with one path keeps the range on the join, which lets the
planner walk the tree in order (docs/PERFORMANCE.md, "Scope and paging").

The core knows no app: the branches app registers the resolver that turns a user into tree ranges.
Every scoped model uses `ScopedQuerySet` and names, in `scope_paths`, the foreign keys (to the organization
tree) by which a record is in scope; "" means the model is the tree itself.
"""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Q
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import AND, WhereNode
from django.http import Http404

from . import registry
from .freshness import FreshQuerySet

__all__ = [
    "ALL",
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
    node_id: int | None = None  # the subtree's root, when known

    @property
    def size(self) -> int:
        """How many nodes the subtree holds."""
        return (self.rght - self.lft + 1) // 2

    @property
    def leaf_id(self) -> int | None:
        """The one node of a subtree without children, when its key is known; else None."""
        return self.node_id if self.rght == self.lft + 1 else None

    def contains(self, other: "TreeRange", *, strict: bool = False) -> bool:
        """Whether `other` lies in this subtree (with `strict`, below its root)."""
        if strict:
            return self.tree_id == other.tree_id and self.lft < other.lft and other.rght < self.rght
        return self.tree_id == other.tree_id and self.lft <= other.lft and other.rght <= self.rght

    def q(self, path: str = "", *, strict: bool = False, lft_only: bool = False) -> Q:
        """The condition selecting rows whose node (at `path`, "" for the tree itself) lies in this subtree: the
        one place where the nested-set arithmetic is written.

        Subtrees nest, so a node lies in the subtree when its `lft` does, and the bound on `rght` is implied. With
        `lft_only` it is not written: PostgreSQL takes it for an independent filter and estimates a district at 19
        of its 332 nodes, a 17th of its rows (docs/PERFORMANCE.md, "Scope and paging")."""
        prefix = f"{path}__" if path else ""
        lookup = ("gt", "lt") if strict else ("gte", "lte")
        bounds = {
            f"{prefix}tree_id": self.tree_id,
            f"{prefix}lft__{lookup[0]}": self.lft,
            f"{prefix}lft__{lookup[1]}": self.rght,  # implied by the next, but it bounds the (tree_id, lft) index
        }
        if not lft_only:
            bounds[f"{prefix}rght__{lookup[1]}"] = self.rght
        return Q(**bounds)


@models.ForeignObject.register_lookup
class InArray(models.Lookup):
    """`foreign_key__in_array=<subquery>`: `key = ANY(ARRAY(<subquery>))`, PostgreSQL only. The subquery is read once,
    before the scan, and the key's index is searched for them. `field IN (<subquery>)` ORed with another path's
    condition is a hashed subplan, checked on every row the other filters leave: a town's held meetings to review were
    found among the city's 13,000 (20–50 ms), where two partial indexes find its 48 (1.6 ms)."""

    lookup_name = "in_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


ALL = None  # the resolver's answer for "no restriction" (superusers)
# A subtree of more nodes than this (a district, the city) is scoped by the range on the joined node even for a model
# with two paths: the planner then knows how much of the table is in scope and walks the list's sort index, where
# for an array of the nodes' keys it assumed ten nodes and read and sorted every row in scope (docs/PERFORMANCE.md).
WIDE_NODES = 100


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
    conditions, _by_union = _path_conditions(user, model, action)
    if conditions is None:
        return None
    condition = Q()
    for path_condition in conditions.values():
        condition |= path_condition
    return condition


def _path_conditions(
    user, model, action: str, *, keyed: bool = False, array: bool = False
) -> tuple[dict[str, Q] | None, bool]:
    """Per scope path, the condition selecting the rows in scope by it (None when nothing is allowed), and whether
    the paths are to be joined by a UNION rather than ORed. With `keyed`, a wide range is written as the path's key
    among the range's nodes (`ScopedQuerySet.walked`); with `array`, a narrow subtree's nodes as an array of their
    keys, read once before the scan (`InArray`)."""
    ranges = scope_ranges(user, model, action)
    if ranges is ALL:
        return {"": Q()}, False
    if not ranges:
        return None, False
    if len(model.scope_paths) == 1:  # one join: the planner can walk the tree in order and join (measured best)
        condition = Q()
        for r in ranges:
            condition |= r.q(model.scope_paths[0])
        return {model.scope_paths[0]: condition}, False
    # Three shapes, by what lets the planner estimate how much is in scope (docs/PERFORMANCE.md, "Scope and
    # paging"): leaves (a village) by their keys; a subtree of more than WIDE_NODES nodes (a district, the city) by
    # the range on the joined node; the others (a general branch, a town) as `<fk> IN (<the nodes>)` per path, which
    # `restrict` joins by a UNION (ORed, they could not become joins and would read the whole table).
    wide = [r for r in ranges if r.size > WIDE_NODES]
    narrow = [r for r in ranges if r.size <= WIDE_NODES]
    leaves = [r.leaf_id for r in narrow if r.leaf_id is not None]
    nodes = Q()
    if len(leaves) < len(narrow):  # a subtree with children: the leaves go in the same subquery
        for r in narrow:
            nodes |= r.q()
    # Without its implied `rght` bound, a wide range is estimated at its true share of the rows: a district's first
    # page of reports or meetings then walks the list's index alone, and its count starts from its nodes (measured;
    # the lists of a model with a to-many path, whose keys go through a UNION, were slower so, and keep the bound).
    lft_only = not any(_crosses_to_many(model, path) for path in model.scope_paths)
    conditions = {}
    for path in model.scope_paths:
        condition = Q()
        if keyed and wide:
            tree, in_wide = _node_model(model, path), Q()
            for r in wide:
                in_wide |= r.q(lft_only=True)
            condition |= Q(**{f"{path}__in": tree._base_manager.filter(in_wide).order_by().values("pk")})
        for r in wide if not keyed else ():
            condition |= r.q(path, lft_only=lft_only)
        if nodes:
            tree = _node_model(model, path)
            lookup = "in_array" if array else "in"
            condition |= Q(**{f"{path}__{lookup}": tree._base_manager.filter(nodes).order_by().values("pk")})
        elif leaves:
            condition |= Q(**{f"{path}__in": sorted(set(leaves))})
        conditions[path] = condition
    return conditions, bool(nodes)


def _or_keys(model, conditions: dict[str, Q]) -> Q:
    """For a wide scope (a district, the city): the model's forward paths as conditions on the row, each to-many
    path as the keys it leads to, ORed (`issued_by in range OR id IN (the tasks of the assignments in range)`).
    PostgreSQL stops at the first true one and hashes the keys only when a row needs them: the city never does (its
    tasks' issuers, its pairings' lead villages are all in scope), where a UNION of both paths' keys read every
    assignment of the city (0.24 s, each time), and a join through the to-many path every helped village."""
    condition = Q()
    for path, path_condition in conditions.items():
        if len(conditions) > 1 and _crosses_to_many(model, path):
            path_condition = Q(pk__in=_keys(model, path, path_condition))
        condition |= path_condition
    return condition


def _union_keys(model, conditions: dict[str, Q]):
    """The keys of `model`'s rows in scope by any path: one subquery per path, their UNION."""
    keys = [model._base_manager.filter(c).order_by().values("pk") for c in conditions.values() if c]
    return keys[0].union(*keys[1:]) if len(keys) > 1 else keys[0]


def _keys(model, path: str, condition: Q):
    """The keys of `model`'s rows that `condition` on the to-many `path` selects, read from the rows the path's first
    step leads to (a task's assignments, a pairing's helped villages), without joining back to `model`."""
    head = path.split("__")[0]
    field = model._meta.get_field(head)
    if field.one_to_many:  # a reverse foreign key: the related rows' own column
        return field.related_model._base_manager.filter(_reroot(condition, head)).values(field.field.attname)
    if field.many_to_many and not field.auto_created:  # a many-to-many of the model: its through table
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        own = through._base_manager.filter(_reroot(condition, head, f"{target}__"))
        return own.values(f"{source}_id")
    return model._base_manager.filter(condition).order_by().values("pk")


def _wide_only(user, model, action: str) -> bool:
    """Whether every subtree of the user's scope is wide (more than WIDE_NODES nodes: a district, the city)."""
    ranges = scope_ranges(user, model, action)
    return bool(ranges) and all(r.size > WIDE_NODES for r in ranges)


def _keyed_scope(user, model, action: str) -> tuple[Q, int] | None:
    """For a scope with wide ranges, of a model in scope by its own foreign keys: the scope's condition with each wide
    range written on those keys (`ScopedQuerySet.walked`), and how many nodes the wide ranges hold. Else None.

    The condition also says that the first path's key is not null: always true, it is the condition of the partial
    index that holds the keys (the meetings', the reports'), which the planner then takes for this walk only."""
    nodes = sum(r.size for r in scope_ranges(user, model, action) if r.size > WIDE_NODES)
    if not nodes or any("__" in path for path in model.scope_paths):
        return None
    condition = Q()
    for path_condition in _path_conditions(user, model, action, keyed=True)[0].values():
        condition |= path_condition
    return condition & Q(**{f"{model.scope_paths[0]}__isnull": False}), nodes


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


def _reroot(condition: Q, head: str, step: str = "") -> Q:
    """`condition`, written on paths that start with `head`, written on the model `head` leads to (through `step`,
    when given: the lookup that leads on from there)."""
    prefix = f"{head}__"
    rerooted = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            child = _reroot(child, head, step)
        else:
            child = (step + child[0].removeprefix(prefix), child[1])
        rerooted.children.append(child)
    return rerooted


class ScopedQuerySet(FreshQuerySet):
    """A queryset that knows how to restrict itself to a user's scope."""

    _scope_parts: tuple[tuple[str, Q], ...] = ()  # a scope of ORed paths: each path and its condition
    _scope_where = None  # the condition `restrict` added to the query's WHERE
    _scope_keyed: tuple[Q, int] | None = None  # for a wide scope: the same condition on the rows' keys (`walked`)

    def _clone(self):
        clone = super()._clone()
        clone._scope_parts, clone._scope_where = self._scope_parts, self._scope_where
        clone._scope_keyed = self._scope_keyed
        return clone

    def restrict(self, user, action: str = "view", *, few: bool = False):
        """The rows in `user`'s scope for `action`. With `few`, another filter selects few rows (the counts of a to-do
        list): the scope is then a condition checked on each of them, its paths ORed, rather than the set of every
        row in scope that a UNION of the paths builds (a town's 15,000 meetings hashed for the 5 counted: 11 ms)."""
        to_many = any(_crosses_to_many(self.model, path) for path in self.model.scope_paths)
        array = few and not to_many and connections[self.db].vendor == "postgresql"
        conditions, by_union = _path_conditions(user, self.model, action, array=array)
        if conditions is None:
            return self.none()
        condition = Q()
        for path_condition in conditions.values():
            condition |= path_condition
        if few and not to_many:
            return self.filter(condition)
        if not condition:  # no restriction (superusers)
            return self.all()
        if not to_many and not by_union:
            rows = _scoped(self.filter(condition))
            if len(conditions) > 1:
                rows._scope_parts = tuple(conditions.items())
                rows._scope_keyed = _keyed_scope(user, self.model, action)
            return rows
        head = _common_head(self.model) if to_many else None
        wide = to_many and not by_union and _wide_only(user, self.model, action)
        if head is None and wide:
            return _scoped(self.filter(_or_keys(self.model, conditions)))
        if head is not None and wide:
            related = self.model._meta.get_field(head).related_model
            rerooted = {path.removeprefix(f"{head}__"): _reroot(c, head) for path, c in conditions.items()}
            keys = related._base_manager.filter(_or_keys(related, rerooted)).values("pk")
            return _scoped(self.filter(**{f"{head}__in": keys}))
        if head is not None:
            # Every path goes through one foreign key (a half-day's centre, a progress entry's pairing): the keys of
            # the few rows it leads to, where the model's own keys read and hashed every half-day of a city (0.3 s).
            # Each path's keys there, and their UNION: ORed across a join to the to-many path, the village's four
            # pairings were found by reading every pairing and helped village of the city (7 ms).
            related = self.model._meta.get_field(head).related_model
            rerooted = {path.removeprefix(f"{head}__"): _reroot(c, head) for path, c in conditions.items()}
            return _scoped(self.filter(**{f"{head}__in": _union_keys(related, rerooted)}))
        # The keys in scope, one subquery per path and their UNION (still one statement), which the planner sizes as
        # the sum of the paths: the list starts from the rows in scope (a general branch's meetings, a task's
        # assignments) instead of walking its sort index over the whole table; a to-many path repeats no row.
        return _scoped(self.filter(pk__in=_union_keys(self.model, conditions)))

    def within(self, keys):
        """These rows among `keys`, a subquery of these same rows (a page's keys, read by a deferred join). The scope
        is then said once, in `keys`, and not again around them: a town's page of meetings built the UNION of its
        15,000 meetings twice (6 ms). The rows stay in scope by construction: `keys` are some of them."""
        rows = self._chain()
        if _anded(rows.query, self._scope_where):
            _drop_condition(rows.query, self._scope_where)
        return rows.filter(pk__in=keys)

    def walked(self, offset: int = 0):
        """The same rows, for reading them from `offset` on in the order of an index that holds the scope's foreign
        keys: a wide scope's ranges on the joined nodes are written on the rows' own keys,
        `organization_id IN (SELECT id … range) OR general_branch_id IN (SELECT id … range)`, two hashed subplans,
        so that the walk of the index reads no table row and joins no node (a district's 200th page of meetings:
        172,000 index entries walked in 65 ms, where the joins took 450 ms). It pays once the offset holds as many
        rows as the ranges hold nodes: before it, hashing the nodes (5,697 for the city, two hashes: about 5 ms)
        costs more than the joins of the few rows walked (docs/PERFORMANCE.md, "Paging"). Only for rows that nothing
        but the scope filters: the planner counts a hashed subplan as half the rows, so it cannot tell how far the
        walk goes to meet a filter's rows, and a filter on a column the index does not hold makes every entry a heap
        fetch (a district's committee meetings, last page: 386 → 1,068 ms). Other rows are as they are."""
        scope = self._scope_where
        if self._scope_keyed is None or not _anded(self.query, scope) or len(self.query.where.children) != 1:
            return self
        condition, nodes = self._scope_keyed
        if offset < nodes:
            return self
        rows = self._chain()
        _drop_condition(rows.query, scope)
        return rows.filter(condition)

    def count_at_most(self, limit: int) -> int:
        """How many rows there are, counting at most `limit` of them (one statement).

        A scope of ORed paths (a district's meetings: by their organization or their general branch of the time) is
        counted path by path, as `(rows by the first path) UNION ALL (rows by the second and not the first)`, each
        driven from the scope's nodes by the path's foreign key index, and the count stops after `limit` rows. As one
        condition, ORed over two joins, PostgreSQL could only read the table until it had met `limit` rows in scope,
        wherever its scan began: up to all 1.9 M meetings for a district's 10,001 (docs/PERFORMANCE.md)."""
        rows = self.order_by()
        scope = self._scope_where
        if len(self._scope_parts) < 2 or not _anded(rows.query, scope):
            return rows[:limit].count()
        keys, seen = [], Q()
        for path, condition in self._scope_parts:
            part = rows._chain()
            _drop_condition(part.query, scope)  # the ORed scope, replaced by this path's condition
            part = part.filter(condition).exclude(seen) if seen else part.filter(condition)
            # the path's own foreign key, which its index holds: the first path is counted from the index alone
            keys.append(part.values_list(path.split("__")[0], flat=True))
            seen |= condition
        return keys[0].union(*keys[1:], all=True)[:limit].count()


def _scoped(rows: ScopedQuerySet) -> ScopedQuerySet:
    """`rows`, knowing which condition of their WHERE is the scope (the one `restrict` just added)."""
    rows._scope_where = rows.query.where.children[-1]
    return rows


def _anded(query, node) -> bool:
    """Whether `node` is one of the conditions ANDed at the top of `query`'s WHERE (not negated, not ORed with
    another queryset's), so that the rows without it are a superset of the rows with it."""
    where = query.where
    return node is not None and where.connector == AND and not where.negated and node in where.children


def _drop_condition(query, node) -> None:
    """Remove the WHERE child `node` from `query`, and the joins only it used: a join left in the statement, even one
    PostgreSQL drops, keeps its column needed, and the first path could not be counted from its index alone."""
    query.where.children.remove(node)
    leaves = [node]
    while leaves:
        leaf = leaves.pop()
        if isinstance(leaf, WhereNode):
            leaves.extend(leaf.children)
            continue
        alias = getattr(getattr(leaf, "lhs", None), "alias", None)
        while isinstance(query.alias_map.get(alias), Join):  # each join on the lookup's path was counted once for it
            query.unref_alias(alias)
            alias = query.alias_map[alias].parent_alias


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
