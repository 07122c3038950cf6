"""The attendance list of a village meeting follows its kind (issue 8, done-when 1): a 支委会 lists the committee, a
党小组会 its group, a 党员大会, 党课 or 主题党日 every member (probationary members marked). The record page and the
service agree: a person off the list is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from branches import actions, selectors
from branches.choices import MeetingKind, MeetingStatus

from .. import kit
from ..conftest import plan
from ..factories import make_members
from ..meetings.conftest import record, record_form
from .conftest import make_group


def listed(response) -> list[str]:
    return [person["name"] for person, _present, _reason in response.context["attendance_form"].rows()]


def test_a_committee_meeting_lists_only_the_committee(client_as, tree, village_secretary, v11_roster, v11_committee):
    meeting = plan(village_secretary, tree.v11, kind=MeetingKind.BRANCH_COMMITTEE)

    response = client_as(village_secretary).get(f"/meetings/{meeting.pk}/record/")

    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(m.name for m in v11_roster[:3])
    page = response.content.decode()
    assert "secretary" in page and "organization member" in page
    assert v11_roster[5].name not in page


def test_recording_a_committee_meeting_asks_no_reason_of_other_members(
    client_as, tree, village_secretary, v11_roster, v11_committee
):
    meeting = plan(village_secretary, tree.v11, kind=MeetingKind.BRANCH_COMMITTEE)

    response = client_as(village_secretary).post(f"/meetings/{meeting.pk}/record/", record_form(meeting))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert sorted(a.member_id for a in meeting.attendance.all()) == sorted(m.pk for m in v11_roster[:3])


def test_a_party_group_meeting_lists_only_its_group(client_as, tree, village_secretary, v11_roster, v11_groups):
    first, _second = v11_groups
    meeting = actions.meeting_plan(
        actor=village_secretary,
        organization=tree.v11,
        kind=MeetingKind.PARTY_GROUP,
        title="第一党小组会",
        planned_for=meeting_day(),
        party_group=first,
    )

    response = client_as(village_secretary).get(f"/meetings/{meeting.pk}/record/")

    leader, *others = v11_roster[:4]
    assert listed(response) == [leader.name, *sorted(m.name for m in others)]  # the leader first
    assert "group leader" in response.content.decode()


@pytest.mark.parametrize("kind", [MeetingKind.BRANCH_ASSEMBLY, MeetingKind.PARTY_LECTURE, MeetingKind.THEMED_DAY])
def test_assembly_lecture_and_themed_day_list_every_member_probationary_marked(
    client_as, tree, village_secretary, v11_roster, v11_committee, kind
):
    meeting = plan(village_secretary, tree.v11, kind=kind)

    response = client_as(village_secretary).get(f"/meetings/{meeting.pk}/record/")

    assert sorted(listed(response)) == sorted(m.name for m in v11_roster)
    roles = {person["name"]: person["role"] for person, _p, _r in response.context["attendance_form"].rows()}
    assert roles[v11_roster[-1].name] == "probationary member"
    assert roles[v11_roster[0].name] == "full member"


def test_without_a_committee_a_committee_meeting_lists_every_member_with_a_note(
    client_as, tree, village_secretary, v11_roster
):
    meeting = plan(village_secretary, tree.v11, kind=MeetingKind.BRANCH_COMMITTEE)

    response = client_as(village_secretary).get(f"/meetings/{meeting.pk}/record/")

    assert sorted(listed(response)) == sorted(m.name for m in v11_roster)
    assert "No branch committee of" in response.content.decode()


def test_the_service_refuses_a_member_off_the_committee(tree, village_secretary, v11_roster, v11_committee):
    meeting = plan(village_secretary, tree.v11, kind=MeetingKind.BRANCH_COMMITTEE)
    lines = [actions.AttendanceLine(member=m) for m in v11_roster[:4]]

    with pytest.raises(ValidationError) as refused:
        actions.meeting_record(
            actor=village_secretary, meeting=meeting, version=meeting.version, held_on=meeting_day(), attendance=lines
        )

    assert "has no seat on the branch committee" in str(refused.value)


def test_a_committee_meeting_of_an_earlier_term_lists_that_term(tree, village_secretary, v11_roster, v11_committee):
    later = actions.committee_elect(
        actor=village_secretary,
        village=tree.v11,
        term_start=datetime.date(2025, 6, 1),
        seats=[actions.SeatLine(member=v11_roster[3], post="secretary")],
    )
    v11_committee.refresh_from_db()
    old = plan(village_secretary, tree.v11, planned_for=datetime.date(2025, 1, 10))
    new = plan(village_secretary, tree.v11, planned_for=datetime.date(2025, 7, 10))

    assert [p["member"] for p in selectors.meeting_attendees(old)] == v11_roster[:3]  # secretary first
    assert [p["member"] for p in selectors.meeting_attendees(new)] == [v11_roster[3]]
    assert later.term_start == datetime.date(2025, 6, 1)
    assert v11_committee.term_end == datetime.date(2025, 5, 31)


def test_the_record_page_runs_the_same_queries_for_3_and_30_committee_and_group_members(
    client_as, tree, village_secretary, v11_roster, v11_committee
):
    client = client_as(village_secretary)

    def pages(meetings):
        return tuple(kit.page_queries(client, f"/meetings/{m.pk}/record/") for m in meetings)

    def small():
        group = make_group(village_secretary, tree.v11, "小组", v11_roster[0], v11_roster[:3])
        return _three_meetings(village_secretary, tree, group)

    def large():
        more = make_members(tree.v11, 27, prefix="大")
        group = make_group(village_secretary, tree.v11, "大组", more[0], more)
        return _three_meetings(village_secretary, tree, group)

    kit.assert_flat(pages, small, large)


def _three_meetings(actor, tree, group):
    return [
        plan(actor, tree.v11, kind=MeetingKind.BRANCH_COMMITTEE),
        actions.meeting_plan(
            actor=actor,
            organization=tree.v11,
            kind=MeetingKind.PARTY_GROUP,
            title="党小组会",
            planned_for=meeting_day(),
            party_group=group,
        ),
        plan(actor, tree.v11, kind=MeetingKind.BRANCH_ASSEMBLY),
    ]


def meeting_day():
    return timezone.localdate()


def test_recording_through_the_helper_still_works(tree, village_secretary, v11_roster, v11_committee):
    meeting = record(village_secretary, plan(village_secretary, tree.v11))

    assert meeting.attendance.count() == 3
