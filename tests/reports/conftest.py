"""Shared helpers and fixtures of the monthly-report tests: the months (computed here, independently of the code
under test), the people of the workflow, and meetings and reports made through the services.

The small tree of tests/conftest.py: g1 (v11, v12; deputy dep1 liaises with both) and g2 (v21, v22; no liaison
deputy). Pages are read in English (a language cookie), so that the assertions hold whatever the Chinese catalogue
says.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from branches import actions
from branches.choices import MeetingKind, ReportStatus, Role
from branches.models import MonthlyReport, PartyMember

from ..conftest import plan
from ..factories import PositionFactory, UserFactory, whole_village_group

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)


def shift(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month `n` months from `month` (computed here, independently of the code under test)."""
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return datetime.date(y, m + 1, 1)


def due(month: datetime.date) -> datetime.date:
    return shift(month, 1).replace(day=settings.REPORT_DUE_DAY)


LAST_MONTH = shift(THIS_MONTH, -1)
PAST_MONTH = shift(THIS_MONTH, -2)  # always past its due date


@pytest.fixture
def people(tree, town_cadre, gb_secretary, gb2_secretary, village_secretary, neighbour_secretary, deputy, outsider):
    """The personas of conftest plus the secretaries of v21 and v22."""
    secretaries = {"v11": village_secretary, "v12": neighbour_secretary}
    for key in ("v21", "v22"):
        user = UserFactory(username=f"sec-{key}", full_name=f"sec-{key}")
        PositionFactory(user=user, organization=getattr(tree, key), role=Role.VILLAGE_SECRETARY)
        secretaries[key] = user
    return {
        "town": town_cadre,
        "gb1": gb_secretary,
        "gb2": gb2_secretary,
        "dep1": deputy,
        "outsider": outsider,
        "sec": secretaries,
    }


@pytest.fixture
def en(client_as):
    """`en(user)`: a logged-in client whose pages are in English."""

    def make(user):
        client = client_as(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def hold(village, kind, on, actor, *, absent: int = 0, members=None):
    """A meeting recorded as held through the meeting services, with every current member on the list."""
    group = whole_village_group(village) if kind == MeetingKind.PARTY_GROUP else None
    meeting = actions.meeting_plan(
        actor=actor, organization=village, kind=kind, title=f"{kind} {on}", planned_for=on, party_group=group
    )
    members = members if members is not None else list(PartyMember.objects.filter(branch=village).order_by("pk"))
    lines = [
        actions.AttendanceLine(member=m, present=i >= absent, absence_reason="" if i >= absent else "病假")
        for i, m in enumerate(members)
    ]
    return actions.meeting_record(actor=actor, meeting=meeting, version=meeting.version, held_on=on, attendance=lines)


def write(village, secretary, month, narrative="本月开展了组织生活。", **text):
    report = actions.report_start(actor=secretary, village=village, month=month)
    return actions.report_save(
        actor=secretary,
        report=report,
        version=report.version,
        narrative=narrative,
        problems=text.get("problems", ""),
        requests=text.get("requests", ""),
    )


def make_report(people, tree, key, month, status, *, submitted_on=None, **text):
    """A report of village `key` brought to `status` through the services; `submitted_on` backdates its first
    submission (test data for lateness)."""
    village, secretary = getattr(tree, key), people["sec"][key]
    report = write(village, secretary, month, **text)
    if status == ReportStatus.DRAFT:
        return report
    report = actions.report_submit(actor=secretary, report=report)
    has_deputy = key in ("v11", "v12")
    secretary_above = people["gb1"] if has_deputy else people["gb2"]
    if status == ReportStatus.RETURNED:
        reviewer = people["dep1"] if has_deputy else secretary_above
        report = actions.report_return(actor=reviewer, report=report, reason="请补充党员大会情况")
    if status in (ReportStatus.CHECKED, ReportStatus.APPROVED) and has_deputy:
        report = actions.report_check(actor=people["dep1"], report=report)
    if status == ReportStatus.APPROVED:
        report = actions.report_approve(actor=secretary_above, report=report)
    if submitted_on is not None:
        at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(10, 0)))
        MonthlyReport.objects.filter(pk=report.pk).update(first_submitted_at=at, submitted_at=at)
        report.refresh_from_db()
    return report


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def draft(people, tree):
    """This month's report of v11, a draft."""
    return make_report(people, tree, "v11", THIS_MONTH, ReportStatus.DRAFT)


@pytest.fixture
def work_meeting(people, tree):
    """A work meeting of g1: its pack holds the reports of v11 and v12."""
    return plan(people["gb1"], tree.g1, kind=MeetingKind.WORK_MEETING, title="十一月工作例会")
