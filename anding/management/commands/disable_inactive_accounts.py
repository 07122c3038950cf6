"""`manage.py disable_inactive_accounts [--days 90]`: deactivate the accounts nobody used for that long (等保: no
expired accounts), each an audit event `user_deactivated_inactive`; their sessions and API tokens end with them
(anding.sessions). Run daily (docs/OPERATIONS.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anding.accounts import disable_inactive_accounts


class Command(BaseCommand):
    help = "Deactivate accounts whose last login (or creation, if never used) is older than --days (90)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.ACCOUNT_INACTIVE_DAYS)

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        names = disable_inactive_accounts(days)
        for name in names:
            self.stdout.write(f"deactivated: {name}")
        self.stdout.write(f"{len(names)} account(s) inactive for more than {days} days deactivated.")
