"""`manage.py load_demo`: recreate the town of the source with its figures (idempotent)."""

from django.core.management.base import BaseCommand

from anding import freshness
from branches import demo


class Command(BaseCommand):
    help = (
        "Load the demo town: 安定镇党委, 6 joint general branches, 33 villages, 1,619 synthetic members and the demo "
        "accounts, then the demo data of the other apps. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        with freshness.suspended():
            demo.load(self.stdout)
