"""The admin of the development app: every record read-only and scoped (they are written through the actions, by
the pages and the API)."""

from django.contrib import admin

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Pairing, PairingProgress, VillageFigures


@admin.register(VillageFigures)
class VillageFiguresAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["village", "year", "collective_income", "income_per_capita", "updated_by"]
    list_filter = ["year"]
    list_select_related = ["village", "updated_by"]
    fields = ["village", "year", "collective_income", "income_per_capita", "created_by", "updated_by", "updated_at"]
    readonly_fields = fields


class ProgressInline(admin.TabularInline):
    model = PairingProgress
    fields = ["date", "area_mu", "households", "income_before", "income_after", "notes"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pairing)
class PairingAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["lead_village", "industry", "start_date", "end_date"]
    list_select_related = ["lead_village"]
    search_fields = ["industry", "goals", "lead_village__name"]
    fields = ["lead_village", "helped_villages", "industry", "goals", "start_date", "end_date", "created_by"]
    readonly_fields = fields
    inlines = [ProgressInline]


@admin.register(PairingProgress)
class PairingProgressAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["pairing", "date", "area_mu", "households", "income_before", "income_after"]
    list_select_related = ["pairing__lead_village"]
    date_hierarchy = "date"
    fields = ["pairing", "date", "area_mu", "households", "income_before", "income_after", "notes", "created_by"]
    readonly_fields = fields
