"""Demo: deployed tasks and the assignees' progress."""

import datetime
import random

from django.utils import timezone

from ..actions import task_deploy, task_report_progress
from ..choices import OrgKind, TaskAssignmentStatus
from ..models import Organization, Task
from .common import Counts, Life, day_of, seeded, short_name
from .story import BRANCH_TASKS, TOWN_TASKS


def _task_assignees(life: Life, scope: str, issued_by: Organization) -> list[Organization]:
    if issued_by.kind == OrgKind.GENERAL:
        return list(life.villages_of[issued_by.pk])
    if scope == "generals":
        return list(life.generals)
    if scope == "villages":
        return list(life.villages)
    return [v for v in life.villages if scope in (v.main_industries or "")]


def _plan_tasks(life: Life) -> list[dict]:
    """The tasks of the year: about two a month from the town, one a month from a general branch in turn."""
    plans = []
    for index, month in enumerate(life.months):
        rng = seeded("tasks", month)
        town_tasks = TOWN_TASKS[month.month]
        # Both of the month's town tasks every other month, the first one otherwise.
        for k, (stem, scope, description) in enumerate(town_tasks[: 2 if index % 2 == 0 else 1]):
            issued = day_of(month, rng.randint(2, 8) + 5 * k)
            plans.append(
                {
                    "issued_by": life.town,
                    "actor": life.town_user,
                    "title": f"{month.year}年{stem}",
                    "scope": scope,
                    "description": description,
                    "issued_on": issued,
                    "due_date": issued + datetime.timedelta(days=rng.choice([14, 20, 25, 30, 40])),
                }
            )
        if life.generals:
            general = life.generals[index % len(life.generals)]
            stem, description = BRANCH_TASKS[index % len(BRANCH_TASKS)]
            issued = day_of(month, rng.randint(10, 16))
            plans.append(
                {
                    "issued_by": general,
                    "actor": life.secretary.get(general.pk),
                    "title": f"{month.year}年{month.month}月{stem}",
                    "scope": "villages",
                    "description": description,
                    "issued_on": issued,
                    "due_date": issued + datetime.timedelta(days=rng.choice([10, 15, 20])),
                }
            )
    return [p for p in plans if p["issued_on"] <= life.today and p["actor"] is not None]


def _progress_plan(life: Life, rng: random.Random, issued: datetime.date, due: datetime.date):
    """The progress reports of one assignee: [(status, date)], dates not after today."""
    started = issued + datetime.timedelta(days=rng.randint(1, 6))
    finished = due + datetime.timedelta(days=rng.randint(-12, 2))
    finished = max(finished, started + datetime.timedelta(days=1))
    overdue = due < life.today
    roll = rng.random()
    if overdue and roll < 0.01:
        steps = []  # never reported: overdue and not started
    elif overdue and roll < 0.03:
        steps = [(TaskAssignmentStatus.IN_PROGRESS, started)]  # overdue and not done
    elif not overdue and roll < 0.25:
        steps = []
    else:
        steps = [(TaskAssignmentStatus.IN_PROGRESS, started), (TaskAssignmentStatus.DONE, finished)]
    return [(status, day) for status, day in steps if day <= life.today]


def load_tasks(life: Life) -> dict:
    counts = Counts()
    existing = set(Task.objects.filter(issued_by__tree_id=life.town.tree_id).values_list("issued_by_id", "title"))
    for plan in _plan_tasks(life):
        if (plan["issued_by"].pk, plan["title"]) in existing:
            counts.add("skipped")
            continue
        assignees = _task_assignees(life, plan["scope"], plan["issued_by"])
        if not assignees:
            continue
        task = task_deploy(
            actor=plan["actor"],
            issued_by=plan["issued_by"],
            title=plan["title"],
            description=plan["description"]
            + f"请于{plan['due_date'].month}月{plan['due_date'].day}日前完成并报送进展。",
            due_date=max(plan["due_date"], life.real_today),
            assignees=assignees,
        )
        Task.objects.filter(pk=task.pk).update(issued_on=plan["issued_on"], due_date=plan["due_date"])
        life.stamp(task, created_at=life.at(plan["issued_on"], 9, 30))
        counts.add("tasks")
        by_assignee = {a.assignee_id: a for a in task.assignments.all()}
        for assignee in assignees:
            assignment = by_assignee[assignee.pk]
            assignment.assignee = assignee
            counts.add("assignments")
            actor = life.secretary.get(assignee.pk)
            rng = seeded("progress", task.title, assignee.code)
            steps = _progress_plan(life, rng, plan["issued_on"], plan["due_date"]) if actor else []
            times = life.chain([life.at(day, rng.randint(9, 17), rng.randint(0, 59)) for _, day in steps])
            for (status, _planned), moment in zip(steps, times, strict=True):
                note = (
                    f"已召开专题会议部署，{short_name(assignee)}正在组织落实。"
                    if status == TaskAssignmentStatus.IN_PROGRESS
                    else "已按要求完成，相关材料已报送。"
                )
                progress = task_report_progress(
                    actor=actor, assignment=assignment, status=status, note=note, version=assignment.version
                )
                life.stamp(progress, reported_at=moment)
                counts.add("progress")
                if status == TaskAssignmentStatus.DONE:
                    life.stamp(assignment, completed_on=timezone.localdate(moment), updated_at=moment)
                else:
                    life.stamp(assignment, updated_at=moment)
            counts.add(assignment.status)
    return counts.made


# Village meetings -------------------------------------------------------------------------------------------
