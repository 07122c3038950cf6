"""`manage.py run_jobs`: work the background jobs queued on Redis (`REDIS_URL`, `JOB_QUEUE=rq`); see anding/jobs.py.

Run one or more next to the web processes (a systemd service each, docs/DEPLOYMENT.md). `--burst` works what is
queued and stops."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Work the background jobs queued on Redis."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Stop when the queue is empty.")

    def handle(self, *args, burst=False, **options):
        if not settings.REDIS_URL:
            raise CommandError("Set REDIS_URL: without it, jobs run in the web process and need no worker.")
        from rq import Worker

        from anding.jobs import rq_queue

        Worker([rq_queue()], connection=rq_queue().connection).work(burst=burst)
