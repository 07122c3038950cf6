"""What each persona sees in the lists: only the rows of their scope, in HTML, Excel and JSON alike."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from anding import duties
from branches.choices import Role

from .conftest import dashboard_figures
from .factories import PositionFactory, grant

ALL_VILLAGES = {"v11", "v12", "v21", "v22"}
VISIBLE_VILLAGES = {
    "town_cadre": ALL_VILLAGES,
    "gb_secretary": {"v11", "v12"},
    "deputy": {"v11", "v12"},
    "village_secretary": {"v11"},
    "dept_staff": set(),
    "outsider": set(),
}
VISIBLE_NODES = {
    "town_cadre": {"town", "g1", "g2", *ALL_VILLAGES},
    "gb_secretary": {"g1", "v11", "v12"},
    "deputy": {"g1", "v11", "v12"},
    "village_secretary": {"v11"},
    "dept_staff": {"town", "g1", "g2", *ALL_VILLAGES},
    "outsider": set(),
}


def names_on(page: str, tree, keys) -> set[str]:
    return {key for key in keys if getattr(tree, key).name in page}


@pytest.mark.parametrize("persona", VISIBLE_NODES)
def test_tree_page_shows_only_the_nodes_in_scope(request, client_as, tree, persona):
    page = client_as(request.getfixturevalue(persona)).get("/org/").content.decode()

    assert names_on(page, tree, ["town", "g1", "g2", *ALL_VILLAGES]) == VISIBLE_NODES[persona]


@pytest.mark.parametrize("persona", VISIBLE_VILLAGES)
def test_member_list_shows_only_members_in_scope(request, client_as, tree, persona):
    page = client_as(request.getfixturevalue(persona)).get("/members/").content.decode()

    shown = {key for key in ALL_VILLAGES if any(m.name in page for m in tree.members[key])}
    assert shown == VISIBLE_VILLAGES[persona]
    for key in VISIBLE_VILLAGES[persona]:
        assert all(m.name in page for m in tree.members[key])


@pytest.mark.parametrize("persona", VISIBLE_VILLAGES)
def test_excel_export_holds_only_members_in_scope(request, client_as, tree, persona):
    user = grant(request.getfixturevalue(persona), duties.MEMBER_EXPORTERS)  # the export's own permission
    response = client_as(user).get("/members/?export=xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    names = {row[0] for row in rows[1:]}
    expected = {m.name for key in VISIBLE_VILLAGES[persona] for m in tree.members[key]}
    assert names == expected


@pytest.mark.parametrize("persona", VISIBLE_NODES)
def test_api_organizations_lists_only_the_nodes_in_scope(request, client_as, tree, persona):
    data = client_as(request.getfixturevalue(persona)).get("/api/organizations/").json()

    expected = {getattr(tree, key).pk for key in VISIBLE_NODES[persona]}
    assert {row["id"] for row in data["results"]} == expected
    assert data["count"] == len(expected)


@pytest.mark.parametrize("persona", VISIBLE_VILLAGES)
def test_api_members_lists_only_members_in_scope(request, client_as, tree, persona):
    data = client_as(request.getfixturevalue(persona)).get("/api/members/").json()

    expected = {m.pk for key in VISIBLE_VILLAGES[persona] for m in tree.members[key]}
    assert {row["id"] for row in data["results"]} == expected


def test_department_staff_see_names_but_no_member(client_as, tree, dept_staff):
    client = client_as(dept_staff)

    village_page = client.get(f"/org/{tree.v11.pk}/").content.decode()
    assert tree.v11.name in village_page
    assert not any(m.name in village_page for m in tree.members["v11"])
    assert client.get("/members/").context["paginator"].count == 0
    assert client.get(f"/members/{tree.members['v11'][0].pk}/").status_code == 404


def test_outsider_is_told_no_organization_is_assigned(client_as, tree, outsider):
    response = client_as(outsider).get("/org/")

    assert list(response.context["nodes"]) == []
    assert not names_on(response.content.decode(), tree, ["town", "g1", "v11"])


def test_general_secretary_cannot_filter_by_the_sibling_branch(client_as, tree, gb_secretary):
    client = client_as(gb_secretary)

    page = client.get(f"/members/?branch={tree.g2.pk}").content.decode()
    api = client.get(f"/api/members/?branch={tree.g2.pk}")

    assert not any(m.name in page for m in tree.members["v21"] + tree.members["v22"])
    assert api.status_code in (200, 400)
    sibling_ids = {m.pk for m in tree.members["v21"] + tree.members["v22"]}
    assert not sibling_ids & {row["id"] for row in api.json().get("results", [])}


def test_filter_by_general_branch_includes_its_villages(client_as, tree, town_cadre):
    data = client_as(town_cadre).get(f"/api/members/?branch={tree.g2.pk}").json()

    assert {row["id"] for row in data["results"]} == {m.pk for m in tree.members["v21"] + tree.members["v22"]}


def test_member_search_finds_a_full_id_number(client_as, tree, gb_secretary):
    member = tree.members["v12"][1]

    data = client_as(gb_secretary).get("/api/members/", {"q": member.id_number}).json()

    assert [row["id"] for row in data["results"]] == [member.pk]


def test_member_search_does_not_reach_outside_the_scope(client_as, tree, gb_secretary):
    outside = tree.members["v21"][0]

    data = client_as(gb_secretary).get("/api/members/", {"q": outside.id_number}).json()

    assert data["results"] == []


def test_two_positions_open_both_subtrees(client_as, tree, village_secretary):
    PositionFactory(user=village_secretary, organization=tree.v21, role=Role.VILLAGE_SECRETARY)

    page = client_as(village_secretary).get("/org/").content.decode()

    assert names_on(page, tree, ["g1", "g2", *ALL_VILLAGES]) == {"v11", "v21"}


def test_an_ended_position_opens_nothing(client_as, tree, village_secretary):
    village_secretary.positions.update(
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date.today() - datetime.timedelta(days=1)
    )

    client = client_as(village_secretary)

    assert client.get(f"/org/{tree.v11.pk}/").status_code == 404
    assert client.get(f"/members/{tree.members['v11'][0].pk}/").status_code == 404


def test_a_position_starting_tomorrow_opens_nothing_yet(client_as, tree, outsider):
    PositionFactory(
        user=outsider,
        organization=tree.v11,
        role=Role.VILLAGE_SECRETARY,
        start_date=datetime.date.today() + datetime.timedelta(days=1),
    )

    assert client_as(outsider).get(f"/org/{tree.v11.pk}/").status_code == 404


def test_a_deactivated_user_is_logged_out(client_as, tree, village_secretary):
    client = client_as(village_secretary)
    village_secretary.is_active = False
    village_secretary.save()

    response = client.get(f"/org/{tree.v11.pk}/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_committee_seat_alone_opens_no_general_branch(client_as, tree, village_secretary):
    """A village secretary who sits on the general branch's committee still sees only their own village."""
    PositionFactory(user=village_secretary, organization=tree.g1, role=Role.COMMITTEE_MEMBER)

    client = client_as(village_secretary)

    assert client.get(f"/org/{tree.g1.pk}/").status_code == 404
    assert client.get(f"/members/{tree.members['v12'][0].pk}/").status_code == 404


def test_dashboard_counts_only_the_scope(client_as, tree, gb_secretary):
    response = client_as(gb_secretary).get("/")

    figures = dashboard_figures(response)
    assert figures["joint general branches"] == 1
    assert figures["village branches"] == 2
    assert figures["party members"] == 6
    page = response.content.decode()
    assert tree.v12.name in page
    assert tree.v21.name not in page


def test_admin_changelist_is_scoped_too(client_as, tree, village_secretary):
    village_secretary.is_staff = True
    village_secretary.save()
    village_secretary.user_permissions.add(Permission.objects.get(codename="view_partymember"))

    page = client_as(village_secretary).get("/admin/branches/partymember/").content.decode()

    assert all(m.name in page for m in tree.members["v11"])
    assert not any(m.name in page for m in tree.members["v12"] + tree.members["v21"])
