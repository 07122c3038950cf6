"""The admin of the development app: every record read-only and scoped (they are written through the actions, by
the pages and the API)."""

from django.contrib import admin

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import (
    BranchResource,
    Pairing,
    PairingProgress,
    Partner,
    PartnerEvent,
    ResourceTraining,
    SharedSale,
    VillageFigures,
)


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


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """Partners are reference data: editable here, added on the pages by those who record events."""

    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(PartnerEvent)
class PartnerEventAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "general_branch", "partner", "kind", "title", "people_employed", "person_times_trained"]
    list_filter = ["kind", "partner"]
    list_select_related = ["general_branch", "partner"]
    date_hierarchy = "date"
    fields = [
        "general_branch",
        "partner",
        "kind",
        "date",
        "title",
        "people_employed",
        "person_times_trained",
        "contracts",
        "amount",
        "note",
        "created_by",
    ]
    readonly_fields = fields


class TrainingInline(admin.TabularInline):
    model = ResourceTraining
    fields = ["date", "topic", "person_times"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BranchResource)
class BranchResourceAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "general_branch", "kind", "specialty"]
    list_filter = ["kind"]
    list_select_related = ["general_branch"]
    search_fields = ["name", "specialty"]
    fields = ["general_branch", "kind", "name", "specialty", "member", "created_by"]
    readonly_fields = fields
    inlines = [TrainingInline]


@admin.register(SharedSale)
class SharedSaleAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "general_branch", "product", "channel", "quantity_jin", "amount"]
    list_select_related = ["general_branch"]
    date_hierarchy = "date"
    fields = ["general_branch", "product", "channel", "quantity_jin", "amount", "date", "created_by"]
    readonly_fields = fields
