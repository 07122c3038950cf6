"""`manage.py purge_audit [--days N]`: delete the audit events older than N days (180 at least, the default).

Run it as the tables' owner: the app's role may not delete events, and PostgreSQL's trigger refuses to delete one
younger than 180 days. Only the oldest events go (a prefix of the chain), and an `audit_purge` event records the
first event kept and the link it starts from, so that `verify_audit` accepts a chain that no longer starts at the
first event ever written but still fails on any other gap."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from anding import audit_chain
from anding.models import AuditEvent


class Command(BaseCommand):
    help = f"Delete audit events older than --days ({audit_chain.RETENTION_DAYS} at least), recording the purge."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=audit_chain.RETENTION_DAYS)

    def handle(self, *args, days, **options):
        if days < audit_chain.RETENTION_DAYS:
            raise CommandError(f"Audit events are kept {audit_chain.RETENTION_DAYS} days at least.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        events = AuditEvent._base_manager
        with transaction.atomic():
            first_kept = events.filter(at__gte=cutoff).order_by("id").values("id", "prev_hash").first()
            if first_kept is None:  # keep the last event, whatever its age: the chain goes on from it
                first_kept = events.order_by("-id").values("id", "prev_hash").first()
            if first_kept is None:
                deleted = 0
            else:
                deleted, _by_model = events.filter(id__lt=first_kept["id"]).delete()
            if deleted:
                # Not through audit.record: its redaction could take digits of the hash for a phone number.
                AuditEvent.objects.create(
                    action=audit_chain.PURGE_ACTION,
                    detail={
                        "deleted": deleted,
                        "days": days,
                        "first_kept_id": first_kept["id"],
                        "first_kept_prev_hash": first_kept["prev_hash"],
                    },
                )
        self.stdout.write(f"Deleted {deleted} audit events older than {days} days.")
