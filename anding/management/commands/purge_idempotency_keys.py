"""`manage.py purge_idempotency_keys [--days N]`: delete the API's Idempotency-Keys older than IDEMPOTENCY_KEY_DAYS
(or N days). An expired key already counts as unused; this keeps the table small. Run it daily, as `clearsessions`."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from anding.models import IdempotencyKey


class Command(BaseCommand):
    help = "Delete the API's Idempotency-Keys older than IDEMPOTENCY_KEY_DAYS (or --days)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep keys of the last N days instead.")

    def handle(self, *args, days=None, **options):
        days = settings.IDEMPOTENCY_KEY_DAYS if days is None else max(days, 0)
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} idempotency keys older than {days} days.")
