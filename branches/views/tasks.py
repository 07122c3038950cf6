"""HTML views of deployed tasks: thin, they call the selectors and the actions of `branches.actions.tasks`."""

import types

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from anding.generic import ObjectEditView, ObjectListView, OnceOnlyFormMixin, ScopedDetailView

from .. import actions, selectors
from ..filtersets import TaskFilterSet
from ..forms import TaskDeployForm, TaskProgressForm
from ..models import Task
from ..tables import TaskTable
from .status import assignment_steps

__all__ = ["TaskDeployView", "TaskDetailView", "TaskListView", "TaskProgressView"]


def _list_crumb():
    return types.SimpleNamespace(name=_("Deployed tasks"), get_absolute_url=reverse("branches:task_list"))


def _with_step(assignment, user):
    """Give the assignment its step indicator (not started → in progress → completed), and whether the user may
    report for it (answered from the user's positions: no query)."""
    assignment.steps = assignment_steps(assignment)
    assignment.can_report = actions.can_report_progress(user, assignment)
    return assignment


class TaskListView(ObjectListView):
    """Tasks in scope with their progress summary; the user's own assignments first."""

    model = Task
    title = gettext_lazy("Deployed tasks")
    template_name = "branches/task_list.html"
    filterset_class = TaskFilterSet
    table = TaskTable
    default_sort = ""
    export_name = "tasks"
    paginate_by = 30

    def select(self, queryset):
        # The list and its export read the deploying organization's name, not its parent (the API's).
        return selectors.task_rows(queryset, self.request.user, related=("issued_by",))

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.sort:
            # Open tasks first, the most urgent (overdue) at the top; completed ones after.
            queryset = queryset.order_by("is_completed", "due_date", "pk")
        return queryset

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            my_assignments=selectors.my_task_assignments(user),
            can_deploy=selectors.task_deploy_issuers(user).exists(),
            **kwargs,
        )


class TaskDetailView(ScopedDetailView):
    """One task: the assignees the user may see, with their status and progress history."""

    model = Task
    template_name = "branches/task_detail.html"
    context_object_name = "task"

    def select(self, queryset):
        return selectors.task_rows(queryset, self.request.user).select_related("created_by")

    def get_context_data(self, **kwargs):
        user = self.request.user
        assignments = [_with_step(a, user) for a in selectors.task_assignments_with_progress(user, self.object)]
        return super().get_context_data(
            ancestors=[_list_crumb()],
            assignments=assignments,
            **kwargs,
        )


class TaskDeployView(OnceOnlyFormMixin, ObjectEditView):
    """Deploy a task in the name of the town (town cadres) or of one's general branch (its secretary)."""

    form_class = TaskDeployForm
    title = gettext_lazy("Deploy a task")
    submit_label = gettext_lazy("Deploy")
    cancel_url = reverse_lazy("branches:task_list")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.task_deploy_issuers(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        fields = {k: data[k] for k in ("issued_by", "title", "description", "due_date")}
        return actions.task_deploy(actor=self.request.user, assignees=list(data["assignees"]), **fields)

    def success_message(self, task, form) -> str:
        n = len(form.cleaned_data["assignees"])
        return ngettext("Deployed “%(title)s” to %(n)d assignee.", "Deployed “%(title)s” to %(n)d assignees.", n) % {
            "title": task.title,
            "n": n,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_list_crumb()], **kwargs)


class TaskProgressView(ObjectEditView):
    """An assignee reports progress or completion. Out of scope: 404; in scope but not the assignee's: 403."""

    form_class = TaskProgressForm
    template_name = "branches/task_progress.html"
    title = gettext_lazy("Report progress")
    submit_label = gettext_lazy("Report")

    def get_cancel_url(self) -> str:
        return self.assignment.task.get_absolute_url()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.assignment = selectors.task_assignment_get(request.user, kwargs["pk"])
            if not actions.can_report_progress(request.user, self.assignment):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "assignment": self.assignment}

    def perform(self, form):
        data = form.cleaned_data
        actions.task_report_progress(
            actor=self.request.user,
            assignment=self.assignment,
            status=data["status"],
            note=data["note"],
            version=data.get("version"),
        )
        return self.assignment

    def refused(self, form, exc):
        if getattr(exc, "code", None) == "stale":
            # Keep what the user typed; show the newest report above the form and accept a deliberate resend.
            self.assignment = selectors.task_assignment_get(self.request.user, self.assignment.pk)
            form.data = form.data.copy()
            form.data["version"] = self.assignment.version
            form.add_error(
                None,
                _("The newest report is shown beside the form and your text is kept: send it again if it still holds."),
            )

    def success_message(self, assignment, form) -> str:
        return _("Progress of %(assignee)s reported: %(status)s.") % {
            "assignee": assignment.assignee.name,
            "status": assignment.get_status_display(),
        }

    def success_response(self, assignment):
        return redirect(assignment.task)

    def get_context_data(self, **kwargs):
        task = self.assignment.task
        return super().get_context_data(
            assignment=_with_step(self.assignment, self.request.user),
            task=task,
            history=self.assignment.progress.select_related("reported_by")[:5],
            ancestors=[_list_crumb(), types.SimpleNamespace(name=task.title, get_absolute_url=task.get_absolute_url())],
            **kwargs,
        )
