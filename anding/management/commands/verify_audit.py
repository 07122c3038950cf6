"""`manage.py verify_audit`: walk the audit trail's hash chain in id order and name the first broken link.

Exits with an error naming the event (id and time) where the chain first breaks: an event whose contents no longer
give its hash (edited), or whose `prev_hash` is not the hash of the event before it (one deleted before it, or the
event itself inserted). The chain may start after the first event ever written where `purge_audit` deleted the
oldest events (its `audit_purge` event names the first event kept). Prints OK, the number of events and the last hash otherwise; keep that hash somewhere
else (with the backups) to notice later that events were cut off the end."""

from django.core.management.base import BaseCommand, CommandError

from anding import audit_chain
from anding.models import AuditEvent

CHUNK = 2000


def purged_before(queryset, row) -> bool:
    """Whether `purge_audit` deleted the events before `row`, the first one left (its record is in the chain)."""
    purges = queryset.filter(action=audit_chain.PURGE_ACTION).values_list("detail", flat=True)
    return any(
        detail.get("first_kept_id") == row["id"] and detail.get("first_kept_prev_hash") == row["prev_hash"]
        for detail in purges
    )


def first_broken_link(queryset=None):
    """(count, last_hash, problem): `problem` is None when the chain holds, else (id, time, what is wrong)."""
    queryset = AuditEvent._base_manager.all() if queryset is None else queryset
    rows = queryset.order_by("id").values("id", "prev_hash", "hash", *audit_chain.FIELDS)
    count, prev_hash, prev_id = 0, audit_chain.GENESIS, None
    for row in rows.iterator(chunk_size=CHUNK):
        if prev_id is None and row["prev_hash"] != prev_hash and purged_before(queryset, row):
            prev_hash = row["prev_hash"]
        if row["prev_hash"] != prev_hash:
            after = f"event {prev_id}" if prev_id is not None else "the start of the trail"
            return count, prev_hash, (row["id"], row["at"], f"its link to {after} is broken (deleted or inserted)")
        if audit_chain.event_hash(row, row["prev_hash"]) != row["hash"]:
            return count, prev_hash, (row["id"], row["at"], "its contents do not give its hash (edited)")
        count, prev_hash, prev_id = count + 1, row["hash"], row["id"]
    return count, prev_hash, None


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; name the first broken link."

    def handle(self, *args, **options):
        count, last_hash, problem = first_broken_link()
        if problem is not None:
            event_id, at, what = problem
            raise CommandError(
                f"Audit chain broken at event {event_id} ({at:%Y-%m-%d %H:%M:%S.%f %Z}): {what}. "
                f"{count} events before it verified."
            )
        self.stdout.write(f"OK: {count} audit events, chain intact. Last hash: {last_hash}")
