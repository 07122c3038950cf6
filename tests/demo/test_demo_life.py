"""The demo's year of branch life (issue 3): meetings, deployed tasks and monthly reports on the demo town.

The demo is the package's fixture (tests/demo/conftest.py), loaded once; each test runs in a savepoint of its own on
top of it.
"""

import datetime
import io
import types
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db.models import Count, Max
from django.utils import timezone

from anding.models import AuditEvent
from branches import actions, demo
from branches.choices import (
    CommitteePost,
    MeetingKind,
    MeetingStatus,
    MemberStatus,
    OrgKind,
    ReportStatus,
    Role,
    TaskAssignmentStatus,
)
from branches.models import (
    AgendaItem,
    BranchCommittee,
    CommitteeSeat,
    Meeting,
    MeetingAttendance,
    MonthlyReport,
    Organization,
    PartyGroup,
    PartyGroupMembership,
    Position,
    ReportTransition,
    Task,
    TaskAssignment,
    TaskProgress,
    report_due_date,
    submission_opens,
)

pytestmark = pytest.mark.django_db

VILLAGE_KINDS_MONTHLY = (MeetingKind.BRANCH_COMMITTEE, MeetingKind.PARTY_GROUP, MeetingKind.THEMED_DAY)


def add_months(month, n):
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


@pytest.fixture(scope="module")
def life(request, django_db_blocker):
    """The demo (the package's fixture, tests/demo/conftest.py) and the months it covers."""
    output = request.getfixturevalue("demo")  # not a parameter: `demo` here names the module branches.demo
    with django_db_blocker.unblock():
        today = timezone.localdate()
        current = today.replace(day=1)
        villages = list(Organization.objects.filter(kind=OrgKind.VILLAGE).order_by("code"))
        return types.SimpleNamespace(
            output=output,
            today=today,
            current=current,
            last=add_months(current, -1),
            past=[add_months(current, -k) for k in range(12, 0, -1)],  # the 12 full months before this one
            villages=villages,
            generals=list(Organization.objects.filter(kind=OrgKind.GENERAL).order_by("code")),
            town=Organization.objects.get(code=demo.TOWN_CODE),
        )


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Meeting,
            MeetingAttendance,
            AgendaItem,
            MonthlyReport,
            ReportTransition,
            Task,
            TaskAssignment,
            TaskProgress,
            AuditEvent,
        )
    }


# Output and idempotency --------------------------------------------------------------------------------------


def test_the_load_prints_one_line_per_step(life):
    for label in ("Deployed tasks:", "Village meetings:", "Work meetings:", "Leadership meetings:", "Monthly reports:"):
        assert label in life.output


def test_a_second_load_adds_nothing(life):
    before = counts()

    call_command("load_demo", stdout=io.StringIO())

    assert counts() == before


def test_the_tree_is_still_sound(life):
    out = io.StringIO()
    call_command("check_tree", stdout=out)
    assert "sound" in out.getvalue()


def test_nothing_is_dated_in_the_future(life):
    now = timezone.now()
    latest = [
        MonthlyReport.objects.aggregate(a=Max("first_submitted_at"), b=Max("submitted_at"), c=Max("approved_at")),
        ReportTransition.objects.aggregate(a=Max("at")),
        TaskProgress.objects.aggregate(a=Max("reported_at")),
        Meeting.objects.aggregate(a=Max("reviewed_at"), b=Max("held_on")),
        TaskAssignment.objects.aggregate(a=Max("completed_on")),
    ]
    for row in latest:
        for value in row.values():
            assert value is not None
            if isinstance(value, datetime.datetime):
                assert value <= now
            else:
                assert value <= life.today


# Monthly reports ---------------------------------------------------------------------------------------------


def test_every_village_reports_every_past_month_but_a_few_of_last_month(life):
    have = set(MonthlyReport.objects.filter(month__in=life.past).values_list("village_id", "month"))

    missing = [(v.pk, m) for v in life.villages for m in life.past if (v.pk, m) not in have]

    assert {month for _, month in missing} == {life.last}
    assert 2 <= len(missing) <= 3
    assert MonthlyReport.objects.filter(month__lt=life.past[0]).count() == 0


def test_reports_before_last_month_are_all_approved_some_late_some_returned(life):
    older = MonthlyReport.objects.filter(month__in=life.past[:-1])
    assert set(older.values_list("status", flat=True)) == {ReportStatus.APPROVED}

    late = [r for r in older if r.is_late]
    assert 0.05 <= len(late) / older.count() <= 0.2
    for report in older:
        submitted = timezone.localdate(report.first_submitted_at)
        assert submitted > report.month  # in the next month
        if report in late:
            assert submitted > report_due_date(report.month)
        else:
            assert submitted.day <= report_due_date(report.month).day

    returned = older.filter(transitions__to_status=ReportStatus.RETURNED).distinct()
    assert 0.04 <= returned.count() / older.count() <= 0.15
    for report in returned:
        steps = list(report.transitions.order_by("at", "id"))
        back = next(t for t in steps if t.to_status == ReportStatus.RETURNED)
        assert back.comment  # the reason
        assert back.actor_id in {report.checked_by_id, report.approved_by_id}
        assert report.submitted_at > report.first_submitted_at  # resubmitted after the return
        assert steps[-1].to_status == ReportStatus.APPROVED


def test_report_history_is_in_order_and_matches_the_audit_trail(life):
    times = defaultdict(list)
    for report_id, at in ReportTransition.objects.order_by("report_id", "id").values_list("report_id", "at"):
        times[report_id].append(at)
    assert times
    for series in times.values():
        assert series == sorted(series)

    by_status = Counter(ReportTransition.objects.values_list("to_status", flat=True))
    for status in (ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.RETURNED, ReportStatus.APPROVED):
        assert AuditEvent.objects.filter(action=f"report_{status}").count() == by_status[status] > 0


def test_approved_reports_are_reviewed_by_the_liaison_deputy_and_the_secretary(life):
    report = (
        MonthlyReport.objects.filter(month=life.past[0], status=ReportStatus.APPROVED)
        .select_related("village__parent")
        .first()
    )
    deputies = set(
        Position.objects.filter(role=Role.DEPUTY_SECRETARY, liaison_villages=report.village).values_list(
            "user_id", flat=True
        )
    )
    secretary = Position.objects.get(role=Role.GENERAL_SECRETARY, organization=report.village.parent)

    assert report.checked_by_id in deputies
    assert report.approved_by_id == secretary.user_id
    assert report.submitted_by.positions.filter(role=Role.VILLAGE_SECRETARY, organization=report.village).exists()


def test_last_month_is_partly_approved_partly_awaiting_review(life):
    statuses = Counter(MonthlyReport.objects.filter(month=life.last).values_list("status", flat=True))

    assert statuses[ReportStatus.APPROVED] >= len(life.villages) // 2
    assert statuses[ReportStatus.SUBMITTED] >= 1  # waits for the liaison deputy
    assert statuses[ReportStatus.CHECKED] >= 1  # waits for the general-branch secretary
    assert 1 <= statuses[ReportStatus.DRAFT] <= 2
    assert statuses[ReportStatus.RETURNED] >= 1


def test_the_current_month_is_partly_drafted_and_submitted_once_its_window_opens(life):
    statuses = Counter(MonthlyReport.objects.filter(month=life.current).values_list("status", flat=True))
    n = len(life.villages)

    assert n // 4 <= statuses[ReportStatus.DRAFT] <= n // 2
    if life.today >= submission_opens(life.current):
        assert statuses[ReportStatus.SUBMITTED] >= 1
        assert set(statuses) == {ReportStatus.DRAFT, ReportStatus.SUBMITTED}
    else:  # a month's report is submitted when the month is over (issue 8)
        assert set(statuses) == {ReportStatus.DRAFT}
    assert sum(statuses.values()) < n  # the rest have not started


def test_a_reports_figures_match_the_meetings_of_its_month(life):
    for report in MonthlyReport.objects.filter(month__in=[life.past[0], life.last], status=ReportStatus.APPROVED)[:10]:
        held = Meeting.objects.filter(
            organization=report.village,
            status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED],
            held_on__year=report.month.year,
            held_on__month=report.month.month,
        )
        assert report.figures["meetings"] == dict(Counter(held.values_list("kind", flat=True)))
        assert report.figures["attendance"]["total"] == MeetingAttendance.objects.filter(meeting__in=held).count()


# Meetings ----------------------------------------------------------------------------------------------------


def test_villages_hold_their_monthly_meetings_with_a_few_gaps(life):
    held = set(
        Meeting.objects.filter(
            organization__kind=OrgKind.VILLAGE,
            status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED],
            held_on__gte=life.past[0],
            held_on__lt=life.current,
        ).values_list("organization_id", "kind", "held_on__year", "held_on__month")
    )
    n = len(life.villages)
    gaps = 0
    for month in life.past:
        for kind in VILLAGE_KINDS_MONTHLY:
            holding = sum((v.pk, kind, month.year, month.month) in held for v in life.villages)
            assert holding >= 0.7 * n, (month, kind)
            gaps += n - holding
    assert gaps > 0  # the overview has something to show
    every_month = {(v, m) for v, _, _, m in held}
    assert len(every_month) >= 0.95 * n * len(life.past)


def test_quarterly_and_yearly_meetings(life):
    held = Meeting.objects.filter(status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED])
    quarters = [m for m in life.past if m.month % 3 == 1 and add_months(m, 2) in life.past]
    assert quarters
    for first in quarters:
        window = held.filter(held_on__gte=first, held_on__lt=add_months(first, 3))
        for kind in (MeetingKind.BRANCH_ASSEMBLY, MeetingKind.PARTY_LECTURE):
            assert window.filter(kind=kind).values("organization").distinct().count() == len(life.villages)

    december = next(m for m in life.past + [life.current] if m.month == 12)
    if december < life.current:
        assert held.filter(kind=MeetingKind.ORG_LIFE, held_on__year=december.year).count() == len(life.villages)

    quarter_start = life.current.replace(month=(life.current.month - 1) // 3 * 3 + 1)
    lectures = held.filter(kind=MeetingKind.PARTY_LECTURE, held_on__gte=quarter_start)
    assert 1 <= len(life.villages) - lectures.values("organization").distinct().count() <= 8


def test_village_meetings_have_minutes_attendance_and_reviews(life):
    meetings = Meeting.objects.filter(organization__kind=OrgKind.VILLAGE, held_on__lt=life.current)
    assert not meetings.filter(status=MeetingStatus.PLANNED).exists()
    reviewed = meetings.filter(status=MeetingStatus.REVIEWED)
    assert reviewed.count() >= 0.75 * meetings.count()
    assert not reviewed.filter(review_comment="").exists()

    recent = meetings.filter(kind=MeetingKind.BRANCH_ASSEMBLY).order_by("-held_on").first()
    for name in ("title", "place", "host", "recorder", "topics", "minutes", "decisions"):
        assert getattr(recent, name)
    lines = recent.attendance.select_related("member")
    assert lines.filter(present=True).count() > lines.filter(present=False).count() > 0
    assert not lines.filter(present=False, absence_reason="").exists()
    assert {line.member.branch_id for line in lines} == {recent.organization_id}

    secretaries = dict(Position.objects.filter(role=Role.GENERAL_SECRETARY).values_list("organization_id", "user_id"))
    for meeting in reviewed.select_related("organization")[:20]:
        assert meeting.reviewed_by_id == secretaries[meeting.organization.parent_id]
        assert timezone.localdate(meeting.reviewed_at) >= meeting.held_on


def test_this_month_has_held_and_planned_meetings(life):
    this_month = Meeting.objects.filter(planned_for__gte=life.current)
    statuses = set(this_month.values_list("status", flat=True))
    if life.today.day > 10:  # the first meetings of a month fall on its 2nd to 10th day
        assert MeetingStatus.HELD in statuses
    if life.today < add_months(life.current, 1) - datetime.timedelta(days=1):  # meetings later this month
        assert MeetingStatus.PLANNED in statuses
    assert not this_month.filter(status=MeetingStatus.PLANNED, held_on__isnull=False).exists()


def test_general_branches_hold_a_work_meeting_each_month(life):
    meetings = Meeting.objects.filter(kind=MeetingKind.WORK_MEETING)
    per_month = Counter(m.replace(day=1) for m in meetings.values_list("planned_for", flat=True))
    assert set(per_month) == {*life.past, life.current}
    assert set(per_month.values()) == {len(life.generals)}

    town_cadre = Position.objects.get(role=Role.TOWN_CADRE, organization=life.town).user_id
    past = meetings.filter(held_on__lt=life.current)
    assert set(past.values_list("status", flat=True)) == {MeetingStatus.REVIEWED}
    assert set(past.values_list("reviewed_by", flat=True)) == {town_cadre}

    items = AgendaItem.objects.filter(meeting__in=meetings)
    assert items.filter(task__isnull=False).exists()
    assert items.filter(village__isnull=False).exists()
    for item in items.filter(village__isnull=False).select_related("village", "meeting")[:20]:
        assert item.village.parent_id == item.meeting.organization_id

    meeting = past.first()
    officers = set(
        Position.objects.filter(organization=meeting.organization).values_list("user_id", flat=True).distinct()
    )
    attended = set(meeting.attendance.values_list("user_id", flat=True))
    assert attended == officers


def test_the_town_leadership_meeting_hears_the_general_branches_each_month(life):
    meetings = Meeting.objects.filter(kind=MeetingKind.LEADERSHIP, organization=life.town)
    assert {m.replace(day=1) for m in meetings.values_list("planned_for", flat=True)} == {*life.past, life.current}
    town_cadre = Position.objects.get(role=Role.TOWN_CADRE, organization=life.town).user_id
    for meeting in meetings.filter(status=MeetingStatus.HELD):
        assert "听取各联村党总支工作汇报" in meeting.title
        assert meeting.attendance.filter(user_id=town_cadre, present=True).exists()


# Tasks -------------------------------------------------------------------------------------------------------


def test_tasks_are_deployed_every_month_and_reported_on(life):
    tasks = Task.objects.all()
    per_month = Counter(d.replace(day=1) for d in tasks.values_list("issued_on", flat=True))
    for month in life.past:
        assert 2 <= per_month[month] <= 3
    assert tasks.filter(issued_by=life.town).exists()
    assert tasks.filter(issued_by__kind=OrgKind.GENERAL).exists()

    statuses = Counter(TaskAssignment.objects.values_list("status", flat=True))
    assert all(statuses[s] > 0 for s in TaskAssignmentStatus.values)
    assert statuses[TaskAssignmentStatus.DONE] > statuses[TaskAssignmentStatus.IN_PROGRESS]

    overdue = TaskAssignment.objects.exclude(status=TaskAssignmentStatus.DONE).filter(task__due_date__lt=life.today)
    assert overdue.exists()
    old = TaskAssignment.objects.filter(task__due_date__lt=life.past[6])
    assert old.filter(status=TaskAssignmentStatus.DONE).count() >= 0.8 * old.count()


def test_task_progress_is_reported_by_the_assignees(life):
    done = TaskAssignment.objects.filter(status=TaskAssignmentStatus.DONE).select_related("task")
    for assignment in done[:30]:
        assert assignment.task.issued_on <= assignment.completed_on <= life.today
    progress = TaskProgress.objects.select_related("assignment__assignee")[:30]
    for report in progress:
        assert Position.objects.filter(
            user=report.reported_by,
            organization=report.assignment.assignee,
            role__in=[Role.GENERAL_SECRETARY, Role.VILLAGE_SECRETARY],
        ).exists()
    assert AuditEvent.objects.filter(action="task_progress").count() == TaskProgress.objects.count()


def test_a_general_branch_deploys_only_to_its_own_villages(life):
    for task in Task.objects.filter(issued_by__kind=OrgKind.GENERAL).annotate(n=Count("assignments")):
        assert task.n > 0
        parents = set(task.assignments.values_list("assignee__parent_id", flat=True))
        assert parents == {task.issued_by_id}


# Committees and party groups -----------------------------------------------------------------------------------


def test_every_village_has_a_committee_and_party_groups_covering_its_members(life):
    for village in life.villages:
        committee = BranchCommittee.objects.filter(village=village).on().get()
        seats = list(committee.seats.select_related("member"))
        assert 3 <= len(seats) <= 5, village
        assert [s.post for s in seats].count(CommitteePost.SECRETARY) == 1
        assert all(s.member.branch_id == village.pk and s.member.status == MemberStatus.FULL for s in seats)
        groups = PartyGroup.objects.filter(village=village)
        assert 2 <= groups.count() <= 3
        covered = set(PartyGroupMembership.objects.filter(group__in=groups).values_list("member", flat=True))
        assert covered == set(village.members.current().values_list("pk", flat=True))


def test_zhanshang_committee_meeting_lists_only_its_committee(life, client):
    """Issue 8, done-when 1, on the demo: recording a 支委会 of 站上村 lists its committee, not its 33 members."""
    zhanshang = Organization.objects.get(name="站上村党支部")
    secretary = Position.objects.get(organization=zhanshang, role=Role.VILLAGE_SECRETARY).user
    seats = set(CommitteeSeat.objects.filter(committee__village=zhanshang).values_list("member", flat=True))

    def plan(kind, title):
        return actions.meeting_plan(
            actor=secretary, organization=zhanshang, kind=kind, title=title, planned_for=life.today
        )

    meeting = plan(MeetingKind.BRANCH_COMMITTEE, "支委会")
    client.force_login(secretary)

    response = client.get(f"/meetings/{meeting.pk}/record/")

    listed = {person["member"].pk for person, _p, _r in response.context["attendance_form"].rows()}
    assert listed == seats
    assert zhanshang.members.current().count() > len(seats)
    assembly = plan(MeetingKind.BRANCH_ASSEMBLY, "党员大会")
    response = client.get(f"/meetings/{assembly.pk}/record/")
    assert len(response.context["attendance_form"].rows()) == zhanshang.members.current().count()


def test_party_group_meetings_of_the_demo_name_their_group_and_list_its_members(life):
    meetings = Meeting.objects.filter(kind=MeetingKind.PARTY_GROUP, status=MeetingStatus.REVIEWED)
    assert not meetings.filter(party_group__isnull=True).exists()
    meeting = meetings.select_related("party_group").order_by("-held_on").first()
    group_members = set(meeting.party_group.members.values_list("pk", flat=True))
    assert set(meeting.attendance.values_list("member", flat=True)) <= group_members
