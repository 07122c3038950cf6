"""Pages of the pairings (强村带弱村): the list (with Excel export), a pairing's page with both sides' figures and
its progress over time, the pairing's form (new and changed) and a progress record's form (new and corrected).
Scope is the bases'; writes go through `development.actions`."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.generic import ObjectEditView, ObjectListView, OnceOnlyFormMixin, ScopedDetailView

from .. import actions, selectors
from ..filtersets import PairingFilterSet, ProgressFilterSet
from ..forms import PairingForm, ProgressForm
from ..models import Pairing, PairingProgress
from ..permissions import can_change_pairing, can_change_record, pairing_villages
from ..tables import PairingTable, ProgressTable
from .common import OnScopedObject, crumb

__all__ = [
    "PairingAddView",
    "PairingDetailView",
    "PairingEditView",
    "PairingListView",
    "ProgressAddView",
    "ProgressEditView",
    "ProgressListView",
]


def _pairings_crumb():
    return crumb(_("Pairings"), reverse("development:pairing_list"))


class PairingListView(ObjectListView):
    model = Pairing
    title = gettext_lazy("Pairings: strong villages lead weak ones")
    template_name = "development/pairing_list.html"
    filterset_class = PairingFilterSet
    table = PairingTable
    default_sort = "-start_date"
    export_name = "pairings"

    def select(self, queryset):
        return selectors.pairing_rows(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_add=pairing_villages(self.request.user).exists(), **kwargs)


class ProgressListView(ObjectListView):
    """The progress records of the pairings in scope (the ledger's figures lead here, filtered)."""

    model = PairingProgress
    title = gettext_lazy("Pairing progress")
    template_name = "development/progress_list.html"
    filterset_class = ProgressFilterSet
    table = ProgressTable
    default_sort = "-date"
    export_name = "pairing-progress"

    def select(self, queryset):
        return selectors.progress_rows(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_pairings_crumb()], **kwargs)


class PairingDetailView(ScopedDetailView):
    model = Pairing
    template_name = "development/pairing_detail.html"
    context_object_name = "pairing"

    def select(self, queryset):
        return queryset.select_related("lead_village__parent").prefetch_related("helped_villages")

    def get_context_data(self, **kwargs):
        pairing = self.object
        progress = list(pairing.progress.order_by("date", "pk"))
        return super().get_context_data(
            ancestors=[_pairings_crumb()],
            sides=selectors.pairing_sides(pairing),
            progress=progress,
            latest=progress[-1] if progress else None,
            can_change=can_change_pairing(self.request.user, pairing),
            **kwargs,
        )


class PairingFormMixin:
    form_class = PairingForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def success_message(self, pairing, form) -> str:
        return _("Saved the pairing %(pairing)s.") % {"pairing": pairing}


class PairingAddView(OnceOnlyFormMixin, PairingFormMixin, ObjectEditView):
    """The officers of a general branch (or the town) set up a pairing led by one of their villages."""

    title = gettext_lazy("New pairing")
    cancel_url = reverse_lazy("development:pairing_list")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not pairing_villages(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        return actions.pairing_save(actor=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_pairings_crumb()], **kwargs)


class PairingEditView(OnScopedObject, PairingFormMixin, ObjectEditView):
    model = Pairing

    def allowed(self, user, obj) -> bool:
        return can_change_pairing(user, obj)

    def get_title(self) -> str:
        return _("Change: %(pairing)s") % {"pairing": self.object}

    def get_initial(self):
        p = self.object
        return {
            "lead_village": p.lead_village_id,
            "helped_villages": [v.pk for v in p.helped_villages.all()],
            "industry": p.industry,
            "goals": p.goals,
            "start_date": p.start_date,
            "end_date": p.end_date,
        }

    def perform(self, form):
        return actions.pairing_save(actor=self.request.user, pairing=self.object, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        crumbs = [_pairings_crumb(), crumb(str(self.object), self.object.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class ProgressAddView(OnceOnlyFormMixin, OnScopedObject, ObjectEditView):
    """Where the pairing stands now: area, households, income per capita before and after."""

    model = Pairing
    form_class = ProgressForm
    submit_label = gettext_lazy("Record")

    def allowed(self, user, obj) -> bool:
        return can_change_pairing(user, obj)

    def get_title(self) -> str:
        return _("Record progress: %(pairing)s") % {"pairing": self.object}

    def perform(self, form):
        return actions.progress_add(actor=self.request.user, pairing=self.object, **form.cleaned_data)

    def success_message(self, progress, form) -> str:
        return _("Recorded the progress of %(date)s.") % {"date": progress.date}

    def success_response(self, progress):
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        crumbs = [_pairings_crumb(), crumb(str(self.object), self.object.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class ProgressEditView(OnScopedObject, ObjectEditView):
    """Correct a progress record (a mistyped area or income): those who may record it; the ledger follows."""

    model = PairingProgress
    form_class = ProgressForm

    def select(self, queryset):
        return queryset.select_related("pairing__lead_village")

    def allowed(self, user, obj) -> bool:
        return can_change_record(user, obj)

    def get_title(self) -> str:
        return _("Correct: %(progress)s") % {"progress": self.object}

    def get_initial(self):
        names = ["date", "area_mu", "households", "income_before", "income_after", "notes"]
        return {name: getattr(self.object, name) for name in names}

    def perform(self, form):
        return actions.progress_correct(actor=self.request.user, progress=self.object, **form.cleaned_data)

    def success_message(self, progress, form) -> str:
        return _("Saved the progress of %(date)s.") % {"date": progress.date}

    def get_context_data(self, **kwargs):
        pairing = self.object.pairing
        crumbs = [_pairings_crumb(), crumb(str(pairing), pairing.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)
