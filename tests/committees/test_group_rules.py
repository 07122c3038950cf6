"""Issue 8's rules of party groups: a 党小组会 names its group when it is planned (form, API and action), while a
stored one without a group keeps working; and a member belongs to one active party group of a village at most (in
the action, and so in the pages, the API and the admin)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from branches import actions
from branches.choices import MeetingKind, MeetingStatus
from branches.models import Meeting, PartyGroup

from .. import kit
from .conftest import ELECTED, make_group

GROUP_ERROR = "Choose the party group that meets"


def test_the_action_refuses_a_party_group_meeting_without_a_group(tree, village_secretary, v11_groups):
    with pytest.raises(ValidationError) as refused:
        actions.meeting_plan(
            actor=village_secretary,
            organization=tree.v11,
            kind=MeetingKind.PARTY_GROUP,
            title="党小组会",
            planned_for=timezone.localdate(),
        )

    assert GROUP_ERROR in " ".join(refused.value.message_dict["party_group"])
    assert not Meeting.objects.exists()


def test_the_plan_form_asks_for_the_group_at_the_field(client_as, tree, village_secretary, v11_groups):
    data = {
        "organization": tree.v11.pk,
        "kind": MeetingKind.PARTY_GROUP,
        "title": "党小组会",
        "planned_for": timezone.localdate().isoformat(),
    }
    response = client_as(village_secretary).post("/meetings/add/", data)

    assert any(GROUP_ERROR in m for m in kit.shows_errors(response, "party_group"))
    assert response.context["form"]["title"].value() == "党小组会"  # what was typed is kept
    assert not Meeting.objects.exists()

    created = client_as(village_secretary).post("/meetings/add/", {**data, "party_group": v11_groups[0].pk})
    assert created.status_code == 302
    assert Meeting.objects.get().party_group == v11_groups[0]


def test_the_api_asks_for_the_group_at_the_field(client_as, tree, village_secretary, v11_groups):
    body = {
        "organization": tree.v11.pk,
        "kind": "party_group",
        "title": "党小组会",
        "planned_for": timezone.localdate().isoformat(),
    }
    client = client_as(village_secretary)

    refused = client.post("/api/meetings/", body, content_type="application/json")
    created = client.post("/api/meetings/", {**body, "party_group": v11_groups[1].pk}, content_type="application/json")

    assert refused.status_code == 400
    assert GROUP_ERROR in refused.json()["party_group"][0]
    assert created.status_code == 201
    assert created.json()["party_group"] == v11_groups[1].pk


def test_a_stored_party_group_meeting_without_a_group_still_records(client_as, tree, village_secretary, v11_roster):
    meeting = Meeting.objects.create(
        organization=tree.v11,
        general_branch=tree.g1,
        kind=MeetingKind.PARTY_GROUP,
        title="旧党小组会",
        planned_for=timezone.localdate(),
        created_by=village_secretary,
    )
    page = client_as(village_secretary).get(f"/meetings/{meeting.pk}/record/")
    lines = [actions.AttendanceLine(member=m) for m in v11_roster]

    actions.meeting_record(
        actor=village_secretary, meeting=meeting, version=meeting.version, held_on=meeting.planned_for, attendance=lines
    )

    assert page.status_code == 200
    assert "No party group is named for this meeting" in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


# --- one group per member ---------------------------------------------------------------------------------------


def test_a_member_of_another_active_group_is_refused_with_both_names(tree, village_secretary, v11_roster, v11_groups):
    first, _second = v11_groups
    taken = v11_roster[1]  # in the first group

    with pytest.raises(ValidationError) as refused:
        make_group(village_secretary, tree.v11, "第三党小组", v11_roster[5], [v11_roster[5], taken])

    message = " ".join(refused.value.message_dict["members"])
    assert taken.name in message and first.name in message
    assert not PartyGroup.objects.filter(name="第三党小组").exists()


def test_moving_a_member_into_another_group_is_refused_on_change(tree, village_secretary, v11_roster, v11_groups):
    first, second = v11_groups

    with pytest.raises(ValidationError) as refused:
        actions.party_group_save(actor=village_secretary, group=second, members=[*v11_roster[4:], v11_roster[0]])

    assert first.name in " ".join(refused.value.messages)
    assert v11_roster[0].pk not in set(second.members.values_list("pk", flat=True))
    # Saving a group with its own members again is fine (it does not conflict with itself).
    actions.party_group_save(actor=village_secretary, group=second, members=v11_roster[4:])


def test_a_dissolved_group_frees_its_members(tree, village_secretary, v11_roster, v11_groups):
    first, _second = v11_groups
    first.dissolved_on = timezone.localdate() - datetime.timedelta(days=1)
    actions.party_group_save(actor=village_secretary, group=first, members=v11_roster[:4])

    group = make_group(village_secretary, tree.v11, "新党小组", v11_roster[0], v11_roster[:4])

    assert set(group.members.values_list("pk", flat=True)) == {m.pk for m in v11_roster[:4]}


def test_groups_of_another_village_do_not_count(tree, gb_secretary, v11_groups):
    group = make_group(gb_secretary, tree.v12, "西庄党小组", tree.members["v12"][0], tree.members["v12"])

    assert group.pk is not None


def test_the_admin_refuses_a_member_of_another_group(client_as, superuser, tree, v11_roster, v11_groups):
    first, _second = v11_groups
    data = {
        "village": tree.v11.pk,
        "name": "第三党小组",
        "leader": v11_roster[5].pk,
        "formed_on": ELECTED.isoformat(),
        "dissolved_on": "",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-member": v11_roster[5].pk,
        "memberships-1-member": v11_roster[1].pk,
    }

    response = client_as(superuser).post("/admin/branches/partygroup/add/", data, follow=True)

    page = response.content.decode()
    assert v11_roster[1].name in page and first.name in page
    assert not PartyGroup.objects.filter(name="第三党小组").exists()


def test_the_group_page_names_the_member_and_the_other_group_at_the_field(
    client_as, tree, village_secretary, v11_roster, v11_groups
):
    data = {"name": "第三党小组", "leader": v11_roster[5].pk, "formed_on": "2024-03-01", "members": [v11_roster[2].pk]}

    response = client_as(village_secretary).post(f"/org/{tree.v11.pk}/party-groups/add/", data)

    messages = kit.shows_errors(response, "members")
    assert any(v11_roster[2].name in m and v11_groups[0].name in m for m in messages)
    assert response.context["form"]["name"].value() == "第三党小组"
    assert not PartyGroup.objects.filter(name="第三党小组").exists()
