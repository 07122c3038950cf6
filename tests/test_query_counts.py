"""No N+1: each list runs the same number of queries for a small town and for one ten times its size."""

import pytest

from anding import duties
from branches.choices import OrgKind, Role

from . import kit
from .conftest import build_town
from .factories import OrganizationFactory, PositionFactory, UserFactory, grant, make_members

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
    cadre, secretary = (grant(user, duties.MEMBER_EXPORTERS) for user in (cadre, secretary))  # the export's permission
    return {"town_cadre": cadre, "gb_secretary": secretary, "town": town, "general": generals[0]}


@pytest.fixture
def towns(db):
    return {"small": build(*SMALL, tag="S"), "large": build(*LARGE, tag="L")}


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary"])
@pytest.mark.parametrize("path", LISTS)
def test_lists_run_the_same_queries_for_ten_times_the_data(client_as, towns, persona, path):
    small, large = client_as(towns["small"][persona]), client_as(towns["large"][persona])

    kit.assert_flat(lambda client: kit.page_queries(client, path), small, large)

    assert len(large.get(path).content) > len(small.get(path).content)  # the large town really shows more


@pytest.mark.parametrize("key", ["town", "general"])
def test_organization_page_runs_the_same_queries_for_ten_times_the_data(client_as, towns, key):
    def measure(town):
        return kit.page_queries(client_as(town["town_cadre"]), f"/org/{town[key].pk}/")

    kit.assert_flat(measure, towns["small"], towns["large"])


@pytest.mark.parametrize("key", ["town", "general"])
def test_tree_page_opened_at_a_node_runs_the_same_queries_for_ten_times_the_data(client_as, towns, key):
    def measure(town):
        return kit.page_queries(client_as(town["town_cadre"]), f"/org/?open={town[key].pk}")

    kit.assert_flat(measure, towns["small"], towns["large"])


def test_member_list_stays_within_a_small_number_of_queries(client_as, towns, django_assert_max_num_queries):
    client = client_as(towns["large"]["town_cadre"])
    client.get("/members/")

    with django_assert_max_num_queries(13):  # one of them: the permissions, for the export's button
        client.get("/members/")
