"""The admin of the recruitment: cases and their steps read-only (the pages and the API write them through the
actions, which check the order, the rules and the votes), and the timing rules, which an administrator corrects."""

from django.contrib import admin

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from ..models import RecruitmentCase, RecruitmentRule, RecruitmentStep


class RecruitmentStepInline(ReadOnlyAdminMixin, ScopedAdminMixin, admin.TabularInline):
    model = RecruitmentStep
    fields = ["number", "done_on", "people", "expected", "present", "in_favour", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(RecruitmentCase)
class RecruitmentCaseAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "village", "stage", "last_step", "opened_on", "closed_on"]
    list_filter = ["stage", "village__parent"]
    search_fields = ["name", "village__name"]
    list_select_related = ["village"]
    fields = ["name", "gender", "birth_date", "id_number_masked", "village", "stage", "last_step", "opened_on",
              "closed_on", "end_reason", "member"]  # fmt: skip
    readonly_fields = fields
    inlines = [RecruitmentStepInline]


@admin.register(RecruitmentRule)
class RecruitmentRuleAdmin(admin.ModelAdmin):
    """Reference data of the whole town (not scoped): the administrators correct the intervals or switch a rule off."""

    list_display = ["name_zh", "name_en", "from_step", "to_step", "minimum", "maximum", "unit", "active"]
    list_editable = ["active"]
    list_filter = ["active", "unit"]

    def has_delete_permission(self, request, obj=None):
        return False  # switched off, not deleted: its name may stand in a refusal already given
