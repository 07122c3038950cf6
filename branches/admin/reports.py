"""The admin of monthly reports: scoped and read-only. Reports are started, written, submitted and reviewed through
the services (the portal's pages and the API): the admin cannot add a second report for a village and month,
change a status or the frozen figures, or delete anything."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from ..models import MonthlyReport, ReportTransition


class ReportTransitionInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportTransition
    fields = ["at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["village", "month", "general_branch", "status", "first_submitted_at", "late", "approved_at"]
    list_filter = ["status", "month", "general_branch"]
    search_fields = ["village__name", "narrative", "problems", "requests"]
    list_select_related = ["village", "general_branch"]
    date_hierarchy = "month"
    fields = [
        "village",
        "general_branch",
        "month",
        "status",
        "version",
        "narrative",
        "problems",
        "requests",
        "figures",
        "first_submitted_at",
        "submitted_at",
        "submitted_by",
        "checked_by",
        "approved_by",
        "approved_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [ReportTransitionInline]

    @admin.display(description=_("late"), boolean=True)
    def late(self, obj):
        return obj.is_late
