"""Who reaches the committee and party-group pages and API: anonymous → login, out of scope → 404, in scope → 200,
in scope without the role (a deputy, department staff) → 403; the village page shows the committee and groups."""

import pytest

from .. import kit
from ..factories import make_members
from .conftest import elect, make_group

ELECT = "/org/{tree.v11.pk}/committee/elect/"
GROUP_ADD = "/org/{tree.v11.pk}/party-groups/add/"
SEATS = "/committees/{v11_committee.pk}/edit/"
GROUP = "/party-groups/{v11_groups[0].pk}/edit/"
G2_SEATS = "/committees/{g2_committee.pk}/edit/"
G2_GROUP = "/party-groups/{g2_party_group.pk}/edit/"
API = ["/api/committees/", "/api/party-groups/"]

ACCESS = [
    *kit.anonymous([ELECT, GROUP_ADD, SEATS, GROUP, *API, "/api/committees/{v11_committee.pk}/"]),
    *[("village_secretary", url, 200) for url in (ELECT, GROUP_ADD, SEATS, GROUP)],
    *[("gb_secretary", url, 200) for url in (ELECT, GROUP_ADD, SEATS, GROUP)],
    *[("town_cadre", url, 200) for url in (ELECT, GROUP_ADD, SEATS, GROUP, G2_SEATS, G2_GROUP)],
    *[("deputy", url, 403) for url in (ELECT, GROUP_ADD, SEATS, GROUP)],  # sees, changes nothing
    ("dept_staff", ELECT, 403),  # sees the tree's names, not its records
    ("dept_staff", SEATS, 404),
    *[("neighbour_secretary", url, 404) for url in (ELECT, GROUP_ADD, SEATS, GROUP)],
    *[("gb2_secretary", url, 404) for url in (ELECT, SEATS, GROUP)],
    *[("village_secretary", url, 404) for url in (G2_SEATS, G2_GROUP, "/api/committees/{g2_committee.pk}/")],
    ("outsider", SEATS, 404),
    ("village_secretary", "/api/committees/{v11_committee.pk}/", 200),
    ("village_secretary", "/api/party-groups/{v11_groups[0].pk}/", 200),
    ("gb2_secretary", "/api/party-groups/{v11_groups[0].pk}/", 404),
    ("village_secretary", "/org/{tree.g1.pk}/committee/elect/", 404),  # above its scope
    ("gb_secretary", "/org/{tree.g1.pk}/committee/elect/", 404),  # a general branch has no village committee
]


@kit.access_table(ACCESS)
def test_access(check_access, v11_committee, v11_groups, persona, url, status):
    check_access(persona, url, status)


def test_the_village_page_shows_the_committee_and_groups(client_as, tree, village_secretary, v11_committee, v11_groups):
    response = client_as(village_secretary).get(f"/org/{tree.v11.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Branch committee" in page and "2024" in page and "第一党小组" in page and "第二党小组" in page
    assert f"/committees/{v11_committee.pk}/edit/" in page


def test_a_deputy_sees_the_committee_without_edit_links(client_as, tree, deputy, v11_committee):
    page = client_as(deputy).get(f"/org/{tree.v11.pk}/").content.decode()

    assert "Branch committee" in page
    assert f"/committees/{v11_committee.pk}/edit/" not in page


@pytest.mark.parametrize("persona", ["village_secretary", "gb_secretary", "town_cadre"])
def test_the_api_lists_only_the_callers_scope(client_as, fixtures, v11_committee, g2_committee, persona):
    data = client_as(fixtures[persona]).get("/api/committees/").json()

    ids = {row["id"] for row in data["results"]} if isinstance(data, dict) else {row["id"] for row in data}
    assert v11_committee.pk in ids
    assert (g2_committee.pk in ids) == (persona == "town_cadre")


def test_the_api_shows_seats_and_members(client_as, village_secretary, v11_committee, v11_groups, v11_roster):
    client = client_as(village_secretary)

    committee = client.get(f"/api/committees/{v11_committee.pk}/").json()
    group = client.get(f"/api/party-groups/{v11_groups[0].pk}/").json()

    assert committee["current"] is True
    assert [s["post"] for s in committee["seats"]] == ["secretary", "organization", "propaganda"]
    assert group["leader"]["name"] == v11_roster[0].name
    assert sorted(m["id"] for m in group["members"]) == sorted(m.pk for m in v11_roster[:4])


def test_the_village_page_and_api_run_the_same_queries_for_3_and_30_members(
    client_as, tree, village_secretary, v11_roster
):
    client = client_as(village_secretary)
    paths = [f"/org/{tree.v11.pk}/", "/api/committees/", "/api/party-groups/"]

    def measure(_):
        return tuple(kit.page_queries(client, path) for path in paths)

    def small():
        elect(village_secretary, tree.v11, v11_roster[:3])
        make_group(village_secretary, tree.v11, "一组", v11_roster[0], v11_roster[:3])

    def large():
        more = make_members(tree.v11, 30, prefix="多")
        make_group(village_secretary, tree.v11, "二组", more[0], more[:20])
        make_group(village_secretary, tree.v11, "三组", more[20], more[20:])

    kit.assert_flat(measure, small, large)
