"""The admin of village branch committees and party groups: scoped, and every save goes through the actions
(an election ends the running term; seats go to full members of the village; a group's members belong to it), so
the admin keeps the same rules and audit trail as the pages and the API. Nothing is deleted: a term ends, a group
is dissolved."""

from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from anding.admin import ScopedAdminMixin

from .. import actions
from ..models import BranchCommittee, CommitteeSeat, PartyGroup, PartyGroupMembership


def _kept_rows(formsets):
    """The cleaned rows of the first inline formset, those marked for deletion left out."""
    formset = formsets[0]
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("member")
    ]


class ServiceAdminMixin:
    """The changes are saved by one action in `save_related` (the record and its inline rows together); a refusal
    comes back as a message on a fresh form, nothing saved."""

    def save_model(self, request, obj, form, change):
        pass  # saved with its rows in save_related

    def has_delete_permission(self, request, obj=None):
        return False

    def construct_change_message(self, request, form, formsets, add=False):
        # The inline rows were saved by the action, not by the formsets; the audit trail holds the details.
        return construct_change_message(form, [], add)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class CommitteeSeatInline(ScopedAdminMixin, admin.TabularInline):
    model = CommitteeSeat
    fields = ["member", "post"]
    autocomplete_fields = ["member"]
    extra = 3
    max_num = 7

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


@admin.register(BranchCommittee)
class BranchCommitteeAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["village", "term_start", "term_end", "note", "updated_at"]
    list_filter = ["term_start", "village__parent"]
    search_fields = ["village__name", "note"]
    list_select_related = ["village"]
    autocomplete_fields = ["village"]
    fields = ["village", "term_start", "term_end", "note"]
    inlines = [CommitteeSeatInline]

    def get_readonly_fields(self, request, obj=None):
        return ["village", "term_start"] if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "term_end" in form.base_fields:
            form.base_fields["term_end"].required = False  # five years from the start unless given
        return form

    def save_related(self, request, form, formsets, change):
        seats = [actions.SeatLine(member=row["member"], post=row["post"]) for row in _kept_rows(formsets)]
        committee = form.instance
        if change:
            actions.committee_set_seats(actor=request.user, committee=committee, seats=seats, note=committee.note)
            return
        created = actions.committee_elect(
            actor=request.user,
            village=committee.village,
            term_start=committee.term_start,
            term_end=committee.term_end,
            seats=seats,
            note=committee.note,
        )
        committee.pk, committee.term_end = created.pk, created.term_end


class PartyGroupMembershipInline(ScopedAdminMixin, admin.TabularInline):
    model = PartyGroupMembership
    fields = ["member"]
    autocomplete_fields = ["member"]
    extra = 5

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


@admin.register(PartyGroup)
class PartyGroupAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "village", "leader", "formed_on", "dissolved_on"]
    list_filter = ["village__parent", "dissolved_on"]
    search_fields = ["name", "village__name", "leader__name"]
    list_select_related = ["village", "leader"]
    autocomplete_fields = ["village", "leader"]
    fields = ["village", "name", "leader", "formed_on", "dissolved_on"]
    inlines = [PartyGroupMembershipInline]

    def get_readonly_fields(self, request, obj=None):
        return ["village"] if obj is not None else []

    def save_related(self, request, form, formsets, change):
        members = [row["member"] for row in _kept_rows(formsets)]
        actions.party_group_save(actor=request.user, group=form.instance, members=members)
