"""Reads of deployed tasks: the scoped list with each task's progress summary, one task with the assignees the user
may see, the assignments a user reports for, and what is due soon (for the dashboard's to-do list)."""

import datetime

from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from anding.scoping import ALL, get_or_404, scope_ranges

from ..choices import OrgKind, TaskAssignmentStatus
from ..models import Organization, Task, TaskAssignment, TaskProgress
from ..permissions import active_positions, can_deploy_task
from ..roles import CHANGE_ROLES
from ..tree import ranges_q, subtree_q
from .organization import organization_list

__all__ = [
    "my_task_assignments",
    "task_assignee_choices",
    "task_assignment_get",
    "task_assignment_list",
    "task_assignment_rows",
    "task_assignments_with_progress",
    "task_deploy_issuers",
    "task_get",
    "task_issuers",
    "task_list",
    "task_rows",
    "tasks_due",
]


def _visible_count(user, field: str, status: str | None = None):
    """On a Task queryset: how many of the task's assignees (with `status`) the user may see.

    An assignment is visible when its assignee is in scope, or when the task was deployed by an organization in
    scope (the deploying level sees every assignee): then the count is the one stored on the task (`field`). Only a
    task seen through some of its assignees (a village's, a general branch's) has them counted, in a subquery.
    """
    ranges = scope_ranges(user, TaskAssignment, "view")
    if ranges is ALL or not ranges:  # no restriction; or nothing in scope, and no row to count
        return F(field)
    seen = TaskAssignment.objects.filter(ranges_q(ranges, "assignee"), task=OuterRef("pk"))
    if status is not None:
        seen = seen.filter(status=status)
    counted = Subquery(seen.order_by().values("task").annotate(n=Count("pk")).values("n"), output_field=IntegerField())
    return Case(When(ranges_q(ranges, "issued_by"), then=F(field)), default=Coalesce(counted, 0))


def task_list(user, action="view", *, with_assignments=False):
    """Tasks in scope, as `task_rows`."""
    return task_rows(Task.objects.restrict(user, action), user, with_assignments=with_assignments)


def _completed(user):
    """On a Task queryset: whether every assignee the user may see has completed it (true when there is none).

    From the stored summary when the user sees every assignee; otherwise no visible assignee may be open, asked of
    the keys of the tasks with one (`id NOT IN (…)`, hashed once, and only built when a row needs it), not counted
    per row: the list sorts every task in scope by it, and a per-row count made the city's statement look costly
    enough for PostgreSQL to compile it (JIT, 5 s)."""
    all_done = Q(assignees_done__gte=F("assignees_total"))
    ranges = scope_ranges(user, TaskAssignment, "view")
    if ranges is ALL or not ranges:
        return Case(When(all_done, then=Value(True)), default=Value(False), output_field=BooleanField())
    deployer_sees = ranges_q(ranges, "issued_by")
    open_seen = (
        TaskAssignment.objects.filter(ranges_q(ranges, "assignee"))
        .exclude(status=TaskAssignmentStatus.DONE)
        .order_by()
        .values("task")
    )
    return Case(
        When(deployer_sees & all_done, then=Value(True)),
        When(deployer_sees, then=Value(False)),
        When(pk__in=open_seen, then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )


def task_rows(queryset, user, *, with_assignments=False, related=("issued_by", "issued_by__parent")):
    """Tasks, each with a progress summary of the assignees the user may see, in the same query:
    `assignee_total`, `done_count`, `in_progress_count`, `is_completed` and `is_overdue` (due date passed and not
    all done). With `with_assignments`, `visible_assignments` holds those assignees (one more query). `related`: the
    records joined."""
    today = timezone.localdate()
    queryset = (
        queryset.select_related(*related)
        .annotate(
            assignee_total=_visible_count(user, "assignees_total"),
            done_count=_visible_count(user, "assignees_done", TaskAssignmentStatus.DONE),
            in_progress_count=_visible_count(user, "assignees_in_progress", TaskAssignmentStatus.IN_PROGRESS),
        )
        .annotate(is_completed=_completed(user))
        .annotate(
            is_overdue=Case(
                When(Q(due_date__lt=today, is_completed=False), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )
    if with_assignments:
        queryset = queryset.prefetch_related(
            Prefetch(
                "assignments",
                queryset=task_assignment_list(user).select_related(None).select_related("assignee"),
                to_attr="visible_assignments",
            )
        )
    return queryset


def task_get(user, pk, action="view") -> Task:
    """One task in scope (404 outside it), with its summary and deployer."""
    return get_or_404(task_list(user, action).select_related("created_by"), pk=pk)


def task_assignment_rows(queryset):
    """Assignments with their task, its deployer and the assignee."""
    return queryset.select_related("task", "task__issued_by", "assignee", "assignee__parent")


def task_assignment_list(user, action="view"):
    """Assignments in scope: an assignee sees its own, the deploying level sees all of its task's assignees. With
    "change": those the user may report progress for."""
    return task_assignment_rows(TaskAssignment.objects.restrict(user, action))


def task_assignment_get(user, pk, action="view") -> TaskAssignment:
    return get_or_404(task_assignment_list(user, action), pk=pk)


def task_assignments_with_progress(user, task: Task):
    """The assignees of `task` the user may see, each with its progress history (two queries in all)."""
    return (
        task_assignment_list(user)
        .filter(task=task)
        .prefetch_related(
            Prefetch("progress", queryset=TaskProgress.objects.select_related("reported_by").order_by("-reported_at"))
        )
        .order_by("assignee__tree_id", "assignee__lft")
    )


def _own_report_nodes(user) -> list[int]:
    return [p.organization_id for p in active_positions(user) if p.role in CHANGE_ROLES]


def my_task_assignments(user, *, include_done=False):
    """The assignments of the organizations the user reports for themselves (the village of a village secretary,
    the general branch of its secretary), nearest due date first.

    A general-branch secretary may also report for its villages (the service allows it), but those are the
    villages' own work: they show on the task's page, not here.
    """
    queryset = task_assignment_list(user, "change").filter(assignee_id__in=_own_report_nodes(user))
    if not include_done:
        queryset = queryset.exclude(status=TaskAssignmentStatus.DONE)
    return queryset.order_by("task__due_date", "task_id", "pk")


def tasks_due(user, days: int = 7):
    """The user's own assignments not done whose due date is within `days` from today or already passed (for the
    dashboard's to-do list). Each row has `.task` (with `.issued_by`) and `.assignee` loaded."""
    horizon = timezone.localdate() + datetime.timedelta(days=days)
    return my_task_assignments(user).filter(task__due_date__lte=horizon)


def task_deploy_issuers(user):
    """The organizations in whose name the user may deploy tasks: the town for its cadres, their own general branch
    for its secretary. Decided from the user's positions (no query); the queryset itself is one."""
    pks = {p.organization_id for p in active_positions(user) if can_deploy_task(user, p.organization)}
    return organization_list(user, "change").filter(pk__in=pks).order_by("tree_id", "lft")


def task_assignee_choices(user, issuers=None):
    """General branches and villages in scope below the given issuing organizations (by default those the user may
    deploy for), in tree order, with their parents loaded (for grouping)."""
    issuers = list(task_deploy_issuers(user) if issuers is None else issuers)
    if not issuers:
        return Organization.objects.none()
    under = Q(pk__in=[])
    for node in issuers:
        under |= subtree_q(node) & ~Q(pk=node.pk)
    return (
        organization_list(user)
        .filter(under, kind__in=(OrgKind.GENERAL, OrgKind.VILLAGE))
        .select_related("parent")
        .order_by("tree_id", "lft")
    )


def task_issuers(user):
    """The organizations that deployed the tasks the user sees (for the list's filter)."""
    return Organization.objects.filter(pk__in=Task.objects.restrict(user).values("issued_by")).order_by(
        "tree_id", "lft"
    )
