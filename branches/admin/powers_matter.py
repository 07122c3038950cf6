"""The admin of major matters and village-affairs inspections: the read-only case admin with their steps and
rectification items shown inline (written only through the actions)."""

from django.contrib import admin

from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from ..models import AffairsInspection, InspectionItem, MajorMatter, MatterStep
from .powers import CaseAdmin


class MatterStepInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = MatterStep
    fields = ["number", "held_on", "body", "entitled", "present", "in_favour", "against", "abstained", "published_how"]
    readonly_fields = fields
    extra = 0


class InspectionItemInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = InspectionItem
    fields = ["what", "deadline", "follow_up", "done_on", "verified_on", "verified_by"]
    readonly_fields = fields
    extra = 0


class MatterAdmin(CaseAdmin):
    inlines = [MatterStepInline, *CaseAdmin.inlines]


class InspectionAdmin(CaseAdmin):
    inlines = [InspectionItemInline, *CaseAdmin.inlines]


for _model, _admin in ((MajorMatter, MatterAdmin), (AffairsInspection, InspectionAdmin)):
    admin.site.unregister(_model)
    admin.site.register(_model, _admin)
