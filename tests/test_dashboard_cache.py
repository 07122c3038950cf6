"""The dashboard keeps the figures of a district- or city-wide scope for DASHBOARD_CACHE_SECONDS (issue 13: summing
thousands of villages took the city's dashboard two seconds), per user and language, and dates them; a narrower
scope's figures, and everyone's to-do list, are read on each request here, without a shared cache (with one, a
town's and below are kept until their data changes: tests/test_freshness.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from branches.choices import Role
from branches.models import Position

from .factories import PositionFactory, UserFactory, make_members
from .test_dashboard_wide import build_city

AS_OF = 'data-testid="figures-as-of"'


@pytest.fixture
def kept(settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city(db):
    return build_city("K")


def get(client, language="en"):
    with translation.override(language), CaptureQueriesContext(connection) as queries:
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    response.queries = len(queries)
    return response


def figures(response) -> dict:
    return response.context["figures"]


@pytest.mark.parametrize("cadre", ["district_cadre", "city_cadre"])
def test_a_wide_scopes_figures_are_read_once_and_dated(kept, client_as, city, cadre):
    client = client_as(city[cadre])
    first = get(client)
    make_members(city["villages"][0], 5)  # not counted until the figures are read again

    second = get(client)

    assert figures(second) == figures(first)
    assert second.queries < first.queries - 10  # the to-do list's queries only
    assert AS_OF in second.content.decode()
    assert "read again every 5 minutes" in second.content.decode()

    cache.clear()  # the five minutes are over
    assert figures(get(client))["html"] != figures(first)["html"]


def test_a_towns_figures_are_read_on_each_request(kept, client_as, city):
    client = client_as(city["town_cadre"])
    first = get(client)

    make_members(city["villages"][0], 5)
    second = get(client)

    assert figures(second)["html"] != figures(first)["html"]
    assert figures(second)["as_of"] is None
    assert AS_OF not in second.content.decode()


def test_each_language_has_its_own_figures(kept, client_as, city):
    client = client_as(city["district_cadre"])
    english, chinese = get(client, "en"), get(client, "zh-hans")

    assert "Reports" in figures(english)["html"]
    assert "Reports" not in figures(chinese)["html"]
    assert figures(get(client, "en")) == figures(english)


def test_a_changed_position_reads_the_figures_of_the_new_scope(kept, client_as, city):
    cadre = city["district_cadre"]
    client = client_as(cadre)
    before = figures(get(client))["html"]
    assert city["towns"][0].name in before

    Position.objects.filter(user=cadre).update(organization=city["districts"][1])
    after = figures(get(client))["html"]

    assert city["towns"][0].name not in after
    assert city["towns"][-1].name in after


def test_each_user_has_their_own_figures(kept, client_as, city):
    """Two cadres of one district: the second reads the figures afresh (what a page shows may depend on the person)."""
    other = UserFactory(username="district-cadre-k2")
    PositionFactory(user=other, organization=city["districts"][0], role=Role.TOWN_CADRE)
    get(client_as(city["district_cadre"]))

    assert get(client_as(other)).queries > 20
