"""The branches' records over the years, town by town (bounded memory): 三会一课 and themed party days in every
village, the general branches' monthly work meetings and the towns' leadership meetings; a monthly report per
village (the last month still being reviewed, the current one not yet due; the last year's with their
workflow steps); organization-building guidance (one
power case per village every other year); and tasks the town deploys to its villages, four a year. Shapes follow
the demo (branches/demo), with its rates of missed meetings."""

import datetime
import random

from django.utils import timezone

from ..choices import MeetingKind, MeetingStatus, ReportStatus, TaskAssignmentStatus
from ..models import Meeting, MonthlyReport, OrganizationGuidance, ReportTransition, Task, TaskAssignment
from .bulk import insert
from .plan import Node

__all__ = ["insert_records", "months_back"]

TITLES = {
    MeetingKind.BRANCH_ASSEMBLY: "党员大会",
    MeetingKind.BRANCH_COMMITTEE: "支部委员会",
    MeetingKind.PARTY_GROUP: "党小组会",
    MeetingKind.PARTY_LECTURE: "党课",
    MeetingKind.THEMED_DAY: "主题党日",
    MeetingKind.ORG_LIFE: "组织生活会",
    MeetingKind.WORK_MEETING: "联村工作例会",
    MeetingKind.LEADERSHIP: "党委会",
}
NARRATIVES = [
    "组织党员开展主题党日活动，学习党的创新理论。",
    "完成人居环境整治，清理村内垃圾。",
    "走访困难党员和群众，解决实际困难。",
]
PROBLEMS = ["", "", "部分流动党员参加学习不及时。", "活动场所设施老化。"]
GUIDANCE = ["指导规范三会一课记录", "指导做好发展党员工作", "指导完善村级组织活动场所", "指导加强班子建设"]


def months_back(today: datetime.date, years: int) -> list[datetime.date]:
    """The first days of the `years` × 12 months before the current one, oldest first."""
    first = today.replace(day=1)
    months = []
    for _ in range(12 * years):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def insert_records(towns: list[Node], users: dict, seed: int, today: datetime.date, years: int, progress) -> dict:
    months = months_back(today, years)
    villages = sum(len(g.children) for t in towns for g in t.children)
    counts = dict.fromkeys(["meetings", "reports", "report steps", "power cases", "tasks", "task assignments"], 0)
    progress.stage("meetings, reports, cases, tasks", villages)
    for town in towns:
        rng = random.Random(f"{seed}-records-{town.index}")
        meetings, reports, cases = [], [], []
        for general in town.children:
            meetings += _general_meetings(rng, general, users, months, today)
            for village in general.children:
                meetings += _village_meetings(rng, village, users, months, today)
                reports += _reports(rng, village, users, months, today)
                cases += _guidance(rng, village, users, months, today)
        meetings += [
            _meeting(town, None, MeetingKind.LEADERSHIP, m.replace(day=rng.randint(3, 10)), users[town.pk], today)
            for m in months
        ]
        insert(Meeting, meetings)
        transitions = _transitions(reports, insert(MonthlyReport, reports), months[-12:])
        insert(ReportTransition, transitions)
        insert(OrganizationGuidance, cases)
        tasks, assignments = _tasks(rng, town, users, months, today)
        counts["meetings"] += len(meetings)
        counts["reports"] += len(reports)
        counts["report steps"] += len(transitions)
        counts["power cases"] += len(cases)
        counts["tasks"] += tasks
        counts["task assignments"] += assignments
        progress.advance(sum(len(g.children) for g in town.children))
    return counts


def _meeting(org: Node, general: Node | None, kind, day, user, today) -> dict:
    held = day <= today
    return dict(
        organization_id=org.pk,
        general_branch_id=general.pk if general else None,
        kind=kind,
        status=(MeetingStatus.REVIEWED if day < today - datetime.timedelta(days=40) else MeetingStatus.HELD)
        if held
        else MeetingStatus.PLANNED,
        title=f"{day:%Y年%m月}{TITLES[kind]}",
        planned_for=day,
        held_on=day if held else None,
        place="党员活动室",
        created_by_id=user,
        updated_by_id=user,
    )


def _village_meetings(rng, village: Node, users, months, today) -> list[dict]:
    """The demo's schedule: monthly committee, party group and themed day (each missed now and then), assembly
    and lecture once a quarter, the organizational-life meeting in December."""
    user = users[village.pk]
    general = village.parent
    meetings = []
    for month in months:
        plan = []
        if rng.random() >= 0.08:
            plan.append((MeetingKind.BRANCH_COMMITTEE, rng.randint(2, 8)))
        if rng.random() >= 0.05:
            plan.append((MeetingKind.PARTY_GROUP, rng.randint(9, 20)))
        if rng.random() >= 0.04:
            plan.append((MeetingKind.THEMED_DAY, rng.choice([10, 15, 15, 20, 25])))
        if month.month % 3 == 0:
            plan += [
                (MeetingKind.BRANCH_ASSEMBLY, rng.randint(18, 27)),
                (MeetingKind.PARTY_LECTURE, rng.randint(18, 27)),
            ]
        if month.month == 12:
            plan.append((MeetingKind.ORG_LIFE, rng.randint(20, 28)))
        meetings += [_meeting(village, general, kind, month.replace(day=day), user, today) for kind, day in plan]
    return meetings


def _general_meetings(rng, general: Node, users, months, today) -> list[dict]:
    user = users[general.pk]
    return [
        _meeting(general, general, MeetingKind.WORK_MEETING, m.replace(day=rng.randint(1, 6)), user, today)
        for m in months
    ]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _reports(rng, village: Node, users, months, today) -> list[dict]:
    """Approved for every month but the last, which is still in review (or not yet submitted) in some villages."""
    writer, checker, approver = users[village.pk], users[village.parent.pk], users[village.parent.parent.pk]
    reports = []
    now = timezone.now()
    for n, month in enumerate(months):
        last = n == len(months) - 1
        roll = rng.random()
        if last and roll < 0.05:
            continue
        status = ReportStatus.APPROVED
        if last:
            status = ReportStatus.SUBMITTED if roll < 0.25 else ReportStatus.CHECKED if roll < 0.45 else status
        submitted = _at(min(month.replace(day=28), today), 10)
        reports.append(
            dict(
                village_id=village.pk,
                general_branch_id=village.parent.pk,
                month=month,
                status=status,
                narrative=rng.choice(NARRATIVES),
                problems=rng.choice(PROBLEMS),
                figures={"meetings": rng.randint(2, 5), "members_present": rng.randint(20, 60)},
                first_submitted_at=submitted,
                submitted_at=submitted,
                submitted_by_id=writer,
                checked_by_id=checker if status != ReportStatus.SUBMITTED else None,
                approved_by_id=approver if status == ReportStatus.APPROVED else None,
                approved_at=min(submitted + datetime.timedelta(days=3), now)
                if status == ReportStatus.APPROVED
                else None,
                created_by_id=writer,
                updated_by_id=writer,
            )
        )
    return reports


def _transitions(reports: list[dict], pks: list[int], recent: list) -> list[dict]:
    """The workflow steps of the last year's reports (older ones stand approved without their history), so that
    a report's page shows its steps and the waiting reviews are dated by them."""
    first = recent[0] if recent else None
    steps = []
    for report, pk in zip(reports, pks, strict=True):
        if first is None or report["month"] < first:
            continue
        at = report["submitted_at"]
        done = [(ReportStatus.DRAFT, ReportStatus.SUBMITTED, report["submitted_by_id"], at)]
        if report["checked_by_id"]:
            at = min(at + datetime.timedelta(days=1), report["approved_at"] or timezone.now())
            done.append((ReportStatus.SUBMITTED, ReportStatus.CHECKED, report["checked_by_id"], at))
        if report["approved_by_id"]:
            done.append((ReportStatus.CHECKED, ReportStatus.APPROVED, report["approved_by_id"], report["approved_at"]))
        steps += [dict(report_id=pk, from_status=a, to_status=b, actor_id=actor, at=at) for a, b, actor, at in done]
    return steps


def _guidance(rng, village: Node, users, months, today) -> list[dict]:
    """About one guidance case every other year; the recent ones still open."""
    user = users[village.parent.pk]
    cases = []
    for year_start in months[::12]:
        if rng.random() >= 0.5:
            continue
        opened = year_start + datetime.timedelta(days=rng.randrange(330))
        due = opened + datetime.timedelta(days=30)
        closed = due if due < today - datetime.timedelta(days=30) else None
        cases.append(
            dict(
                village_id=village.pk,
                general_branch_id=village.parent.pk,
                title=rng.choice(GUIDANCE),
                status=OrganizationGuidance.Status.CLOSED if closed else OrganizationGuidance.Status.GIVEN,
                subject=rng.choice(OrganizationGuidance.Subject.values),
                method=rng.choice(OrganizationGuidance.Method.values),
                guidance="对照规范逐项检查，提出整改意见。",
                requirements="一个月内完成整改并报联村党总支。",
                response="已按要求完成整改。" if closed else "",
                opened_on=opened,
                due_on=due,
                closed_on=closed,
                created_by_id=user,
                updated_by_id=user,
            )
        )
    return cases


def _tasks(rng, town: Node, users, months, today) -> tuple[int, int]:
    """Four tasks a year from the town to all its villages; done unless still running."""
    user = users[town.pk]
    villages = [v for g in town.children for v in g.children]
    tasks = []
    for month in months[2::3]:
        issued = month.replace(day=rng.randint(1, 10))
        tasks.append(
            dict(
                title=f"{issued:%Y年%m月}重点工作部署",
                description="按照镇党委部署，完成本季度重点工作。",
                issued_by_id=town.pk,
                issued_on=issued,
                due_date=issued + datetime.timedelta(days=rng.choice([20, 30, 45])),
                created_by_id=user,
                updated_by_id=user,
            )
        )
    # Each task's assignees decided before the task is written, so that its stored summary is written with it.
    statuses = []
    for task in tasks:
        running = task["due_date"] >= today
        statuses.append([not running or rng.random() < 0.4 for _village in villages])
        done = sum(statuses[-1])
        task.update(assignees_total=len(villages), assignees_done=done, assignees_in_progress=len(villages) - done)
    pks = insert(Task, tasks)
    assignments = []
    for task, pk, done_flags in zip(tasks, pks, statuses, strict=True):
        for village, done in zip(villages, done_flags, strict=True):
            assignments.append(
                dict(
                    task_id=pk,
                    assignee_id=village.pk,
                    status=TaskAssignmentStatus.DONE if done else TaskAssignmentStatus.IN_PROGRESS,
                    completed_on=min(task["due_date"], today) if done else None,
                    created_by_id=user,
                    updated_by_id=user,
                )
            )
    insert(TaskAssignment, assignments)
    return len(tasks), len(assignments)
