"""`manage.py verify_audit`: walk the audit trail's hash chain in id order and name the first broken link.

Exits with an error naming the event (id and time) where the chain first breaks: an event whose contents no longer
give its hash (edited), or whose `prev_hash` is not the hash of the event before it (one deleted before it, or the
event itself inserted). The chain may start after the first event ever written where `purge_audit` deleted the
oldest events (its `audit_purge` event names the first event kept). Prints OK, the number of events and the last
hash otherwise.

A chain proves what is in it, not that nothing was cut off its end. `--anchors FILE` keeps that proof elsewhere: the
file (on another host, docs/OPERATIONS.md) holds a line per run, the last event's id and hash; every run first checks
that each event named there still has its hash (or was purged by `purge_audit`), then appends the current last."""

import datetime
from pathlib import Path

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


def read_anchors(path: Path) -> list[tuple[int, str]]:
    anchors = []
    for number, line in enumerate(path.read_text().splitlines() if path.exists() else [], start=1):
        parts = line.split()
        if len(parts) < 2 or not parts[0].isdigit():
            raise CommandError(f"{path}, line {number}: expected '<event id> <hash> [<time>]'.")
        anchors.append((int(parts[0]), parts[1]))
    return anchors


def lost_anchor(anchors) -> str | None:
    """What is wrong with the first anchor whose event is gone or changed; None when all hold."""
    if not anchors:
        return None
    hashes = dict(AuditEvent._base_manager.filter(id__in=[i for i, _h in anchors]).values_list("id", "hash"))
    purged_below = max(
        (d.get("first_kept_id") or 0 for d in AuditEvent._base_manager.filter(action=audit_chain.PURGE_ACTION)
         .values_list("detail", flat=True)),
        default=0,
    )  # fmt: skip
    for event_id, anchored in anchors:
        if event_id in hashes and hashes[event_id] != anchored:
            return f"event {event_id} no longer has the hash anchored for it (the trail was rewritten)"
        if event_id not in hashes and event_id >= purged_below:
            return f"event {event_id}, anchored earlier, is gone (events were cut off the end of the trail)"
    return None


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; name the first broken link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors",
            type=Path,
            help="A file kept on another host: check the events it names, then append the last event's id and hash.",
        )

    def handle(self, *args, anchors=None, **options):
        count, last_hash, problem = first_broken_link()
        if problem is not None:
            event_id, at, what = problem
            raise CommandError(
                f"Audit chain broken at event {event_id} ({at:%Y-%m-%d %H:%M:%S.%f %Z}): {what}. "
                f"{count} events before it verified."
            )
        if anchors is not None:
            lost = lost_anchor(read_anchors(anchors))
            if lost:
                raise CommandError(f"Audit trail checked against {anchors}: {lost}.")
            last = AuditEvent._base_manager.order_by("-id").values_list("id", "hash").first()
            if last is not None:
                with anchors.open("a") as file:
                    file.write(f"{last[0]} {last[1]} {datetime.datetime.now(datetime.UTC):%Y-%m-%dT%H:%M:%SZ}\n")
        self.stdout.write(f"OK: {count} audit events, chain intact. Last hash: {last_hash}")
