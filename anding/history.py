"""The history of records: what each field was before and after a change, kept in the audit trail.

A model that mixes in `Tracked` remembers the values it was loaded with (in `from_db`, so it costs no query: a copy
of the loaded attributes, turned into the history's text only when a save compares them; a JSON value, which may be
changed in place, is turned into text at once), and
every save that changes a tracked field appends one audit event in the saving transaction: `history_create`,
`history_change` or `history_delete`, the record as its object, and as detail `{"before": {...}, "after": {...}}`
with only the fields that changed (every tracked field on a create or delete). Being audit events, they are in the
hash chain, behind the database's triggers, kept 180 days at least, backed up, and read only by the audit
administrator (docs/SECURITY.md, "Audit trail").

Values are written as strings (a foreign key as its pk, a date in ISO format, a JSON field as its JSON), never in
clear for the encrypted fields and those a model names in `history_sensitive`: for those the event only says that
the value changed. Bookkeeping fields (the version, who changed it when, the tree's own numbers) are not history.

A field deferred at loading (`.only()`) joins the remembered values when it is read; one set without being read
gets its value before from the database at the save (one query, only then).

A many-to-many field (a deputy's liaison villages) is history too, its value the sorted list of the related pks:
an `add()` or `remove()` is one `history_change` (a `set()` that does both, two), at the cost of one query for
the list before.

Moves in the tree are saves too: django-mptt's `move_to()` ends in `save()`, so a new parent is recorded like any
other field. Bulk `.update()` bypasses `save()`; a service that changes a tracked field that way calls
`record_change(obj)` after setting the new values on the instance it holds.
"""

import contextlib
import contextvars
import datetime
import decimal
import json

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from . import audit
from .crypto import EncryptedCharField
from .middleware import current_request

__all__ = ["CHANGED", "HIDDEN", "Tracked", "acting_as", "record_change"]

# Not history: the pk (the event's object), optimistic locking, the stamps (the event has its own user and time)
# and django-mptt's numbering of the tree (a move is recorded as the new parent).
BOOKKEEPING = frozenset(
    {"id", "version", "created_at", "created_by", "updated_at", "updated_by", "lft", "rght", "tree_id", "level"}
)
# What the history says of a sensitive value: that there was one, and that it changed.
HIDDEN = "(hidden)"
CHANGED = "(changed)"

_fields: dict[type, tuple] = {}
_mutable: dict[type, tuple] = {}
_acting = contextvars.ContextVar("history_actor", default=None)


@contextlib.contextmanager
def acting_as(actor):
    """Name `actor` as the user of the history written inside, when there is no request (a command, a test) and
    the record has no `updated_by` stamp (the tree's nodes, positions)."""
    token = _acting.set(actor)
    try:
        yield
    finally:
        _acting.reset(token)


class Tracked:
    """Mix into a model whose changes keep their history. `history_exclude` names more fields that are not
    history (derived ones), `history_sensitive` more fields that are never written in clear."""

    history_exclude: tuple[str, ...] = ()
    history_sensitive: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        # A list page loads 50–150 tracked rows and saves none: keep what was loaded, write it as text only if a
        # save asks (`_loaded`). A value that can change in place (a JSON dict or list) is written as text now.
        instance = super().from_db(db, field_names, values)
        raw = instance.__dict__.copy()
        frozen = {f.attname: _text(f, raw[f.attname]) for f in mutable_fields(cls) if f.attname in raw}
        instance._history_raw = (raw, frozen)
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        loaded = _snapshot(self)
        if fields is not None:  # only these were read again (a deferred field, say): the others keep their values
            wanted = {getattr(f, "attname", None) for f in self._meta.get_fields() if f.name in fields} | set(fields)
            loaded = {**(_loaded(self) or {}), **{k: v for k, v in loaded.items() if k in wanted}}
        self._history_loaded = loaded
        self.__dict__.pop("_history_raw", None)


def tracked_fields(model) -> tuple:
    """The concrete fields of `model` whose changes are history."""
    if model not in _fields:
        skip = BOOKKEEPING | set(model.history_exclude)
        _fields[model] = tuple(
            f for f in model._meta.concrete_fields if f.name not in skip and not f.primary_key and f.name[-4:] != "_ptr"
        )
    return _fields[model]


def mutable_fields(model) -> tuple:
    """The tracked fields of `model` whose values may be changed in place (JSON)."""
    if model not in _mutable:
        _mutable[model] = tuple(f for f in tracked_fields(model) if f.get_internal_type() == "JSONField")
    return _mutable[model]


def _loaded(instance) -> dict | None:
    """The tracked values `instance` was loaded with (or last recorded), as they will be written; None for a record
    made in memory."""
    values = instance.__dict__
    if "_history_loaded" not in values:
        raw = values.pop("_history_raw", None)
        if raw is None:
            return None
        raw, frozen = raw
        values["_history_loaded"] = {
            f.attname: frozen[f.attname] if f.attname in frozen else _text(f, raw[f.attname])
            for f in tracked_fields(type(instance))
            if f.attname in raw
        }
    return values["_history_loaded"]


def _is_sensitive(field) -> bool:
    return isinstance(field, EncryptedCharField) or field.name in field.model.history_sensitive


def _snapshot(instance) -> dict:
    """The tracked values `instance` holds now, by attname (deferred fields left out), as they will be written."""
    values = instance.__dict__
    return {f.attname: _text(f, values[f.attname]) for f in tracked_fields(type(instance)) if f.attname in values}


def _text(field, value):
    """`value` of `field` as the history writes it: a string, or None."""
    if value is None:
        return None
    if _is_sensitive(field):
        return value  # only compared in memory: `_shown` never writes it
    if isinstance(value, decimal.Decimal) and getattr(field, "decimal_places", None) is not None:
        return f"{value:.{field.decimal_places}f}"
    if isinstance(value, datetime.datetime):
        return (value.astimezone(datetime.UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _shown(field, value, *, changed=False):
    if not _is_sensitive(field) or value in (None, ""):
        return value
    return CHANGED if changed else HIDDEN


def _actor(instance):
    """The user to name when there is no request (a command, a test): the one of `acting_as`, else the one the
    service stamped, if loaded."""
    if current_request() is not None:
        return None  # record() takes the request's user
    if _acting.get() is not None:
        return _acting.get()
    field = next((f for f in instance._meta.concrete_fields if f.name == "updated_by"), None)
    if field is not None and field.is_cached(instance):
        return field.get_cached_value(instance)
    return None


def _record(action, instance, before, after):
    audit.record(action, actor=_actor(instance), obj=instance, detail={"before": before, "after": after})


def record_change(instance) -> bool:
    """Append the history of what changed on `instance` since it was loaded or last recorded, if anything did;
    True if it did. Called on every save; call it yourself after a bulk `.update()` of a tracked field."""
    loaded = _loaded(instance)
    current = _snapshot(instance)
    if loaded is None:  # made in memory with a pk, never loaded: nothing to compare with
        instance._history_loaded = current
        return False
    before, after = {}, {}
    for field in tracked_fields(type(instance)):
        name = field.attname
        if name not in loaded or name not in current or loaded[name] == current[name]:
            continue
        before[field.name] = _shown(field, loaded[name])
        after[field.name] = _shown(field, current[name], changed=True)
    instance._history_loaded = {**loaded, **current}
    if not after:
        return False
    _record("history_change", instance, before, after)
    return True


@receiver(pre_save, dispatch_uid="anding.history.saving")
def _saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """A field that was deferred when the record was loaded and is set now without having been read: read what the
    database holds (one query, only then), so that the change has its before."""
    loaded = _loaded(instance)
    if raw or loaded is None or not isinstance(instance, Tracked) or instance._state.adding:
        return
    missing = [f for f in tracked_fields(sender) if f.attname in instance.__dict__ and f.attname not in loaded]
    if missing:
        row = sender._base_manager.filter(pk=instance.pk).values(*(f.attname for f in missing)).first() or {}
        loaded.update({f.attname: _text(f, row[f.attname]) for f in missing if f.attname in row})


@receiver(post_save, dispatch_uid="anding.history.saved")
def _saved(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, Tracked):
        return
    if created:
        current = _snapshot(instance)
        instance._history_loaded = current
        after = {f.name: _shown(f, current.get(f.attname)) for f in tracked_fields(sender)}
        _record("history_create", instance, {}, after)
    else:
        record_change(instance)


@receiver(post_delete, dispatch_uid="anding.history.deleted")
def _deleted(sender, instance, **kwargs):
    if not isinstance(instance, Tracked):
        return
    current = _snapshot(instance)
    before = {f.name: _shown(f, current[f.attname]) for f in tracked_fields(sender) if f.attname in current}
    _record("history_delete", instance, before, {})


@receiver(m2m_changed, dispatch_uid="anding.history.m2m")
def _m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """The history of a many-to-many field, changed from the side of the tracked record that has it."""
    if reverse or not isinstance(instance, Tracked):
        return
    field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None or field.name in set(instance.history_exclude):
        return
    stash = f"_history_m2m_{field.name}"
    if action in ("pre_add", "pre_remove", "pre_clear"):
        through = field.remote_field.through._default_manager
        linked = through.filter(**{field.m2m_field_name(): instance.pk})
        setattr(instance, stash, set(linked.values_list(field.m2m_reverse_field_name(), flat=True)))
        return
    before = instance.__dict__.pop(stash, None)
    if before is None:
        return
    after = set() if action == "post_clear" else before | pk_set if action == "post_add" else before - pk_set
    if after != before:
        _record("history_change", instance, {field.name: _pk_list(before)}, {field.name: _pk_list(after)})


def _pk_list(pks) -> str:
    return json.dumps(sorted(pks), default=str)
