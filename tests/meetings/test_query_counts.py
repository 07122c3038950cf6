"""No N+1: the meeting lists and a meeting's pages run the same queries for 3 and for 30 meetings or members."""

import pytest

from branches.choices import MeetingKind, MeetingStatus
from branches.models import Meeting, MeetingAttendance

from .. import kit
from ..conftest import plan
from ..factories import make_members
from .conftest import page, record_form, today


def _meetings(n, tree, creator):
    """n meetings spread over the villages, every one held with its three members' attendance."""
    villages = [tree.v11, tree.v12, tree.v21, tree.v22]
    meetings = Meeting.objects.bulk_create(
        Meeting(
            organization=villages[i % 4],
            general_branch=villages[i % 4].parent,
            kind=MeetingKind.BRANCH_COMMITTEE,
            status=MeetingStatus.HELD,
            title=f"会议{i}",
            planned_for=today(),
            held_on=today(),
            created_by=creator,
        )
        for i in range(n)
    )
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=m, member=member, present=True)
        for m in meetings
        for member in tree.members[next(k for k in ("v11", "v12", "v21", "v22") if getattr(tree, k) == m.organization)]
    )
    return meetings


@pytest.mark.parametrize("path", ["/meetings/", "/api/meetings/", "/meetings/?export=xlsx"])
def test_lists_run_the_same_queries_for_3_and_30_meetings(client_as, tree, town_cadre, path):
    client = client_as(town_cadre)

    kit.assert_flat(
        lambda _: kit.page_queries(client, path),
        small=lambda: _meetings(3, tree, town_cadre),
        large=lambda: _meetings(27, tree, town_cadre),
    )


def test_record_and_detail_pages_run_the_same_queries_for_3_and_30_members(client_as, tree, village_secretary):
    client = client_as(village_secretary)

    def record_then_read(meeting):
        """The queries of the record page of a planned meeting, and of its minutes once recorded."""
        record_page = kit.page_queries(client, page("record", meeting))
        assert client.post(page("record", meeting), record_form(meeting)).status_code == 302
        return record_page, kit.page_queries(client, page("detail", meeting))

    def thirty_members():
        make_members(tree.v11, 27, prefix="新")
        return plan(village_secretary, tree.v11)

    kit.assert_flat(record_then_read, small=lambda: plan(village_secretary, tree.v11), large=thirty_members)
