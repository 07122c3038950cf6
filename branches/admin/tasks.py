"""The admin of deployed tasks: scoped and read-only. Tasks are deployed and progress is reported through the
services (the portal's pages and the API), so the admin cannot bypass the workflow."""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from ..models import Task, TaskAssignment, TaskProgress


class TaskAssignmentInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = TaskAssignment
    fields = ["assignee", "status", "progress_note", "completed_on", "updated_at", "version"]
    readonly_fields = fields
    extra = 0
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee", "task")


@admin.register(Task)
class TaskAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "issued_by", "issued_on", "due_date", "created_by"]
    list_filter = ["issued_by__kind", "due_date", "issued_on"]
    search_fields = ["title", "description", "issued_by__name"]
    list_select_related = ["issued_by", "created_by"]
    date_hierarchy = "due_date"
    fields = ["title", "description", "issued_by", "issued_on", "due_date", "created_by", "created_at"]
    readonly_fields = fields
    inlines = [TaskAssignmentInline]


@admin.register(TaskProgress)
class TaskProgressAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reported_at", "task_title", "assignee", "status", "note_excerpt", "reported_by"]
    list_filter = ["status", "reported_at"]
    search_fields = ["note", "assignment__task__title", "assignment__assignee__name"]
    list_select_related = ["assignment__task", "assignment__assignee", "reported_by"]
    date_hierarchy = "reported_at"
    fields = ["assignment", "status", "note", "reported_by", "reported_at"]
    readonly_fields = fields

    @admin.display(description=_("task"), ordering="assignment__task__title")
    def task_title(self, obj):
        return obj.assignment.task.title

    @admin.display(description=_("assignee"), ordering="assignment__assignee__name")
    def assignee(self, obj):
        return obj.assignment.assignee.name

    @admin.display(description=_("progress"))
    def note_excerpt(self, obj):
        return Truncator(obj.note).chars(60)
