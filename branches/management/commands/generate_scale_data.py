"""`manage.py generate_scale_data --preset town|district|city [--seed N] [--years N] [--reset]`: synthetic data
at scale, in bulk, for benchmarks (docs/PERFORMANCE.md, "Data at scale"). Use a database of its own."""

from django.core.management.base import BaseCommand, CommandError

from branches import scale
from branches.management.commands.check_tree import tree_problems


class Command(BaseCommand):
    help = (
        "Generate a town (like Anding), a district (21 towns) or a city (16 districts, 330 towns, ~4,000 villages, "
        "~400,000 members) with years of records, in bulk. Refuses a database that already holds generated data "
        "unless --reset is given, which deletes that data first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(scale.PRESETS), required=True)
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data (on the same day).")
        parser.add_argument("--years", type=int, default=None, help="Years of records (default: the preset's, 10).")
        parser.add_argument("--reset", action="store_true", help="Delete the data generated earlier first.")

    def handle(self, *args, preset, seed, years, reset, **options):
        chosen = scale.PRESETS[preset]
        if years is not None and not 0 < years <= 30:
            raise CommandError("--years must be between 1 and 30.")
        self.stdout.write(f"Generating the {preset} preset (seed {seed}) ...")
        try:
            result = scale.generate(chosen, seed=seed, years=years, reset=reset, progress=scale.Progress(self.stderr))
        except scale.AlreadyGenerated as exc:
            raise CommandError(str(exc)) from exc
        report(self.stdout, result)
        count, problems = tree_problems()
        if problems:
            raise CommandError(f"The organization tree has {len(problems)} problem(s): run manage.py check_tree.")
        self.stdout.write(self.style.SUCCESS(f"The organization tree is sound ({count} nodes)."))


def report(stdout, result: scale.Result) -> None:
    stdout.write(f"Done in {result.seconds:.1f} s ({result.years} years of records):")
    for name, value in result.counts.items():
        if value:
            stdout.write(f"  {name:<20} {value:>10,}")
    stdout.write(f"Accounts to log in as (password {scale.PASSWORD}):")
    for kind, names in result.personas.items():
        stdout.write(f"  {kind:<10} {', '.join(names)}")
