"""The admin of cadre evaluations: the scoring schemes are edited here (a change reaches only the evaluations scored
afterwards: each case keeps the numbers it was scored with); an evaluation shows its rectification items."""

from django.contrib import admin

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from ..models import CadreEvaluation, EvaluationScheme, RectificationItem
from ..models.powers.evaluation import WEIGHTING_FIELDS
from .powers import CaseAdmin

__all__ = ["EvaluationCaseAdmin", "EvaluationSchemeAdmin"]


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "is_default",
        "weight_de",
        "weight_neng",
        "weight_qin",
        "weight_ji",
        "weight_lian",
        "vote_weight",
    ]
    fieldsets = [
        (None, {"fields": ["name", "is_default", "note"]}),
        ("德 能 勤 绩 廉", {"fields": WEIGHTING_FIELDS[:5]}),
        (None, {"fields": WEIGHTING_FIELDS[5:]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # evaluations name the scheme they were scored with


class RectificationItemInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = RectificationItem
    fields = ["text", "deadline", "done_on", "note"]
    readonly_fields = fields
    extra = 0


class EvaluationCaseAdmin(CaseAdmin):
    list_display = [*CaseAdmin.list_display, "total", "grade"]
    inlines = [*CaseAdmin.inlines, RectificationItemInline]


admin.site.unregister(CadreEvaluation)
admin.site.register(CadreEvaluation, EvaluationCaseAdmin)
