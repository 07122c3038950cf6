"""The benchmark: how the portal's pages behave on data far larger than one town.

`manage.py benchmark --towns N` builds a district of N synthetic towns shaped like Anding (6 general branches,
33 villages, 50 members per village, a year of meetings, monthly reports and the other records of
`branches.scale`) in the configured database, then serves the main pages and API lists to a district cadre, a
town cadre, a general-branch secretary and a village secretary, and prints the queries and the median time of each. Query counts must not
depend on N (the tests assert that); the times show how the database copes.

Run it on a database of its own (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/anding_bench): the data
is written in bulk for speed, not through the workflow actions, and it stays there for a rerun (kept when the
number of towns is the same) or for --measure.
"""

import statistics
import time

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anding.models import User

from . import scale
from .choices import OrgKind
from .models import Meeting, MonthlyReport, Organization, PartyMember

__all__ = ["PAGES", "build", "measure"]

DISTRICT_CODE = "BENCH"
PASSWORD = scale.PASSWORD
PAGES = [
    "/",
    "/org/",
    "/members/",
    "/members/?page=last",  # the last page beside the first (issue 13: at most twice its time)
    "/members/?q=王",
    "/meetings/",
    "/meetings/?page=last",
    "/tasks/",
    "/reports/",
    "/reports/?page=last",
    "/reports/completeness/",
    "/api/organizations/",
    "/api/members/",
    "/api/meetings/",
    "/api/reports/",
    # The powers, services and development (issue 13): the lists and overviews whose records the generator writes.
    "/powers/",
    "/powers/organization-guidance/",
    "/recruitment/",
    "/services/",
    "/services/records/",
    "/services/visits/",
    "/services/visits/coverage/",
    "/development/",
    "/development/ledger/",
    "/api/organization-guidance/",
    "/api/service-records/",
    "/api/household-visits/",
]
PERSONAS = ["bench-district", "bench-t001", "bench-g001-3", "bench-v001-3-01"]


def build(towns: int, stdout) -> None:
    """Make the benchmark district hold `towns` Anding-shaped towns: kept when it already has that shape, else
    generated afresh by `branches.scale` (the same bulk generator as `manage.py generate_scale_data`)."""
    preset = scale.benchmark_preset(towns)
    root = scale.existing(DISTRICT_CODE)
    if root is not None and root.aliases.startswith(f"generated preset={preset.name} "):
        stdout.write(f"  the benchmark district already has {towns} towns ({root.aliases})")
        return
    result = scale.generate(preset, prefix=DISTRICT_CODE, reset=True, progress=scale.Progress(stdout))
    stdout.write(f"  built in {result.seconds:.1f} s")


def measure(stdout, runs: int = 5) -> None:
    """Serve every page to each persona `runs` times: the queries of one request and the median time."""
    personas = PERSONAS
    totals = {
        "towns": Organization.objects.filter(kind=OrgKind.TOWN, parent__code=DISTRICT_CODE).count(),
        "villages": Organization.objects.filter(kind=OrgKind.VILLAGE, code__startswith=DISTRICT_CODE).count(),
        "members": PartyMember.objects.filter(branch__code__startswith=DISTRICT_CODE).count(),
        "meetings": Meeting.objects.filter(organization__code__startswith=DISTRICT_CODE).count(),
        "reports": MonthlyReport.objects.filter(village__code__startswith=DISTRICT_CODE).count(),
    }
    stdout.write(f"Data ({connection.vendor}): " + ", ".join(f"{v:,} {k}" for k, v in totals.items()))
    stdout.write(f"{'persona':<16} {'page':<26} {'status':>6} {'queries':>7} {'median ms':>9}")
    for username in personas:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page in PAGES:
            timings = []
            for _ in range(runs):
                reset_queries()  # the query log is bounded; start each request with an empty one
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(page)
                    timings.append(1000 * (time.perf_counter() - started))
            stdout.write(
                f"{username:<16} {page:<26} {response.status_code:>6} {len(queries):>7} {statistics.median(timings):>9.1f}"
            )
