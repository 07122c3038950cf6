"""The dashboard's to-do items of meetings: a meeting of one's own organization past its date and not recorded, and
the held meetings of the level below waiting for review, counted for each person without those of other branches
(the count reads the meetings by their organizations' keys, and checks the scope row by row)."""

import datetime

from django.utils import translation

from branches.choices import MeetingKind
from branches.todo import todo_items

from ..conftest import plan
from .conftest import record, today


def meeting_items(user) -> dict[str, str]:
    with translation.override("en"):
        return {item["label"]: item["url"] for item in todo_items(user) if "/meetings/" in item["url"]}


def test_due_and_held_meetings_wait_for_the_right_people(
    tree, village_secretary, gb_secretary, gb2_secretary, town_cadre
):
    yesterday = today() - datetime.timedelta(days=1)
    plan(village_secretary, tree.v11, planned_for=yesterday)  # due, not recorded: v11's secretary records it
    plan(village_secretary, tree.v11, title="明天", planned_for=today() + datetime.timedelta(days=1))  # not yet due
    record(village_secretary, plan(village_secretary, tree.v11, title="已开"))  # held: g1 reviews it
    record(gb2_secretary, plan(gb2_secretary, tree.v21, title="南营"))  # held in g2: not g1's
    record(gb_secretary, plan(gb_secretary, tree.g1, kind=MeetingKind.WORK_MEETING, title="例会"))  # the town's

    assert meeting_items(village_secretary) == {"Record 1 meeting that was due": "/meetings/?overdue=on"}
    assert meeting_items(gb_secretary) == {"Review 1 meeting": "/meetings/?status=held"}
    assert meeting_items(gb2_secretary) == {"Review 1 meeting": "/meetings/?status=held"}
    assert meeting_items(town_cadre) == {"Review 1 meeting": "/meetings/?status=held"}
