"""Deployed tasks: the town deploys to general branches and villages, a general branch to its villages; each
assignee reports progress until the task is completed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from anding.concurrency import claim_version

from ..choices import OrgKind, TaskAssignmentStatus
from ..models import Organization, Task, TaskAssignment, TaskProgress
from ..permissions import can_deploy_task, can_report_progress
from ..tree import is_within
from .common import require

__all__ = ["can_deploy_task", "can_report_progress", "task_deploy", "task_report_progress", "task_summarize"]


def task_summarize(task_pks) -> None:
    """Recount the stored progress summary (`Task.assignees_*`) of the given tasks from their assignments; every
    service that adds an assignment or changes its status calls it in its transaction."""
    done, in_progress = TaskAssignmentStatus.DONE, TaskAssignmentStatus.IN_PROGRESS
    rows = (
        TaskAssignment.objects.filter(task__in=task_pks)
        .values("task")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=done)),
            in_progress=Count("pk", filter=Q(status=in_progress)),
        )
        .order_by()
    )
    counted = {row["task"]: row for row in rows}
    for pk in task_pks:
        row = counted.get(pk, {"total": 0, "done": 0, "in_progress": 0})
        Task.objects.filter(pk=pk).update(
            assignees_total=row["total"], assignees_done=row["done"], assignees_in_progress=row["in_progress"]
        )


def task_deploy(
    *,
    actor,
    issued_by: Organization,
    title: str,
    due_date: datetime.date,
    assignees: list[Organization],
    description: str = "",
) -> Task:
    """Deploy a task to general branches and/or villages below the issuing organization."""
    require(can_deploy_task(actor, issued_by))
    errors = {}
    if not assignees:
        errors["assignees"] = _("Choose at least one general branch or village.")
    outside = [
        a.name
        for a in assignees
        if a.kind not in (OrgKind.GENERAL, OrgKind.VILLAGE) or not is_within(a, issued_by, strict=True)
    ]
    if outside:
        errors["assignees"] = _("These are not general branches or villages under %(org)s: %(names)s.") % {
            "org": issued_by.name,
            "names": "、".join(outside),
        }
    if due_date is not None and due_date < timezone.localdate():
        errors["due_date"] = _("The due date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    assignees = list({a.pk: a for a in assignees}.values())
    task = Task(
        issued_by=issued_by,
        title=(title or "").strip(),
        description=description,
        due_date=due_date,
        created_by=actor,
        assignees_total=len(assignees),  # the stored summary: every assignee starts pending
    )
    task.full_clean()
    with transaction.atomic():
        task.stamp(actor)
        task.save()
        TaskAssignment.objects.bulk_create(
            TaskAssignment(task=task, assignee=a, created_by=actor, updated_by=actor) for a in assignees
        )
        audit.record("task_deploy", actor=actor, obj=task, detail={"assignees": [a.name for a in assignees]})
    return task


@audit.refusable("task_report_progress", obj="assignment")
def task_report_progress(
    *, actor, assignment: TaskAssignment, status: str, note: str, version: int | None = None
) -> TaskProgress:
    """An assignee reports progress (or completion) on its task."""
    require(can_report_progress(actor, assignment))
    note = (note or "").strip()
    errors = {}
    if status not in TaskAssignmentStatus.values:
        errors["status"] = _("Choose a valid status.")
    if not note:
        errors["note"] = _("Describe the progress.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim_version(assignment, version)
        assignment.status = status
        assignment.progress_note = note
        assignment.completed_on = timezone.localdate() if status == TaskAssignmentStatus.DONE else None
        assignment.stamp(actor)
        assignment.save()
        progress = TaskProgress.objects.create(assignment=assignment, status=status, note=note, reported_by=actor)
        task_summarize([assignment.task_id])
        audit.record("task_progress", actor=actor, obj=assignment, detail={"status": status})
    return progress
