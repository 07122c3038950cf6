"""The admin of the services app: reference data editable (centres and the general branches they serve,
departments, categories, the service catalogue, who works for which department, the topics of household visits);
half-days, records, assessment plans, fund allocations and expenses, households and visits read-only and scoped
(they are written through the actions, by the pages and the API)."""

from django.contrib import admin

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import (
    AssessmentPlan,
    Department,
    DepartmentStaff,
    FundAllocation,
    FundExpense,
    Household,
    HouseholdVisit,
    PlanIndicator,
    ServiceCategory,
    ServiceCentre,
    ServiceItem,
    ServiceRecord,
    ServiceSession,
    VisitTopic,
)

NAMED = ["code", "order", "name_zh", "name_en"]


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin):
    list_display = NAMED
    filter_horizontal = ["general_branches"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = NAMED


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = NAMED


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = [*NAMED, "category", "department"]
    list_filter = ["category", "department"]
    list_select_related = ["category", "department"]


@admin.register(DepartmentStaff)
class DepartmentStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "department"]
    list_select_related = ["user", "department"]
    autocomplete_fields = ["user"]


@admin.register(ServiceSession)
class ServiceSessionAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "half", "centre", "created_by"]
    list_filter = ["centre", "half", "date"]
    list_select_related = ["centre", "created_by"]
    date_hierarchy = "date"
    fields = ["centre", "date", "half", "departments", "staff", "created_by", "created_at"]
    readonly_fields = fields


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "session",
        "department",
        "service_item",
        "villager_name",
        "village",
        "outcome",
        "due_on",
        "closed_on",
    ]
    list_filter = ["outcome", "department"]
    list_select_related = ["session__centre", "department", "service_item", "village"]
    search_fields = ["villager_name", "request"]
    # The phone is shown masked, never in the clear.
    fields = [
        "session",
        "department",
        "service_item",
        "villager_name",
        "village",
        "phone_masked",
        "request",
        "outcome",
        "due_on",
        "closed_on",
        "closing_note",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields


class PlanIndicatorInline(admin.TabularInline):
    model = PlanIndicator
    fields = ["order", "name", "unit", "direction", "target", "weight", "actual"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AssessmentPlan)
class AssessmentPlanAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["village", "year", "status", "submitted_on", "decided_on"]
    list_filter = ["year", "status"]
    list_select_related = ["village"]
    search_fields = ["village__name"]
    fields = [
        "village",
        "year",
        "status",
        "weak_points",
        "submitted_on",
        "decided_by",
        "decided_on",
        "return_reason",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [PlanIndicatorInline]


@admin.register(FundAllocation)
class FundAllocationAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "year", "purpose", "amount", "created_by"]
    list_filter = ["year", "purpose"]
    list_select_related = ["organization", "created_by"]
    fields = ["year", "purpose", "organization", "amount", "note", "created_by", "created_at", "updated_at"]
    readonly_fields = fields


@admin.register(FundExpense)
class FundExpenseAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "allocation", "amount", "purpose", "created_by"]
    list_filter = ["allocation__year", "allocation__purpose"]
    list_select_related = ["allocation__organization", "created_by"]
    search_fields = ["purpose"]
    date_hierarchy = "date"
    fields = ["allocation", "date", "amount", "purpose", "created_by", "created_at"]
    readonly_fields = fields


@admin.register(VisitTopic)
class VisitTopicAdmin(admin.ModelAdmin):
    list_display = NAMED


@admin.register(Household)
class HouseholdAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "head_name", "village", "size", "active"]
    list_filter = ["active"]
    list_select_related = ["village"]
    search_fields = ["number", "head_name"]
    # The phone is shown masked, never in the clear.
    fields = ["village", "number", "head_name", "address", "phone_masked", "size", "active", "note", "created_by"]
    readonly_fields = fields


@admin.register(HouseholdVisit)
class HouseholdVisitAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "household", "leader", "follow_up_owner", "follow_up_due", "closed_on"]
    list_select_related = ["household", "leader", "follow_up_owner"]
    date_hierarchy = "date"
    search_fields = ["raised", "follow_up"]
    fields = [
        "household",
        "date",
        "leader",
        "cadres",
        "topics",
        "raised",
        "follow_up",
        "follow_up_owner",
        "follow_up_due",
        "closed_on",
        "closing_note",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
