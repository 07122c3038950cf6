"""`make bench` in small: the town preset, the real server (gunicorn, DEBUG off, logins over HTTP, the admin's
second step), one request per page instead of wrk; the JSON must list every page with its query count. No
timing assertion. PostgreSQL only: the server is a separate process reading the test database."""

import io

import pytest
from django.db import connection

from anding.models import User
from branches import loadbench, scale
from branches.benchmark import PAGES

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench serves from PostgreSQL"),
    pytest.mark.django_db(transaction=True),  # committed, so that the server process sees the data
]


def test_bench_on_the_town_preset_lists_every_page_with_its_queries(tmp_path, settings):
    # The server runs the production settings: hash with a hasher it knows, not the tests' fast MD5.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    scale.generate(scale.PRESETS["town"], years=1, progress=scale.Progress(io.StringIO()))
    result = loadbench.run(seconds=0, clients=(1,), stdout=io.StringIO())

    assert [level for level, _ in loadbench.personas()] == ["town", "general", "village"]
    served = {(row["user"], row["page"]): row for row in result["rows"]}
    for _, user in loadbench.personas():
        for page in PAGES:
            row = served[(user, page)]
            assert row["status"] == 200 and row["queries"] > 0, (user, page)
            assert row["c1"]["requests"] == 1 and not row["c1"]["bad_status"], (user, page)
    references = [row for row in result["rows"] if row["level"] == "reference"]
    assert [row["page"] for row in references] == [loadbench.ADMIN_PAGE, loadbench.BARE_PAGE]
    assert all(row["c1"]["requests"] == 1 and not row["c1"]["bad_status"] for row in references)
    assert not User.objects.get(username=loadbench.ADMIN).is_superuser  # demoted after the run

    doc = tmp_path / "PERFORMANCE.md"
    doc.write_text("# Performance\n")
    loadbench.write_table(result, doc, "town")
    loadbench.write_table(result, doc, "town")  # a rerun replaces its table
    assert doc.read_text().count("<!-- bench:town -->") == 1 and "## Benchmark" in doc.read_text()
