import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from branches import loadbench, scale


class Command(BaseCommand):
    help = (
        "Serve the portal with gunicorn (DEBUG off) and measure every page for a persona at each level of the "
        "generated data with wrk: queries, p50/p95 with one client, throughput and p95 with eight (make bench). "
        "Generates the preset first when the database holds no generated data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(scale.PRESETS), default="district")
        parser.add_argument("--seconds", type=float, default=3, help="wrk's duration per page and client count.")
        parser.add_argument("--clients", default="1,8", help="Client counts, comma-separated (first and last shown).")
        parser.add_argument("--levels", help="Only these levels, comma-separated (city,district,town,general,village).")
        parser.add_argument("--json", help="Where to write the JSON (default docs/bench/<preset>.json).")
        parser.add_argument("--no-doc", action="store_true", help="Do not write the table in docs/PERFORMANCE.md.")

    def handle(self, *args, preset, seconds, clients, json: str | None, no_doc, levels, **options):
        if scale.existing("SCALE") is None:
            self.stdout.write(f"Generating the {preset} preset first")
            scale.generate(scale.PRESETS[preset], progress=scale.Progress(self.stderr))
        counts = tuple(int(c) for c in clients.split(","))
        result = loadbench.run(seconds=seconds, clients=counts, levels=levels and levels.split(","))
        path = Path(json or settings.BASE_DIR / "docs" / "bench" / f"{preset}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dumps(result))
        self.stdout.write(f"Wrote {path}")
        if not no_doc:
            loadbench.write_table(result, settings.BASE_DIR / "docs" / "PERFORMANCE.md", preset)


def _dumps(result) -> str:
    return json.dumps(result, indent=1, ensure_ascii=False) + "\n"
