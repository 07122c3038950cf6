"""The JSON API: the same scoping as the pages (out of scope is 404), personal data masked, schema and docs."""

from rest_framework.authtoken.models import Token

from branches.models import PartyMember

from . import kit

ENDPOINTS = [
    "/api/organizations/",
    "/api/organizations/{tree.v11.pk}/",
    "/api/members/",
    "/api/members/{tree.members[v11][0].pk}/",
    "/api/schema/",
    "/api/docs/",
]

ACCESS = [
    *kit.anonymous(ENDPOINTS),  # 401 or 403, and no name of the tree in the answer
    ("town_cadre", "/api/organizations/{tree.town.pk}/", 200),
    ("town_cadre", "/api/organizations/{tree.v22.pk}/", 200),
    ("town_cadre", "/api/members/{tree.members[v22][0].pk}/", 200),
    ("gb_secretary", "/api/organizations/{tree.g1.pk}/", 200),
    ("gb_secretary", "/api/organizations/{tree.v12.pk}/", 200),
    ("gb_secretary", "/api/organizations/{tree.g2.pk}/", 404),
    ("gb_secretary", "/api/organizations/{tree.town.pk}/", 404),
    ("gb_secretary", "/api/members/{tree.members[v12][0].pk}/", 200),
    ("gb_secretary", "/api/members/{tree.members[v21][0].pk}/", 404),
    ("village_secretary", "/api/organizations/{tree.v11.pk}/", 200),
    ("village_secretary", "/api/organizations/{tree.v12.pk}/", 404),
    ("village_secretary", "/api/members/{tree.members[v11][0].pk}/", 200),
    ("village_secretary", "/api/members/{tree.members[v12][0].pk}/", 404),
    ("deputy", "/api/members/{tree.members[v12][0].pk}/", 200),
    ("deputy", "/api/members/{tree.members[v22][0].pk}/", 404),
    ("dept_staff", "/api/organizations/{tree.v21.pk}/", 200),
    ("dept_staff", "/api/members/{tree.members[v21][0].pk}/", 404),
    ("outsider", "/api/organizations/{tree.town.pk}/", 404),
    ("outsider", "/api/members/{tree.members[v11][0].pk}/", 404),
    ("outsider", "/api/organizations/", 200),
    ("outsider", "/api/members/", 200),
    ("village_secretary", "/api/schema/", 200),
    ("village_secretary", "/api/docs/", 200),
]


@kit.access_table(ACCESS)
def test_endpoint_access(check_access, tree, persona, url, status):
    check_access(persona, url, status)


def test_health_check_needs_no_login(client, db):
    assert client.get("/healthz").json()["status"] == "ok"


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
