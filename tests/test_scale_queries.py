"""Issue 13, done-when 2: every page of the benchmark runs as many queries on the city preset as on the town preset,
for the persona of each level (`make bench` signs in as the same ones). The city is the city preset's shape made
small (3 districts of 3 towns, one year of records) so that the test runs in seconds. The town preset has no
city or district persona: theirs are compared with those of a smaller city (2 districts of 2 towns)."""

import dataclasses
import io

from anding.models import User
from branches import loadbench, scale
from branches.benchmark import PAGES
from development.models import Pairing

CITY = dataclasses.replace(scale.PRESETS["city"], districts=3, towns=9, years=1)
SMALLER_CITY = dataclasses.replace(CITY, districts=2, towns=4)


def test_each_page_runs_the_same_queries_on_the_town_and_the_city_preset(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    quiet = scale.Progress(io.StringIO())
    scale.generate(scale.PRESETS["town"], years=1, prefix="BENCH", progress=quiet)
    scale.generate(CITY, prefix="SCALE", progress=quiet)
    scale.generate(SMALLER_CITY, prefix="CITY", progress=quiet)

    def queries(prefix: str) -> dict[str, dict[str, int]]:
        # A village secretary's dashboard lists their village's pairings (one query more when there are some); the
        # generator draws which villages pair, so that each first village takes part in one.
        secretary = User.objects.get(username=dict(loadbench.personas(prefix))["village"])
        if not Pairing.objects.restrict(secretary).exists():
            village = secretary.positions.get().organization
            Pairing.objects.filter(lead_village__parent=village.parent).first().helped_villages.add(village)
        found = {}
        for level, username in loadbench.personas(prefix):
            counts = loadbench.count_queries(username, PAGES)  # the first request of each page warms the session
            counts = loadbench.count_queries(username, PAGES)
            assert {page: c["status"] for page, c in counts.items()} == dict.fromkeys(PAGES, 200), username
            found[level] = {page: c["queries"] for page, c in counts.items()}
        return found

    town, city, smaller_city = queries("BENCH"), queries("SCALE"), queries("CITY")

    assert list(town) == ["town", "general", "village"]
    assert list(city) == list(smaller_city) == ["city", "district", "town", "general", "village"]
    for level, pages in city.items():
        assert pages == (town[level] if level in town else smaller_city[level]), level
        for first in ("/members/", "/meetings/", "/reports/"):  # the last page is read as the first is
            assert pages[f"{first}?page=last"] == pages[first], (level, first)
