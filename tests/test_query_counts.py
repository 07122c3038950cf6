"""No N+1: each list runs the same number of queries for a small town and for one ten times its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.choices import OrgKind, Role

from .conftest import build_town
from .factories import OrganizationFactory, PositionFactory, UserFactory, make_members

SMALL = (3, 5)  # villages, members per village
LARGE = (30, 50)
LISTS = ["/", "/org/", "/members/", "/api/organizations/", "/api/members/", "/members/?export=xlsx"]


def build(n_villages: int, per_village: int, tag: str):
    """A town with two general branches, `n_villages` villages spread over them and `per_village` members each,
    plus a town cadre and the secretary of the first general branch (each a deputy with a liaison village too)."""
    town = build_town(code=f"TOWN-{tag}", name=f"{tag}镇党委")
    generals = [
        OrganizationFactory(kind=OrgKind.GENERAL, name=f"{tag}第{i}总支", code=f"{tag}-G{i}", parent=town)
        for i in (1, 2)
    ]
    villages = [
        OrganizationFactory(
            kind=OrgKind.VILLAGE, name=f"{tag}村{i:02d}", code=f"{tag}-V{i:02d}", parent=generals[i % 2]
        )
        for i in range(n_villages)
    ]
    for village in villages:
        make_members(village, per_village)
    generals[0].refresh_from_db()
    cadre = UserFactory(username=f"town-{tag}")
    PositionFactory(user=cadre, organization=town, role=Role.TOWN_CADRE)
    secretary = UserFactory(username=f"gb-{tag}")
    PositionFactory(user=secretary, organization=generals[0], role=Role.GENERAL_SECRETARY)
    for k, village in enumerate(villages[:2]):
        deputy = UserFactory(username=f"dep-{tag}-{k}")
        PositionFactory(
            user=deputy, organization=village.parent, role=Role.DEPUTY_SECRETARY, liaison_villages=[village]
        )
    return {"town_cadre": cadre, "gb_secretary": secretary, "town": town, "general": generals[0]}


def count_queries(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries), len(response.content)


@pytest.fixture
def towns(db):
    return {"small": build(*SMALL, tag="S"), "large": build(*LARGE, tag="L")}


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary"])
@pytest.mark.parametrize("path", LISTS)
def test_lists_run_the_same_queries_for_ten_times_the_data(client_as, towns, persona, path):
    small_client = client_as(towns["small"][persona])
    large_client = client_as(towns["large"][persona])
    small_client.get(path)  # warm up: the session and caches settle on the first request
    large_client.get(path)

    small, small_size = count_queries(small_client, path)
    large, large_size = count_queries(large_client, path)

    assert large == small, f"{path}: {small} queries for the small town, {large} for the large one"
    assert large_size > small_size  # the large town really shows more


@pytest.mark.parametrize("key", ["town", "general"])
def test_organization_page_runs_the_same_queries_for_ten_times_the_data(client_as, towns, key):
    small_client = client_as(towns["small"]["town_cadre"])
    large_client = client_as(towns["large"]["town_cadre"])
    small_path = f"/org/{towns['small'][key].pk}/"
    large_path = f"/org/{towns['large'][key].pk}/"
    small_client.get(small_path)
    large_client.get(large_path)

    small, _ = count_queries(small_client, small_path)
    large, _ = count_queries(large_client, large_path)

    assert large == small


def test_member_list_stays_within_a_small_number_of_queries(client_as, towns, django_assert_max_num_queries):
    client = client_as(towns["large"]["town_cadre"])
    client.get("/members/")

    with django_assert_max_num_queries(12):
        client.get("/members/")
