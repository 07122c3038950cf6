from django.core.management.base import BaseCommand

from branches import benchmark


class Command(BaseCommand):
    help = "Build a district of synthetic towns (in bulk) and time the main pages and API lists for four personas."

    def add_arguments(self, parser):
        parser.add_argument("--towns", type=int, default=10, help="How many towns the district should have.")
        parser.add_argument("--runs", type=int, default=5, help="Requests per page and persona.")
        parser.add_argument("--measure", action="store_true", help="Only measure: build nothing.")

    def handle(self, *args, towns, runs, measure, **options):
        if not measure:
            self.stdout.write(f"Building the benchmark district with {towns} towns")
            benchmark.build(towns, self.stdout)
        benchmark.measure(self.stdout, runs)
