"""Pages of the external partnerships: the events (with Excel export), recording one, the partners (with their
events in the user's scope, and Excel export), adding a partner. Scope is the bases'; writes go through
`development.actions`."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.generic import ObjectEditView, ObjectListView, OnceOnlyFormMixin

from .. import actions, selectors
from ..filtersets import EventFilterSet, PartnerFilterSet
from ..forms import EventForm, PartnerForm
from ..models import Partner, PartnerEvent
from ..permissions import branch_generals, can_change_event
from ..tables import EventTable, PartnerTable
from .common import OnScopedObject, crumb

__all__ = [
    "BranchRecorderMixin",
    "EventAddView",
    "EventEditView",
    "EventListView",
    "PartnerAddView",
    "PartnerListView",
]


def _events_crumb():
    return crumb(_("Partnership events"), reverse("development:event_list"))


class BranchRecorderMixin:
    """A form page for those who record a general branch's development (its officers, the town): 403 otherwise;
    the form gets the user (its general branches)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not branch_generals(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    form_takes_user = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "user": self.request.user} if self.form_takes_user else kwargs


class EventListView(ObjectListView):
    model = PartnerEvent
    title = gettext_lazy("Partnership events: outside resources for the villages")
    template_name = "development/event_list.html"
    filterset_class = EventFilterSet
    table = EventTable
    default_sort = "-date"
    export_name = "partnership-events"

    def select(self, queryset):
        return queryset.select_related("general_branch", "partner")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_add=branch_generals(self.request.user).exists(), **kwargs)


class EventAddView(OnceOnlyFormMixin, BranchRecorderMixin, ObjectEditView):
    form_class = EventForm
    title = gettext_lazy("Record a partnership event")
    cancel_url = reverse_lazy("development:event_list")

    def perform(self, form):
        return actions.event_add(actor=self.request.user, **form.cleaned_data)

    def success_message(self, event, form) -> str:
        return _("Recorded: %(event)s.") % {"event": event}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_events_crumb()], **kwargs)


class EventEditView(OnScopedObject, ObjectEditView):
    """Correct an event or complete its outcomes (people employed are often known weeks after a job fair)."""

    model = PartnerEvent
    form_class = EventForm

    def allowed(self, user, obj) -> bool:
        return can_change_event(user, obj)

    def get_title(self) -> str:
        return _("Change: %(event)s") % {"event": self.object}

    def get_cancel_url(self) -> str:
        return reverse("development:event_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        e = self.object
        names = ["kind", "date", "title", "people_employed", "person_times_trained", "contracts", "amount", "note"]
        return {"general_branch": e.general_branch_id, "partner": e.partner_id, **{n: getattr(e, n) for n in names}}

    def perform(self, form):
        return actions.event_add(actor=self.request.user, event=self.object, **form.cleaned_data)

    def success_message(self, event, form) -> str:
        return _("Saved: %(event)s.") % {"event": event}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_events_crumb()], **kwargs)


class PartnerListView(ObjectListView):
    """The partners the user's general branches work with (and those with no event yet), with their events in
    the user's scope; each leads to its events."""

    model = Partner
    title = gettext_lazy("Partners")
    template_name = "development/partner_list.html"
    filterset_class = PartnerFilterSet
    table = PartnerTable
    default_sort = "name"
    export_name = "partners"

    def select(self, queryset):
        return selectors.partner_rows(queryset, self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            ancestors=[_events_crumb()], can_add=branch_generals(self.request.user).exists(), **kwargs
        )


class PartnerAddView(OnceOnlyFormMixin, BranchRecorderMixin, ObjectEditView):
    form_class = PartnerForm
    form_takes_user = False
    title = gettext_lazy("Add a partner")
    cancel_url = reverse_lazy("development:event_add")

    def perform(self, form):
        return actions.partner_add(actor=self.request.user, **form.cleaned_data)

    def success_message(self, partner, form) -> str:
        return _("Added the partner %(partner)s.") % {"partner": partner}

    def success_response(self, partner):
        return redirect("development:event_add")

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_events_crumb()], **kwargs)
