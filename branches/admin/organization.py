"""The admin of the tree, positions and the roster. Changelists are scoped; every write goes through actions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from anding import duties
from anding.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from anding.forms import DateInput

from .. import actions
from ..choices import Role
from ..forms import MemberForm
from ..models import Organization, OrgChange, PartyMember, Position


class OrganizationAdminForm(forms.ModelForm):
    effective_date = forms.DateField(
        label=_("effective date"),
        required=False,
        initial=timezone.localdate,
        help_text=_("Needed when the parent organization changes."),
        widget=DateInput,
    )
    change_reason = forms.CharField(
        label=_("reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the parent organization changes; kept in the organization's history."),
    )
    liaison_deputy = forms.ModelChoiceField(
        label=_("new liaison deputy"),
        queryset=Position.objects.filter(role=Role.DEPUTY_SECRETARY, end_date__isnull=True).select_related(
            "user", "organization"
        ),
        required=False,
        help_text=_(
            "When a village moves to another general branch: the deputy secretary of the new general branch who "
            "liaises with it. Leave empty to let the general-branch secretary decide."
        ),
    )
    confirm_move = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Organization
        fields = [
            "kind",
            "name",
            "code",
            "aliases",
            "valid_from",
            "valid_to",
            "parent",
            "households",
            "population",
            "main_industries",
            "location",
            "collective_income_yuan",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "parent" in self.changed_data:
            if not cleaned.get("effective_date"):
                self.add_error("effective_date", _("Give the date from which this change takes effect."))
            if not (cleaned.get("change_reason") or "").strip():
                self.add_error("change_reason", _("Give the reason for this change."))
            if cleaned.get("parent") is not None and not self.errors:
                self._preview(cleaned)
        return cleaned

    def _preview(self, cleaned):
        """Before a move is saved, show what it changes besides the parent, and ask to save again to confirm."""
        # The instance still holds the stored parent: the form's values are put on it after clean().
        self.move_preview = actions.move_consequences(self.instance, cleaned["parent"])
        deputy = cleaned.get("liaison_deputy")
        if deputy is not None and deputy not in self.move_preview.deputy_choices:
            self.add_error(
                "liaison_deputy",
                _("Choose a deputy secretary of %(org)s.") % {"org": cleaned["parent"].name},
            )
        elif not cleaned.get("confirm_move"):
            self.data = self.data.copy()
            self.data["confirm_move"] = "on"
            raise ValidationError(_("Check what this move changes (below), then save again to confirm it."))


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, MPTTModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "kind", "code", "households", "population", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "aliases"]
    mptt_level_indent = 24
    change_form_template = "admin/branches/organization/change_form.html"
    fieldsets = [
        (None, {"fields": ["kind", "name", "code", "aliases", "valid_from", "valid_to"]}),
        (
            _("Place in the tree"),
            {"fields": ["parent", "effective_date", "change_reason", "liaison_deputy", "confirm_move"]},
        ),
        (
            _("Village attributes"),
            {"fields": ["households", "population", "main_industries", "location", "collective_income_yuan"]},
        ),
    ]

    def has_delete_permission(self, request, obj=None):
        # Nodes are ended with a "valid to" date, never deleted: history refers to them.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            actions.organization_create(actor=request.user, organization=obj, reason=form.cleaned_data["change_reason"])
            return
        if "parent" in form.changed_data:
            new_parent = obj.parent
            stored = Organization.objects.get(pk=obj.pk)
            # Save the node's own attributes first (under its old parent), then move it through the locked service.
            obj.parent = stored.parent
            actions.organization_update(actor=request.user, organization=obj, changed=form.changed_data)
            actions.organization_move(
                actor=request.user,
                organization=obj,
                new_parent=new_parent,
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["change_reason"],
                liaison_deputy=form.cleaned_data.get("liaison_deputy"),
            )
        else:
            actions.organization_update(actor=request.user, organization=obj, changed=form.changed_data)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # The service refused (the transaction is rolled back): show why on a fresh form, instead of posting
            # the same data again.
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(OrgChange)
class OrgChangeAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["effective_date", "organization", "kind", "old_parent", "new_parent", "actor", "created_at"]
    list_filter = ["kind", "effective_date"]
    search_fields = ["organization__name", "reason"]
    list_select_related = ["organization", "old_parent", "new_parent", "actor"]


class PositionAdminForm(forms.ModelForm):
    """The position's form (its fields are the admin's)."""

    def clean_user(self):
        user = self.cleaned_data["user"]
        if user is not None and user.groups.filter(name__in=duties.ADMIN_ROLES).exists():
            # A position opens the records of its subtree: an administrator would read members (三员分立).
            raise ValidationError(_("An administrator holds no position in the tree."), code="admin_with_position")
        return user


@admin.register(Position)
class PositionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = PositionAdminForm
    list_display = ["user", "organization", "role", "title", "start_date", "end_date"]
    list_filter = ["role", "organization__kind"]
    search_fields = ["user__username", "user__full_name", "organization__name", "title"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user", "organization"]
    filter_horizontal = ["liaison_villages"]


@admin.register(PartyMember)
class PartyMemberAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "gender", "id_number_masked", "phone_masked", "branch", "status", "joined_on"]
    list_filter = ["status", "gender", "branch__parent"]
    search_fields = ["name"]
    list_select_related = ["branch"]
    autocomplete_fields = ["branch"]

    @admin.display(description=_("ID number"))
    def id_number_masked(self, obj):
        return obj.id_number_masked

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return obj.phone_masked

    def get_fields(self, request, obj=None):
        if obj is None:
            return MemberForm.Meta.fields
        # Stored personal data is never sent back to the browser in full: masked and read-only on change.
        masked = {"id_number": "id_number_masked", "phone": "phone_masked"}
        return [masked.get(f, f) for f in MemberForm.Meta.fields]

    def get_readonly_fields(self, request, obj=None):
        return ["id_number_masked", "phone_masked"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        actions.member_save(actor=request.user, member=obj, changed=form.changed_data)
