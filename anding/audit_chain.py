"""The audit trail's hash chain. Each event stores the hash of the event before it (`prev_hash`) and its own
`hash`: SHA-256 over a canonical serialization of its fields and `prev_hash`. Editing an event changes its hash;
deleting or inserting one breaks the link of the next. `manage.py verify_audit` walks the chain.

The serialization is fixed: changing it would break every stored chain. It uses the values as the database gives
them back (a time in UTC with microseconds, the detail's keys sorted), so that a hash computed before the insert
equals the one computed from the stored row."""

import datetime
import hashlib
import json

__all__ = ["FIELDS", "GENESIS", "LOCK_KEY", "PURGE_ACTION", "RETENTION_DAYS", "canonical", "event_hash"]

# The `prev_hash` of the first event ever written.
GENESIS = "0" * 64
# The fields a hash covers, in order (the id is not among them: it is given by the insert; the order of ids is the
# order of the chain, which the links hold).
FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "result",
    "detail",
)
# Events younger than this are never deleted (PostgreSQL's trigger refuses; see migration 0007).
RETENTION_DAYS = 180
# The event `purge_audit` appends after deleting the oldest events: it names where the chain now starts.
PURGE_ACTION = "audit_purge"
# The PostgreSQL advisory lock that serializes appends (any constant unique to this purpose).
LOCK_KEY = 7_312_026_012


def _time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value):
    """A JSON value as PostgreSQL's jsonb gives it back: a float with no fraction comes back as an integer."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def canonical(values: dict, prev_hash: str) -> bytes:
    """The bytes an event's hash covers: its FIELDS (from `values`) and the previous event's hash."""
    row = [
        _time(values["at"]),
        values["actor_id"],
        values["actor_name"] or "",
        str(values["ip_address"] or ""),
        values["action"],
        values["object_type"] or "",
        values["object_id"] or "",
        values["object_repr"] or "",
        values["result"],
        _plain(values["detail"] if values["detail"] is not None else {}),
        prev_hash,
    ]
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def event_hash(values: dict, prev_hash: str) -> str:
    return hashlib.sha256(canonical(values, prev_hash)).hexdigest()
