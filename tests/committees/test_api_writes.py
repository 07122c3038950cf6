"""Writing committees and party groups through the API (issue 8): POST elects a committee or adds a group, PATCH
corrects seats or changes a group, through the same actions as the pages; out of scope 404, in scope without the
role 403; a POST with an Idempotency-Key done twice does it once; refusals are 400 at the field, nothing saved."""

import pytest

from anding.models import AuditEvent
from branches.models import BranchCommittee, PartyGroup

JSON = "application/json"


def seats_body(members, posts=("secretary", "organization", "propaganda")):
    return [{"member": m.pk, "post": p} for m, p in zip(members, posts, strict=False)]


def elect_body(village, members, term_start="2025-06-01", **more):
    return {"village": village.pk, "term_start": term_start, "seats": seats_body(members), **more}


def group_body(village, leader, members, name="第三党小组", **more):
    return {"village": village.pk, "name": name, "leader": leader.pk, "members": [m.pk for m in members], **more}


def test_electing_a_committee_ends_the_running_term(client_as, tree, village_secretary, v11_roster, v11_committee):
    response = client_as(village_secretary).post(
        "/api/committees/", elect_body(tree.v11, v11_roster[2:5], note="换届选举"), content_type=JSON
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["term_start"] == "2025-06-01" and data["term_end"] == "2030-05-31" and data["note"] == "换届选举"
    assert [s["member"]["id"] for s in data["seats"]] == [m.pk for m in v11_roster[2:5]]
    v11_committee.refresh_from_db()
    assert str(v11_committee.term_end) == "2025-05-31"
    assert AuditEvent.objects.filter(action="committee_elect", object_id=str(data["id"])).exists()


def test_an_election_posted_twice_with_a_key_is_recorded_once(client_as, tree, village_secretary, v11_roster):
    client = client_as(village_secretary)
    body = elect_body(tree.v11, v11_roster[:3])

    first = client.post("/api/committees/", body, content_type=JSON, headers={"Idempotency-Key": "elect-1"})
    again = client.post("/api/committees/", body, content_type=JSON, headers={"Idempotency-Key": "elect-1"})

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert BranchCommittee.objects.filter(village=tree.v11).count() == 1


def test_correcting_the_seats_with_patch(client_as, village_secretary, v11_roster, v11_committee):
    client = client_as(village_secretary)
    url = f"/api/committees/{v11_committee.pk}/"

    seats = client.patch(url, {"seats": seats_body([v11_roster[0], v11_roster[3]], ("secretary", "discipline"))}, JSON)
    note = client.patch(url, {"note": "补选"}, JSON)

    assert seats.status_code == 200, seats.content
    assert note.status_code == 200
    assert [(s["member"]["id"], s["post"]) for s in note.json()["seats"]] == [
        (v11_roster[0].pk, "secretary"),
        (v11_roster[3].pk, "discipline"),
    ]
    assert note.json()["note"] == "补选"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"seats": []}, "seats"),  # no secretary
        ({"seats": [{"member": 0, "post": "secretary"}]}, "seats"),
        ({"term_start": "2020-01-01"}, "term_start"),  # before the running term
        ({"note": "长" * 201}, "note"),
    ],
)
def test_a_refused_election_is_400_at_the_field(
    client_as, tree, village_secretary, v11_roster, v11_committee, body, field
):
    response = client_as(village_secretary).post(
        "/api/committees/", {**elect_body(tree.v11, v11_roster[:3]), **body}, content_type=JSON
    )

    assert response.status_code == 400
    assert field in response.json()
    assert BranchCommittee.objects.filter(village=tree.v11).count() == 1


def test_a_member_of_another_village_cannot_take_a_seat(client_as, tree, village_secretary, v11_roster, v11_committee):
    stranger = tree.members["v12"][0]

    response = client_as(village_secretary).patch(
        f"/api/committees/{v11_committee.pk}/", {"seats": seats_body([v11_roster[0], stranger])}, JSON
    )

    assert response.status_code == 400
    assert str(stranger.pk) in response.json()["seats"][0] and stranger.name not in response.content.decode()
    assert v11_committee.seats.count() == 3


def test_adding_and_changing_a_party_group(client_as, tree, village_secretary, v11_roster):
    client = client_as(village_secretary)

    body = group_body(tree.v11, v11_roster[0], v11_roster[1:3], formed_on="2025-01-01")
    created = client.post("/api/party-groups/", body, content_type=JSON)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["leader"]["id"] == v11_roster[0].pk
    assert sorted(m["id"] for m in data["members"]) == sorted(m.pk for m in v11_roster[:3])  # the leader is one

    changed = client.patch(f"/api/party-groups/{data['id']}/", {"name": "新名", "leader": v11_roster[1].pk}, JSON)
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "新名" and changed.json()["leader"]["id"] == v11_roster[1].pk
    assert len(changed.json()["members"]) == 3  # left out: kept

    dissolved = client.patch(f"/api/party-groups/{data['id']}/", {"dissolved_on": "2026-01-31"}, JSON)
    assert dissolved.status_code == 200
    assert dissolved.json()["dissolved_on"] == "2026-01-31"


def test_a_member_of_another_group_is_refused_at_the_field(client_as, tree, village_secretary, v11_roster, v11_groups):
    response = client_as(village_secretary).post(
        "/api/party-groups/", group_body(tree.v11, v11_roster[5], [v11_roster[1]]), content_type=JSON
    )

    assert response.status_code == 400
    assert v11_groups[0].name in response.json()["members"][0]
    assert not PartyGroup.objects.filter(name="第三党小组").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"leader": 0}, "leader"), ({"name": "长" * 61}, "name"), ({"name": ""}, "name"), ({"members": [0]}, "members")],
)
def test_a_refused_group_is_400_at_the_field(client_as, tree, village_secretary, v11_roster, body, field):
    response = client_as(village_secretary).post(
        "/api/party-groups/", {**group_body(tree.v11, v11_roster[0], v11_roster[:2]), **body}, content_type=JSON
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not PartyGroup.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("deputy", [403] * 4),  # sees, changes nothing
        ("dept_staff", [403, 404, 403, 404]),  # sees the village's name, not its records (as on the pages)
        ("neighbour_secretary", [404] * 4),
        ("gb2_secretary", [404] * 4),
        ("outsider", [404] * 4),
    ],
)
def test_who_may_write(client_as, fixtures, tree, v11_roster, v11_committee, v11_groups, persona, status):
    client = client_as(fixtures[persona])

    answers = [
        client.post("/api/committees/", elect_body(tree.v11, v11_roster[:3]), content_type=JSON).status_code,
        client.patch(f"/api/committees/{v11_committee.pk}/", {"note": "x"}, JSON).status_code,
        client.post(
            "/api/party-groups/", group_body(tree.v11, v11_roster[5], v11_roster[5:6]), content_type=JSON
        ).status_code,
        client.patch(f"/api/party-groups/{v11_groups[0].pk}/", {"name": "x"}, JSON).status_code,
    ]

    assert answers == status
    assert BranchCommittee.objects.filter(village=tree.v11).count() == 1
    assert PartyGroup.objects.filter(village=tree.v11).count() == 2


@pytest.mark.parametrize("persona", ["gb_secretary", "town_cadre"])
def test_the_levels_above_write_too(client_as, fixtures, tree, v11_roster, persona):
    response = client_as(fixtures[persona]).post(
        "/api/committees/", elect_body(tree.v11, v11_roster[:3]), content_type=JSON
    )

    assert response.status_code == 201


def test_a_general_branch_has_no_village_committee(client_as, tree, gb_secretary, v11_roster):
    response = client_as(gb_secretary).post(
        "/api/committees/", {**elect_body(tree.v11, v11_roster[:3]), "village": tree.g1.pk}, content_type=JSON
    )

    assert response.status_code == 404
