"""The benchmark keeps working: it builds a district and every page answers every persona."""

import io
import re

from django.core.management import call_command

from branches import benchmark


def test_benchmark_builds_a_district_and_serves_every_page(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()

    call_command("benchmark", towns=1, runs=1, stdout=out)

    rows = [line for line in out.getvalue().splitlines() if line.startswith("bench-")]
    assert len(rows) == 4 * len(benchmark.PAGES)
    statuses = {re.split(r"\s+", row)[-3] for row in rows}
    assert statuses == {"200"}
    assert "33 villages" in out.getvalue()
