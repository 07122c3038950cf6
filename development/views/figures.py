"""Pages of the villages' yearly figures: the list (with Excel export) and the form that enters or corrects them.
Scope is the bases'; writes go through `development.actions`."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.generic import ObjectEditView, ObjectListView, OnceOnlyFormMixin

from .. import actions, selectors
from ..filtersets import FiguresFilterSet
from ..forms import FiguresForm
from ..models import VillageFigures
from ..permissions import figures_villages
from ..tables import FiguresTable
from .common import OnScopedObject, crumb

__all__ = ["FiguresAddView", "FiguresEditView", "FiguresListView"]


def _figures_crumb():
    return crumb(_("Village figures"), reverse("development:figures_list"))


class FiguresListView(ObjectListView):
    model = VillageFigures
    title = gettext_lazy("Village figures")
    template_name = "development/figures_list.html"
    filterset_class = FiguresFilterSet
    table = FiguresTable
    default_sort = "-year"
    export_name = "village-figures"

    def select(self, queryset):
        return selectors.figures_rows(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_add=figures_villages(self.request.user).exists(), **kwargs)


class FiguresAddView(OnceOnlyFormMixin, ObjectEditView):
    """A village's officers, its general branch or the town enter its figures for a year."""

    form_class = FiguresForm
    title = gettext_lazy("Enter village figures")
    cancel_url = reverse_lazy("development:figures_list")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not figures_villages(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return actions.figures_save(actor=self.request.user, **form.cleaned_data)

    def success_message(self, figures, form) -> str:
        return _("Saved: %(figures)s.") % {"figures": figures}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_figures_crumb()], **kwargs)


class FiguresEditView(OnScopedObject, ObjectEditView):
    """Correct a village's figures for a year."""

    model = VillageFigures

    def allowed(self, user, obj) -> bool:
        return figures_villages(user).filter(pk=obj.village_id).exists()

    def get_title(self) -> str:
        return _("Correct: %(figures)s") % {"figures": self.object}

    def get_cancel_url(self) -> str:
        return reverse("development:figures_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_form_class(self):
        return FiguresForm

    def get_initial(self):
        row = self.object
        return {
            "village": row.village_id,
            "year": row.year,
            "collective_income": row.collective_income,
            "income_per_capita": row.income_per_capita,
        }

    def perform(self, form):
        return actions.figures_save(actor=self.request.user, figures=self.object, **form.cleaned_data)

    def success_message(self, figures, form) -> str:
        return _("Saved: %(figures)s.") % {"figures": figures}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_figures_crumb()], **kwargs)
