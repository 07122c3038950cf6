"""Deployed tasks: the town (or a general branch, within its villages) deploys work; each assignee reports."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.concurrency import VersionedModel
from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet

from ..choices import TaskAssignmentStatus
from .organization import Organization

__all__ = ["Task", "TaskAssignment", "TaskProgress"]


class Task(ChangeTrackedModel):
    """A piece of work deployed by the town or a general branch, with a due date."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    issued_by = models.ForeignKey(
        Organization, verbose_name=_("deployed by"), on_delete=models.PROTECT, related_name="issued_tasks"
    )
    issued_on = models.DateField(_("deployed on"), default=timezone.localdate)
    due_date = models.DateField(_("due date"))
    # The progress of all its assignees, kept by the task services (`branches.actions.tasks`) and written by the scale
    # generator: the list sorts and shows from the task's row, where counting every task's assignments took the
    # city's list 1.1 s. A reader who sees only some assignees (a village) has them counted (`task_rows`).
    assignees_total = models.PositiveIntegerField(_("assignees"), default=0, editable=False)
    assignees_done = models.PositiveIntegerField(_("assignees done"), default=0, editable=False)
    assignees_in_progress = models.PositiveIntegerField(_("assignees in progress"), default=0, editable=False)

    objects = ScopedQuerySet.as_manager()
    # In scope for whoever deployed it and for every assignee (a to-many path: restrict() keeps rows distinct).
    scope_paths = ("issued_by", "assignments__assignee")

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("deployed task")
        verbose_name_plural = _("deployed tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("issued_on")),
                name="%(app_label)s_%(class)s_due_after_issued",
                violation_error_message=_("The due date cannot be before the date of deployment."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_url("branches:task_detail", self.pk)


class TaskAssignment(VersionedModel, ChangeTrackedModel):
    """One assignee (a general branch or a village) of a task, with the progress it reported."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments")
    assignee = models.ForeignKey(
        Organization, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="task_assignments"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TaskAssignmentStatus.choices, default=TaskAssignmentStatus.PENDING
    )
    progress_note = models.TextField(_("latest progress"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("assignee", "task__issued_by")

    class Meta:
        ordering = ["task", "assignee__tree_id", "assignee__lft"]
        verbose_name = _("task assignment")
        verbose_name_plural = _("task assignments")
        indexes = [  # the few assignments not done, out of years of done ones (the dashboard's overdue tasks)
            models.Index(
                fields=["assignee"],
                condition=~models.Q(status=TaskAssignmentStatus.DONE),
                name="branches_assignment_open",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "assignee"],
                name="%(app_label)s_%(class)s_unique_assignee",
                violation_error_message=_("This organization is already assigned this task."),
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.assignee}"

    def get_absolute_url(self):
        return self.task.get_absolute_url()

    @property
    def is_overdue(self) -> bool:
        return self.status != TaskAssignmentStatus.DONE and self.task.due_date < timezone.localdate()


class TaskProgress(models.Model):
    """One progress report of an assignee."""

    assignment = models.ForeignKey(
        TaskAssignment, verbose_name=_("task assignment"), on_delete=models.CASCADE, related_name="progress"
    )
    status = models.CharField(_("status"), max_length=12, choices=TaskAssignmentStatus.choices)
    note = models.TextField(_("progress"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("assignment__assignee", "assignment__task__issued_by")  # in scope with its assignment

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self):
        return f"{self.assignment} · {self.get_status_display()}"

    def get_absolute_url(self):
        return self.assignment.get_absolute_url()
