"""The admin of the seven powers: the `Power` reference rows are edited here; the cases of every power are shown
scoped and read-only with their history (they are opened and worked through the actions, by the pages and the API,
so the admin cannot bypass a workflow)."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from ..models import CaseEvent, Power, case_models

__all__ = ["CaseAdmin", "PowerAdmin"]


@admin.register(Power)
class PowerAdmin(admin.ModelAdmin):
    list_display = ["order", "name_zh", "name_en", "code"]
    list_display_links = ["name_zh"]
    fields = ["code", "order", "name_zh", "name_en", "description_zh", "description_en"]
    readonly_fields = ["code"]  # the code ties the row to its case model

    def has_add_permission(self, request):
        return False  # the seven are fixed; their names and descriptions are data

    def has_delete_permission(self, request, obj=None):
        return False


class CaseEventInline(ScopedAdminMixin, ReadOnlyAdminMixin, GenericTabularInline):
    model = CaseEvent
    ct_field, ct_fk_field = "case_type", "case_id"
    fields = ["at", "actor", "transition", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0


class CaseAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "village", "status", "opened_on", "due_on", "closed_on"]
    list_filter = ["status", "opened_on", "closed_on"]
    search_fields = ["title", "village__name"]
    list_select_related = ["village", "general_branch"]
    date_hierarchy = "opened_on"
    inlines = [CaseEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


for _model in case_models().values():
    admin.site.register(_model, CaseAdmin)
