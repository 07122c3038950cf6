"""Pages that change a village's committee and party groups: elect a new term, correct a term's seats, add or
change a group. For the village's secretary and the levels above; out of scope 404, in scope without the role 403.
Thin: the object through the scoped bases, the write through branches.actions.committees."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.generic import ObjectEditView, OnceOnlyFormMixin, ScopedObjectMixin

from .. import actions, selectors
from ..choices import OrgKind
from ..forms import CommitteeForm, PartyGroupForm
from ..models import BranchCommittee, Organization, PartyGroup

__all__ = ["CommitteeEditView", "CommitteeElectView", "PartyGroupCreateView", "PartyGroupEditView"]


class VillageEditMixin(ScopedObjectMixin):
    """Finds the object of the URL in scope (404 outside it), its village, and refuses (403) a user who may not
    change the village's committees."""

    def village_of(self, obj) -> Organization:
        return obj

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
            self.village = self.village_of(self.object)
            if self.village.kind != OrgKind.VILLAGE:
                raise Http404
            if not actions.can_change_committees(request.user, self.village):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self) -> str:
        return self.village.get_absolute_url()

    def get_context_data(self, **kwargs):
        ancestors = selectors.ancestors(self.village, self.request.user) + [self.village]
        return super().get_context_data(ancestors=ancestors, **kwargs)

    @staticmethod
    def seat_lines(form) -> list:
        return [actions.SeatLine(**row) for row in form.seats()]


class CommitteeElectView(OnceOnlyFormMixin, VillageEditMixin, ObjectEditView):
    """Record a newly elected committee of a village: a new term, the running one ending the day before."""

    model = Organization
    form_class = CommitteeForm
    submit_label = gettext_lazy("Record the election")

    def get_title(self) -> str:
        return _("Elect the branch committee of %(org)s") % {"org": self.village.name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "village": self.village}

    def perform(self, form):
        return actions.committee_elect(
            actor=self.request.user,
            village=self.village,
            term_start=form.cleaned_data["term_start"],
            seats=self.seat_lines(form),
            note=form.cleaned_data["note"],
        )

    def success_message(self, committee, form) -> str:
        return _("Recorded the branch committee of %(org)s.") % {"org": self.village.name}


class CommitteeEditView(VillageEditMixin, ObjectEditView):
    """Correct the seats and posts of one committee term (a by-election, a change of posts)."""

    model = BranchCommittee
    form_class = CommitteeForm

    def select(self, queryset):
        return selectors.committee_rows(queryset)

    def village_of(self, committee) -> Organization:
        return committee.village

    def get_title(self) -> str:
        return _("Seats of %(committee)s") % {"committee": self.object}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "village": self.village, "committee": self.object}

    def perform(self, form):
        return actions.committee_set_seats(
            actor=self.request.user, committee=self.object, seats=self.seat_lines(form), note=form.cleaned_data["note"]
        )

    def success_message(self, committee, form) -> str:
        return _("Saved the seats of %(committee)s.") % {"committee": committee}


class PartyGroupFormMixin(VillageEditMixin):
    form_class = PartyGroupForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "village": self.village, "instance": self.group()}

    def perform(self, form):
        members = list(form.cleaned_data["members"])
        return actions.party_group_save(actor=self.request.user, group=form.instance, members=members)

    def success_message(self, group, form) -> str:
        return _("Saved the party group %(name)s.") % {"name": group.name}


class PartyGroupCreateView(OnceOnlyFormMixin, PartyGroupFormMixin, ObjectEditView):
    """Add a party group to a village."""

    model = Organization

    def group(self) -> PartyGroup:
        return PartyGroup(village=self.village)

    def get_title(self) -> str:
        return _("Add a party group to %(org)s") % {"org": self.village.name}


class PartyGroupEditView(PartyGroupFormMixin, ObjectEditView):
    """Change a party group: its name, leader, dates and members."""

    model = PartyGroup

    def select(self, queryset):
        return selectors.party_group_rows(queryset)

    def village_of(self, group) -> Organization:
        return group.village

    def group(self) -> PartyGroup:
        return self.object

    def get_title(self) -> str:
        return _("Edit %(group)s") % {"group": self.object}
