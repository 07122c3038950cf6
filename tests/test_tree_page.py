"""The tree page opened level by level: the top levels at first, a node's units on demand (`?open=<id>`, plain
links), counts that match the full tree's, and nothing outside the scope."""

import pytest

from anding.models import AuditEvent
from branches import selectors
from branches.selectors import organization as tree_selectors

from . import kit


def shown(client, query: str = "") -> list[tuple[str, int]]:
    """The tree page's rows in order: (name, depth below the top node)."""
    return [(node.name, node.depth) for node in client.get(f"/org/{query}").context["nodes"]]


@pytest.fixture
def short_page(monkeypatch):
    """A page budget smaller than the small tree, so that it opens one level only, as a district's does."""
    monkeypatch.setattr(tree_selectors, "TREE_PAGE_ROWS", 3)


def test_a_town_of_a_few_villages_opens_two_levels(client_as, tree, town_cadre):
    assert shown(client_as(town_cadre)) == [
        (tree.town.name, 0),
        (tree.g1.name, 1),
        (tree.v11.name, 2),
        (tree.v12.name, 2),
        (tree.g2.name, 1),
        (tree.v21.name, 2),
        (tree.v22.name, 2),
    ]


def test_a_larger_scope_shows_the_top_and_its_units_each_with_a_link_to_open_it(
    client_as, tree, town_cadre, short_page
):
    client = client_as(town_cadre)
    page = client.get("/org/").content.decode()

    assert shown(client) == [(tree.town.name, 0), (tree.g1.name, 1), (tree.g2.name, 1)]
    assert f'href="?open={tree.g1.pk}#node-{tree.g1.pk}"' in page
    assert tree.v11.name not in page


def test_opening_a_general_branch_shows_its_villages_and_a_link_to_close_it(client_as, tree, town_cadre, short_page):
    client = client_as(town_cadre)
    page = client.get(f"/org/?open={tree.g1.pk}").content.decode()

    assert shown(client, f"?open={tree.g1.pk}") == [
        (tree.town.name, 0),
        (tree.g1.name, 1),
        (tree.v11.name, 2),
        (tree.v12.name, 2),
        (tree.g2.name, 1),
    ]
    assert f'href="?open={tree.town.pk}#node-{tree.g1.pk}"' in page  # back to the town's own units
    assert f'href="?open={tree.g2.pk}#node-{tree.g2.pk}"' in page


def test_opening_a_village_opens_the_path_down_to_it(client_as, tree, town_cadre, short_page):
    rows = shown(client_as(town_cadre), f"?open={tree.v21.pk}")

    assert rows == [
        (tree.town.name, 0),
        (tree.g1.name, 1),
        (tree.g2.name, 1),
        (tree.v21.name, 2),
        (tree.v22.name, 2),
    ]


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary", "dept_staff", "superuser"])
@pytest.mark.parametrize("open_key", [None, "g1", "v11"])
def test_counts_are_those_of_the_full_tree(request, client_as, tree, persona, open_key, short_page):
    user = request.getfixturevalue(persona)
    tree.members["v12"][0].status = "transferred_out"  # not counted: not a current member
    tree.members["v12"][0].save()
    full = {node.pk: (node.member_count, node.kind) for node in selectors.organization_tree_full(user)}
    open_node = getattr(tree, open_key) if open_key else None
    if open_node is not None and not selectors.organization_list(user).filter(pk=open_node.pk).exists():
        open_node = None  # the page answers 404 for it (below)

    nodes = selectors.organization_tree_page(user, open_node)

    assert nodes
    for node in nodes:
        assert node.member_count == full[node.pk][0]
    villages = {node.pk: node.village_count for node in nodes}
    assert villages.get(tree.town.pk, 4) == 4
    assert villages.get(tree.g1.pk, 2) == 2


def test_a_general_secretary_sees_their_branch_and_may_open_its_villages_only(client_as, tree, gb_secretary):
    client = client_as(gb_secretary)

    assert shown(client) == [(tree.g1.name, 0), (tree.v11.name, 1), (tree.v12.name, 1)]
    assert client.get(f"/org/?open={tree.v11.pk}").status_code == 200
    response = client.get(f"/org/?open={tree.g2.pk}")  # the sibling general branch
    assert response.status_code == 404
    assert tree.g2.name not in response.content.decode()
    assert AuditEvent.objects.filter(action="access_denied", object_id=str(tree.g2.pk)).exists()


def test_a_village_secretary_sees_their_village_and_cannot_open_its_parent(client_as, tree, village_secretary):
    client = client_as(village_secretary)

    assert shown(client) == [(tree.v11.name, 0)]
    assert client.get(f"/org/?open={tree.g1.pk}").status_code == 404
    assert client.get(f"/org/?open={tree.v12.pk}").status_code == 404  # the neighbour


@pytest.mark.parametrize("value", ["abc", "", "1.5", "-1", "²"])
def test_an_open_that_is_not_a_number_is_ignored(client_as, tree, town_cadre, value):
    assert client_as(town_cadre).get("/org/", {"open": value}).status_code == 200


def test_an_open_of_no_node_is_404(client_as, tree, town_cadre):
    assert client_as(town_cadre).get("/org/?open=999999").status_code == 404


def test_the_page_runs_the_same_queries_opened_or_not(client_as, tree, town_cadre, short_page):
    client = client_as(town_cadre)
    closed = kit.page_queries(client, "/org/")
    opened = kit.page_queries(client, f"/org/?open={tree.v21.pk}")

    assert opened == closed + 1  # the open node, read in scope


def test_the_api_lists_a_nodes_units_by_parent_and_nothing_outside_the_scope(client_as, tree, gb_secretary):
    client = client_as(gb_secretary)

    units = client.get(f"/api/organizations/?parent={tree.g1.pk}").json()
    outside = client.get(f"/api/organizations/?parent={tree.g2.pk}").json()

    assert [(row["name"], row["member_count"]) for row in units["results"]] == [
        (tree.v11.name, len(tree.members["v11"])),
        (tree.v12.name, len(tree.members["v12"])),
    ]
    assert outside["count"] == 0
