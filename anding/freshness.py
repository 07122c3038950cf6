"""Versions of the tree's subtrees, for what the cache keeps until its data changes (the dashboards, lists and
summaries of a town, a general branch or a village: `anding.kept`).

A write to a record in scope of the tree (a model with `scope_paths`) bumps the version of each organization its
paths lead to, of their ancestors and of their subtrees (whose pages show it joined to their own records: a general
branch's service centre on a village's service record), as the record was before the write and as it is after (a
record that moves bumps both places); a record of a subtree over WIDE nodes (a district's, the city's) bumps
everything. Any other write that a page may show (the tree itself, positions, accounts, reference tables) bumps the
version of everything. What is kept under the versions of a user's organizations (`versions`) is then read afresh
after any change in their subtrees, and never otherwise. Writes no page shows are `QUIET`.

Writes are heard from Django's signals (save, delete, many-to-many) and from `ScopedQuerySet`'s bulk writes (`update`,
`bulk_create`, `bulk_update`). Each bump is made at once and again when the transaction commits: a page read in
between, from the data before the commit, was kept under a version that is then gone. Not heard: raw SQL, and bulk
writes through a model's plain `_base_manager` (bookkeeping only: the optimistic lock, a job's progress). Generated
data (`manage.py load_demo`, the scale presets) is written `suspended`, which bumps everything at its end.

The versions live in the cache, so they hold across processes only in a shared cache: keeping pages by them is on
(`enabled`) with REDIS_URL set (the web servers, the job workers and the commands share it) and with
DASHBOARD_CACHE_SECONDS above 0 (the tests set 0, but for those that keep pages). What is kept is read on the
primary, whose commits the versions follow: a replica may lag behind a bump.
"""

import contextlib
import contextvars
import functools
import operator

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .db_router import PRIMARY_ONLY

__all__ = ["QUIET", "FreshQuerySet", "bump_all", "enabled", "suspended", "touch", "versions"]

EVERYTHING = "fresh:*"
CHUNK = 500  # keys read at a time (SQLite takes so many parameters at most)
WIDE = 500  # a record of subtrees of more nodes than this (a district's, the city's) bumps everything
# Writes no page shows: the bookkeeping read on the primary only (the session's, on every request, among them).
QUIET = PRIMARY_ONLY | {"admin.logentry"}


_suspended = contextvars.ContextVar("freshness_suspended", default=False)


def enabled() -> bool:
    return settings.DASHBOARD_CACHE_SECONDS > 0 and bool(settings.REDIS_URL) and not _suspended.get()


@contextlib.contextmanager
def suspended():
    """Hear no write inside (data generated in bulk: the demo, the scale presets), then bump everything."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)
        if enabled():
            bump_all()


def versions(node_ids) -> tuple:
    """The versions of everything and of each of `node_ids` (organizations), as a key's part: one cache read."""
    keys = [EVERYTHING, *(f"fresh:{pk}" for pk in sorted(set(node_ids)))]
    found = cache.get_many(keys)
    return tuple(found.get(key, 0) for key in keys)


def _bump(keys) -> None:
    for key in keys:
        cache.add(key, 0, None)
        try:
            cache.incr(key)
        except ValueError:  # evicted between the two
            cache.set(key, 1, None)


def _bump_now_and_at_commit(keys) -> None:
    keys = list(keys)
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def bump_all() -> None:
    """Everything is read afresh (the tree, positions or reference data changed, or data was generated)."""
    _bump_now_and_at_commit([EVERYTHING])


def _scoped(model) -> bool:
    """Whether a write to `model` changes only its organizations' subtrees: not the tree's own nodes (path ""), nor
    a model that says otherwise (`fresh_everywhere`: the positions)."""
    paths = getattr(model, "scope_paths", ())
    return bool(paths) and "" not in paths and not getattr(model, "fresh_everywhere", False)


def touch(model, pks) -> None:
    """The rows `pks` of `model` are written (or about to be): bump their organizations, their ancestors and their
    subtrees; for a model outside the tree's scope, or a record of a wide subtree, everything. Call it before and
    after a bulk write that signals nothing."""
    if not enabled() or model._meta.label_lower in QUIET:
        return
    if not _scoped(model):
        bump_all()
        return
    pks = [pk for pk in pks if pk is not None]
    paths = model.scope_paths
    nodes = set()
    for start in range(0, len(pks), CHUNK):
        rows = model._base_manager.filter(pk__in=pks[start : start + CHUNK]).values_list(*paths)
        nodes |= {pk for row in rows for pk in row if pk is not None}
    from .scoping import _node_model  # here: the scoping's querysets are built on this module's

    tree = _node_model(model, paths[0])
    places = list(tree._base_manager.filter(pk__in=nodes).values_list("tree_id", "lft", "rght").distinct())
    if sum((rght - lft + 1) // 2 for _tree, lft, rght in places) > WIDE:
        bump_all()
        return
    around = [  # the ancestors, and the subtree, whose pages show the record joined to theirs
        Q(tree_id=tree_id, lft__lte=lft, rght__gte=rght) | Q(tree_id=tree_id, lft__gte=lft, lft__lte=rght)
        for tree_id, lft, rght in places
    ]
    if around:
        found = tree._base_manager.filter(functools.reduce(operator.or_, around)).values_list("pk", flat=True)
        _bump_now_and_at_commit(f"fresh:{pk}" for pk in found)


@receiver(pre_save)
def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and not instance._state.adding and _scoped(sender):
        touch(sender, [instance.pk])  # where the record was


@receiver(post_save)
def _after_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and not (update_fields is not None and set(update_fields) <= {"last_login"}):  # a sign-in: not shown
        touch(sender, [instance.pk])


@receiver(pre_delete)
def _before_delete(sender, instance, **kwargs):
    touch(sender, [instance.pk])  # while its paths can still be read


@receiver(m2m_changed)
def _links_changed(sender, instance, action, model, pk_set, **kwargs):
    touch(type(instance), [instance.pk])  # before (a link about to go: `clear` names none) and after
    if pk_set:
        touch(model, pk_set)


class FreshQuerySet(models.QuerySet):
    """Bulk writes that signal nothing, heard: the rows' places are bumped before and after."""

    def update(self, **kwargs):
        if not enabled():
            return super().update(**kwargs)
        pks = list(self.values_list("pk", flat=True))
        touch(self.model, pks)
        updated = super().update(**kwargs)
        touch(self.model, pks)
        return updated

    def bulk_create(self, objs, *args, **kwargs):
        made = super().bulk_create(objs, *args, **kwargs)
        touch(self.model, [obj.pk for obj in made])
        return made

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        touch(self.model, [obj.pk for obj in objs])
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        touch(self.model, [obj.pk for obj in objs])
        return updated
