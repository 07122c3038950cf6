"""The admin of meetings: scoped and read-only. Meetings are planned, recorded and reviewed through the services
(the portal's pages and the API), so the admin cannot bypass the workflow or its audit trail."""

from django.contrib import admin

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from ..models import AgendaItem, Meeting, MeetingAttachment, MeetingAttendance


class AttendanceInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = MeetingAttendance
    fields = ["member", "user", "present", "absence_reason"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "user")


class AttachmentInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = MeetingAttachment
    fields = ["original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0


class AgendaItemInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = AgendaItem
    fields = ["order", "title", "task", "village", "outcome"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("task", "village")


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "status", "planned_for", "held_on", "reviewed_at"]
    list_filter = ["kind", "status", "organization__kind", "held_on"]
    search_fields = ["title", "organization__name", "topics"]
    list_select_related = ["organization"]
    date_hierarchy = "planned_for"
    fields = [
        "organization",
        "general_branch",
        "kind",
        "status",
        "version",
        "title",
        "planned_for",
        "held_on",
        "place",
        "host",
        "recorder",
        "observers",
        "topics",
        "minutes",
        "decisions",
        "review_comment",
        "reviewed_by",
        "reviewed_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [AgendaItemInline, AttendanceInline, AttachmentInline]
