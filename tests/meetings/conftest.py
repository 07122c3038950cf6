"""Shared helpers and fixtures of the meeting tests: planning and recording through the services, what a browser
posts from the record page, and three meetings (v11's planned and held, g1's work meeting).

The tree and personas come from tests/conftest.py: g1 (v11 东庄, v12 西庄) and g2 (v21 南营, v22 北营) under the
town; `village_secretary` is v11's, `gb_secretary` g1's, `gb2_secretary` g2's, `deputy` g1's deputy (sees, no change).
"""

import pytest
from django.utils import timezone, translation

from branches import actions, selectors
from branches.choices import MeetingKind

from ..conftest import plan

STALE_TEXT = "Someone else saved this record after you opened it."


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read English messages: pages answer in English when the browser asks for nothing."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def today():
    return timezone.localdate()


def people_of(meeting):
    return selectors.meeting_attendees(meeting)


def record(actor, meeting, held_on=None, absent=None):
    """Record a meeting through the service with everyone present except `absent` ({key: reason})."""
    absent = absent or {}
    lines = [
        actions.AttendanceLine(
            member=p["member"], user=p["user"], present=p["key"] not in absent, absence_reason=absent.get(p["key"], "")
        )
        for p in people_of(meeting)
    ]
    return actions.meeting_record(
        actor=actor,
        meeting=meeting,
        version=meeting.version,
        held_on=held_on or today(),
        attendance=lines,
        place="村委会",
        host="主持人",
        recorder="记录人",
    )


def record_form(meeting, *, absent=None, **overrides):
    """What a browser posts from the record page: everyone present except `absent` ({key: reason})."""
    absent = absent or {}
    data = {
        "title": meeting.title,
        "held_on": today().isoformat(),
        "place": "村委会会议室",
        "host": "张书记",
        "recorder": "李委员",
        "observers": "",
        "topics": "学习",
        "minutes": "讨论情况",
        "decisions": "举手表决，全票通过",
        "version": str(meeting.version),
    }
    for p in people_of(meeting):
        if p["key"] in absent:
            data[f"reason_{p['key']}"] = absent[p["key"]]
        else:
            data[f"present_{p['key']}"] = "on"
    data.update(overrides)
    return data


@pytest.fixture
def v11_meeting(tree, village_secretary):
    return plan(village_secretary, tree.v11)


@pytest.fixture
def v11_held(tree, village_secretary):
    meeting = plan(village_secretary, tree.v11)
    return record(village_secretary, meeting)


@pytest.fixture
def g1_work_meeting(tree, gb_secretary):
    return plan(gb_secretary, tree.g1, kind=MeetingKind.WORK_MEETING, title="十一月工作例会")


def page(name: str, meeting) -> str:
    """The meeting's page `name`: "detail", "record", "review" or "agenda"."""
    return f"/meetings/{meeting.pk}/" + ("" if name == "detail" else f"{name}/")
