"""Wide scopes (issue 13): a district's summaries add up per town and open one town at a time
(branches.selectors.drill_down), with the same queries for two towns or six; an organization filter lists only the
upper levels of a wide scope."""

import pytest

from branches.choices import OrgKind, Role

from . import kit
from .factories import OrganizationFactory, PositionFactory, UserFactory

SUMMARIES = ["/powers/", "/services/visits/coverage/", "/development/ledger/"]


def district(towns: int, tag: str):
    """A district of `towns` towns, each with a general branch of two villages, and a cadre over the district."""
    root = OrganizationFactory(kind=OrgKind.DISTRICT, name=f"{tag}区委", code=f"D-{tag}")
    for t in range(towns):
        town = OrganizationFactory(kind=OrgKind.TOWN, name=f"{tag}{t}镇党委", code=f"{tag}-T{t}", parent=root)
        general = OrganizationFactory(kind=OrgKind.GENERAL, name=f"{tag}{t}总支", code=f"{tag}-G{t}", parent=town)
        for v in range(2):
            OrganizationFactory(kind=OrgKind.VILLAGE, name=f"{tag}{t}-{v}村", code=f"{tag}-V{t}{v}", parent=general)
    cadre = UserFactory(username=f"district-{tag}")
    PositionFactory(user=cadre, organization=root, role=Role.TOWN_CADRE)
    root.refresh_from_db()
    return root, cadre


@pytest.fixture
def districts(db):
    return {"small": district(2, "S"), "large": district(6, "L")}


def test_a_districts_summaries_run_the_same_queries_for_three_times_the_towns(districts, client_as):
    small, large = (client_as(districts[k][1]) for k in ("small", "large"))

    kit.assert_flat(lambda client: tuple(kit.page_queries(client, page) for page in SUMMARIES), small, large)


@pytest.mark.parametrize("page", SUMMARIES)
def test_a_district_sees_a_row_per_town_and_opens_one(districts, client_as, page):
    root, cadre = districts["large"]
    client = client_as(cadre)
    town = root.get_children().get(code="L-T3")

    summary = client.get(page).content.decode()
    opened = client.get(f"{page}?within={town.pk}").content.decode()

    assert f"within={town.pk}" in summary and "L3镇党委" in summary and "L3-0村" not in summary
    assert "L3镇党委" in opened and "L2镇党委" not in opened  # the town's own rows, the way back up to the district
    assert f"?within={root.pk}" in opened or f"within={root.pk}" in opened


@pytest.mark.parametrize("page", SUMMARIES)
def test_a_node_out_of_scope_is_not_found(districts, client_as, page):
    other, _ = districts["small"]
    _, cadre = districts["large"]

    assert client_as(cadre).get(f"{page}?within={other.pk}").status_code == 404


def test_an_organization_filter_lists_the_upper_levels_of_a_wide_scope(districts, client_as, monkeypatch):
    monkeypatch.setattr("branches.filtersets.SHOWN_ORGANIZATIONS", 10)
    root, cadre = districts["large"]  # 1 district, 6 towns, 6 general branches, 12 villages
    client = client_as(cadre)

    page = client.get("/services/plans/").content.decode()
    village = root.get_descendants().filter(kind=OrgKind.VILLAGE).first()

    assert "L5镇党委" in page and "L5总支" not in page and "L5-0村" not in page
    assert client.get(f"/services/plans/?within={village.pk}").context["filterset"].is_valid()  # deeper: by its id


@pytest.mark.parametrize(
    "page, name",
    [("/members/", "branch"), ("/meetings/", "organization"), ("/services/visits/", "village")],
)
def test_a_village_secretarys_organization_filter_lists_their_village_without_a_statement(
    tree, village_secretary, client_as, django_assert_num_queries, page, name
):
    """A scope of leaves: the options are the positions' organizations (branches.filtersets.OrganizationFilter)."""
    filterset = client_as(village_secretary).get(page).context["filterset"]
    field = filterset.form.fields[name]

    with django_assert_num_queries(0):
        options = [(str(value), label) for value, label in field.choices if value != ""]

    assert options == [(str(tree.v11.pk), tree.v11.name)]


def test_a_value_out_of_a_leaf_scope_is_still_refused(tree, village_secretary, client_as):
    response = client_as(village_secretary).get(f"/members/?branch={tree.v12.pk}")

    assert not response.context["filterset"].is_valid()
    assert tree.members["v12"][0].name not in response.content.decode()
