"""Shared helpers and fixtures of the task tests: deploying and reporting through the services, what a browser posts
from the deploy form, and the tasks most tests start from.

The tree and personas come from tests/conftest.py: g1 (v11 东庄, v12 西庄) and g2 (v21 南营, v22 北营) under the
town; `village_secretary` is v11's, `gb_secretary` g1's, `gb2_secretary` g2's, `deputy` g1's deputy (sees, no change).
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from branches import actions
from branches.choices import TaskAssignmentStatus
from branches.models import Task, TaskAssignment

PENDING, IN_PROGRESS, DONE = TaskAssignmentStatus.PENDING, TaskAssignmentStatus.IN_PROGRESS, TaskAssignmentStatus.DONE


def today():
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def deploy(actor, issuer, assignees, *, due_in=7, title="秋季防火检查"):
    return actions.task_deploy(actor=actor, issued_by=issuer, title=title, due_date=days(due_in), assignees=assignees)


def make_overdue(task, by_days=3):
    """Move a task into the past (deployed a month ago, due `by_days` ago): the service never deploys one so."""
    Task.objects.filter(pk=task.pk).update(issued_on=days(-30), due_date=days(-by_days))
    task.refresh_from_db()
    return task


def assignment(task, org) -> TaskAssignment:
    return TaskAssignment.objects.get(task=task, assignee=org)


def report(actor, a, status=IN_PROGRESS, note="已部署到各村"):
    a.refresh_from_db()
    return actions.task_report_progress(actor=actor, assignment=a, status=status, note=note, version=a.version)


def in_default_language(message) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def deploy_form(issuer, assignees, **overrides):
    data = {
        "issued_by": issuer.pk,
        "title": "冬季安全生产检查",
        "description": "各村排查隐患，月底前报告。",
        "due_date": days(10).isoformat(),
        "assignees": [a.pk for a in assignees],
    }
    data.update(overrides)
    return data


def rows_of(response) -> list[Task]:
    return list(response.context["page_obj"].object_list)


@pytest.fixture
def town_task(tree, town_cadre):
    """Deployed by the town to both general branches."""
    return deploy(town_cadre, tree.town, [tree.g1, tree.g2], title="全镇党员信息核对")


@pytest.fixture
def g1_task(tree, gb_secretary):
    """Deployed by g1 to its two villages."""
    return deploy(gb_secretary, tree.g1, [tree.v11, tree.v12], title="第一总支村务公开检查")


@pytest.fixture
def assignments(town_task, g1_task):
    """The assignments of `town_task` and `g1_task`, by their assignee's key (g1, g2, v11, v12)."""
    return {a.assignee.code.lower(): a for a in TaskAssignment.objects.filter(task__in=[town_task, g1_task])}


@pytest.fixture
def three_tasks(tree, town_cadre, gb_secretary):
    late = make_overdue(deploy(town_cadre, tree.town, [tree.g1, tree.g2], title="逾期的党费汇总", due_in=1))
    finished = deploy(town_cadre, tree.town, [tree.g1], title="完成的防火检查", due_in=40)
    report(gb_secretary, assignment(finished, tree.g1), DONE)
    g1_own = deploy(gb_secretary, tree.g1, [tree.v11], title="总支的村务公开", due_in=5)
    return {"late": late, "finished": finished, "g1_own": g1_own}


def progress_url(a):
    return f"/tasks/assignments/{a.pk}/progress/"
