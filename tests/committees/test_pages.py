"""The edit pages: record an election, correct the seats, add and change a party group; refusals come back on the
form and save nothing. And the admin, which saves through the same actions."""

import datetime

from django.contrib.auth.models import Permission

from branches.models import BranchCommittee, PartyGroup

from .. import kit


def seat_data(rows, **extra) -> dict:
    data = {"note": ""}
    for n, (member, post) in enumerate(rows, start=1):
        data[f"seat_{n}_member"] = member.pk
        data[f"seat_{n}_post"] = post
    for n in range(len(rows) + 1, 8):
        data[f"seat_{n}_member"] = ""
        data[f"seat_{n}_post"] = "member"
    data.update(extra)
    return data


def test_recording_an_election(client_as, tree, village_secretary, v11_roster):
    data = seat_data([(v11_roster[0], "secretary"), (v11_roster[1], "organization")], term_start="2024-03-01")

    response = client_as(village_secretary).post(f"/org/{tree.v11.pk}/committee/elect/", data)

    assert response.status_code == 302
    committee = BranchCommittee.objects.get(village=tree.v11)
    assert committee.term_end == datetime.date(2029, 2, 28)
    assert committee.seats.count() == 2


def test_an_election_without_a_secretary_is_refused_on_the_form(client_as, tree, village_secretary, v11_roster):
    data = seat_data([(v11_roster[0], "member")], term_start="2024-03-01")

    response = client_as(village_secretary).post(f"/org/{tree.v11.pk}/committee/elect/", data)

    assert "A committee has exactly one secretary." in kit.shows_errors(response, None)
    assert not BranchCommittee.objects.exists()


def test_the_seat_choices_are_full_members_of_the_village(client_as, tree, village_secretary, v11_roster):
    response = client_as(village_secretary).get(f"/org/{tree.v11.pk}/committee/elect/")

    choices = {value for value, _label in response.context["form"].fields["seat_1_member"].choices if value}
    assert choices == {m.pk for m in v11_roster[:-1]}  # the probationary member is left out


def test_correcting_the_seats(client_as, tree, gb_secretary, v11_roster, v11_committee):
    data = seat_data([(v11_roster[3], "secretary"), (v11_roster[0], "deputy_secretary")])

    response = client_as(gb_secretary).post(f"/committees/{v11_committee.pk}/edit/", data)

    assert response.status_code == 302
    assert sorted(v11_committee.seats.values_list("member_id", "post")) == sorted(
        [(v11_roster[3].pk, "secretary"), (v11_roster[0].pk, "deputy_secretary")]
    )


def test_adding_and_changing_a_party_group(client_as, tree, village_secretary, v11_roster):
    client = client_as(village_secretary)
    data = {"name": "第一党小组", "leader": v11_roster[0].pk, "formed_on": "2024-03-01", "dissolved_on": ""}

    response = client.post(f"/org/{tree.v11.pk}/party-groups/add/", {**data, "members": [v11_roster[1].pk]})

    assert response.status_code == 302
    group = PartyGroup.objects.get(village=tree.v11)
    assert set(group.members.values_list("pk", flat=True)) == {v11_roster[0].pk, v11_roster[1].pk}

    response = client.post(f"/party-groups/{group.pk}/edit/", {**data, "members": [m.pk for m in v11_roster[5:]]})

    assert response.status_code == 302
    assert set(group.members.values_list("pk", flat=True)) == {v11_roster[0].pk, *(m.pk for m in v11_roster[5:])}


def test_a_group_member_of_another_village_cannot_be_posted(client_as, tree, village_secretary, v11_roster):
    stranger = tree.members["v12"][0]
    data = {"name": "组", "leader": v11_roster[0].pk, "formed_on": "2024-03-01", "members": [stranger.pk]}

    response = client_as(village_secretary).post(f"/org/{tree.v11.pk}/party-groups/add/", data)

    kit.shows_errors(response, "members")
    assert not PartyGroup.objects.exists()


def test_the_admin_saves_a_committee_through_the_action(client_as, tree, superuser, v11_roster):
    data = {
        "village": tree.v11.pk,
        "term_start": "2024-03-01",
        "term_end": "",
        "note": "",
        "seats-TOTAL_FORMS": "2",
        "seats-INITIAL_FORMS": "0",
        "seats-MIN_NUM_FORMS": "0",
        "seats-MAX_NUM_FORMS": "7",
        "seats-0-member": v11_roster[0].pk,
        "seats-0-post": "secretary",
        "seats-1-member": v11_roster[1].pk,
        "seats-1-post": "propaganda",
    }

    response = client_as(superuser).post("/admin/branches/branchcommittee/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    committee = BranchCommittee.objects.get(village=tree.v11)
    assert committee.term_end == datetime.date(2029, 2, 28)
    assert committee.seats.count() == 2
    assert committee.created_by == superuser


def test_the_admin_refuses_what_the_action_refuses(client_as, tree, superuser, v11_roster):
    data = {
        "village": tree.v11.pk,
        "term_start": "2024-03-01",
        "term_end": "",
        "note": "",
        "seats-TOTAL_FORMS": "1",
        "seats-INITIAL_FORMS": "0",
        "seats-MIN_NUM_FORMS": "0",
        "seats-MAX_NUM_FORMS": "7",
        "seats-0-member": v11_roster[-1].pk,  # probationary
        "seats-0-post": "secretary",
    }

    response = client_as(superuser).post("/admin/branches/branchcommittee/add/", data, follow=True)

    assert "is not a full member" in response.content.decode()
    assert not BranchCommittee.objects.exists()


def test_the_admin_lists_only_the_staff_users_scope(client_as, tree, gb_secretary, v11_committee, g2_committee):
    gb_secretary.is_staff = True
    gb_secretary.save()
    gb_secretary.user_permissions.set(Permission.objects.filter(codename="view_branchcommittee"))

    response = client_as(gb_secretary).get("/admin/branches/branchcommittee/")

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [v11_committee]
