"""The admin of emergencies: the read-only case admin of every power, with the timeline's reports and actions."""

from django.contrib import admin

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from ..models import EmergencyAction, EmergencyIncident, EmergencyReport
from .powers import CaseAdmin


class EmergencyReportInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = EmergencyReport
    fields = ["kind", "number", "reported_at", "reporter", "recipient", "content", "due_at", "late"]
    readonly_fields = fields
    extra = 0


class EmergencyActionInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = EmergencyAction
    fields = ["at", "action", "taken_by"]
    readonly_fields = fields
    extra = 0


class EmergencyAdmin(CaseAdmin):
    list_display = [*CaseAdmin.list_display, "kind", "level"]
    list_filter = [*CaseAdmin.list_filter, "kind", "level"]
    inlines = [EmergencyReportInline, EmergencyActionInline, *CaseAdmin.inlines]


admin.site.unregister(EmergencyIncident)
admin.site.register(EmergencyIncident, EmergencyAdmin)
