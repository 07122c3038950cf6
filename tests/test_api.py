"""The JSON API: the same scoping as the pages (out of scope is 404), personal data masked, schema and docs."""

import pytest
from rest_framework.authtoken.models import Token

from branches.models import PartyMember

ENDPOINTS = [
    "/api/organizations/",
    "org:v11",
    "/api/members/",
    "member:v11",
    "/api/schema/",
    "/api/docs/",
]


def url(tree, spec: str) -> str:
    if spec.startswith("/"):
        return spec
    kind, key = spec.split(":")
    if kind == "org":
        return f"/api/organizations/{getattr(tree, key).pk}/"
    return f"/api/members/{tree.members[key][0].pk}/"


@pytest.mark.parametrize("spec", ENDPOINTS)
def test_anonymous_caller_is_refused(client, tree, spec):
    response = client.get(url(tree, spec))

    assert response.status_code in (401, 403)
    assert tree.v11.name.encode() not in response.content


def test_health_check_needs_no_login(client, db):
    assert client.get("/healthz").json()["status"] == "ok"


ACCESS = [
    ("town_cadre", "org:town", 200),
    ("town_cadre", "org:v22", 200),
    ("town_cadre", "member:v22", 200),
    ("gb_secretary", "org:g1", 200),
    ("gb_secretary", "org:v12", 200),
    ("gb_secretary", "org:g2", 404),
    ("gb_secretary", "org:town", 404),
    ("gb_secretary", "member:v12", 200),
    ("gb_secretary", "member:v21", 404),
    ("village_secretary", "org:v11", 200),
    ("village_secretary", "org:v12", 404),
    ("village_secretary", "member:v11", 200),
    ("village_secretary", "member:v12", 404),
    ("deputy", "member:v12", 200),
    ("deputy", "member:v22", 404),
    ("dept_staff", "org:v21", 200),
    ("dept_staff", "member:v21", 404),
    ("outsider", "org:town", 404),
    ("outsider", "member:v11", 404),
    ("outsider", "/api/organizations/", 200),
    ("outsider", "/api/members/", 200),
    ("village_secretary", "/api/schema/", 200),
    ("village_secretary", "/api/docs/", 200),
]


@pytest.mark.parametrize(("persona", "spec", "status"), ACCESS)
def test_endpoint_access(request, client_as, tree, persona, spec, status):
    response = client_as(request.getfixturevalue(persona)).get(url(tree, spec))

    assert response.status_code == status


def test_member_json_is_masked(client_as, tree, village_secretary):
    member = tree.members["v11"][0]

    response = client_as(village_secretary).get(f"/api/members/{member.pk}/")

    data = response.json()
    assert data["name"] == member.name
    assert data["id_number"] == member.id_number_masked
    assert data["phone"] == member.phone_masked
    assert data["branch"]["name"] == tree.v11.name
    assert member.id_number.encode() not in response.content
    assert member.phone.encode() not in response.content


def test_member_list_json_never_holds_a_full_id_or_phone(client_as, tree, town_cadre):
    response = client_as(town_cadre).get("/api/members/")

    for members in tree.members.values():
        for member in members:
            assert member.id_number.encode() not in response.content
            assert member.phone.encode() not in response.content


def test_organization_json_has_depth_and_cumulative_member_count(client_as, tree, town_cadre):
    rows = {row["id"]: row for row in client_as(town_cadre).get("/api/organizations/").json()["results"]}

    assert rows[tree.town.pk]["depth"] == 0
    assert rows[tree.g1.pk]["member_count"] == 6
    assert rows[tree.v11.pk]["member_count"] == 3
    assert rows[tree.v11.pk]["parent"] == tree.g1.pk
    assert rows[tree.town.pk]["member_count"] == 12


def test_organization_filter_by_kind(client_as, tree, town_cadre):
    data = client_as(town_cadre).get("/api/organizations/?kind=general").json()

    assert {row["name"] for row in data["results"]} == {tree.g1.name, tree.g2.name}


def test_api_is_read_only(client_as, tree, town_cadre):
    client = client_as(town_cadre)
    member = tree.members["v11"][0]
    count = PartyMember.objects.count()

    created = client.post("/api/members/", {"name": "API"}, content_type="application/json")
    changed = client.patch(f"/api/members/{member.pk}/", {"name": "API"}, content_type="application/json")
    deleted = client.delete(f"/api/members/{member.pk}/")

    assert {created.status_code, changed.status_code, deleted.status_code} <= {403, 405}
    assert PartyMember.objects.count() == count
    member.refresh_from_db()
    assert member.name != "API"


def test_token_authentication_gives_the_same_scope(client, tree, village_secretary):
    token = Token.objects.create(user=village_secretary)
    headers = {"Authorization": f"Token {token.key}"}

    own = client.get(f"/api/members/{tree.members['v11'][0].pk}/", headers=headers)
    neighbour = client.get(f"/api/members/{tree.members['v12'][0].pk}/", headers=headers)

    assert own.status_code == 200
    assert neighbour.status_code == 404


def test_schema_describes_the_endpoints(client_as, tree, village_secretary):
    response = client_as(village_secretary).get("/api/schema/")

    body = response.content.decode()
    assert "/api/organizations/" in body
    assert "/api/members/" in body


def test_docs_load_nothing_from_the_internet(client_as, tree, village_secretary):
    page = client_as(village_secretary).get("/api/docs/").content.decode()

    assert 'src="http' not in page
    assert 'href="http' not in page
