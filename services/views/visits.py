"""Pages of household visits: the household register (list with Excel export, a household's page with its visits,
the forms that add and change a household, the Excel import), the visits (list with Excel export, the forms that
record one and close its follow-up), the coverage of each village and the picture of needs. Scope is the bases';
writes go through `services.actions`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from anding import audit
from anding.exports import xlsx_response
from anding.generic import (
    AuditedReadMixin,
    ObjectEditView,
    ObjectListView,
    OnceOnlyFormMixin,
    ScopedDetailView,
    ScopedObjectMixin,
    ScopedSummaryView,
    parse_int,
)
from anding.sheets import keep_upload, kept_upload
from branches.selectors import drill_down

from .. import actions, selectors
from ..filtersets import HouseholdFilterSet, VisitFilterSet
from ..forms import HouseholdForm, HouseholdImportForm, VisitCloseForm, VisitForm
from ..household_import import check_rows, read_rows, template_response
from ..models import Household, HouseholdVisit
from ..permissions import can_keep_visits, may_keep_visits
from ..tables import HouseholdTable, VisitTable, coverage_sheet
from .common import OnScopedObject, crumb

__all__ = [
    "CoverageView",
    "HouseholdAddView",
    "HouseholdDetailView",
    "HouseholdEditView",
    "HouseholdImportTemplateView",
    "HouseholdImportView",
    "HouseholdListView",
    "NeedsView",
    "VisitCloseView",
    "VisitListView",
    "VisitRecordView",
]


def _households_crumb():
    return crumb(_("Household register"), reverse("services:household_list"))


def _year(value: str | None) -> int:
    year = parse_int(value)
    return year if year and 2000 <= year <= 2100 else timezone.localdate().year


class HouseholdListView(ObjectListView):
    model = Household
    title = gettext_lazy("Household register")
    template_name = "services/household_list.html"
    filterset_class = HouseholdFilterSet
    table = HouseholdTable
    default_sort = "number"
    export_name = "households"

    def select(self, queryset):
        return selectors.household_rows(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_keep=may_keep_visits(self.request.user), **kwargs)


class VisitListView(ObjectListView):
    model = HouseholdVisit
    title = gettext_lazy("Household visits")
    template_name = "services/visit_list.html"
    filterset_class = VisitFilterSet
    table = VisitTable
    default_sort = "-date"
    export_name = "household-visits"
    count_estimate_from = 50_000  # the city's 400,000 visits: the planner's estimate on its first pages

    def select(self, queryset):
        return selectors.visit_rows(queryset).defer("household__phone")  # not shown: not decrypted


class HouseholdDetailView(AuditedReadMixin, ScopedDetailView):
    """A household: its entry on the register and its visits, with the buttons of those who keep the village's.
    Residents' personal data (head, address, phone masked): every read is audited (`household_view`)."""

    read_action = "household_view"
    model = Household
    template_name = "services/household_detail.html"
    context_object_name = "household"

    def select(self, queryset):
        return queryset.select_related("village")

    def get_context_data(self, **kwargs):
        user = self.request.user
        can_keep = can_keep_visits(user, self.object.village)
        visits = selectors.visit_rows(HouseholdVisit.objects.restrict(user).filter(household=self.object))
        visits = visits.prefetch_related("cadres")
        return super().get_context_data(
            ancestors=[_households_crumb()], visits=list(visits), can_keep=can_keep, **kwargs
        )


class HouseholdAddView(OnceOnlyFormMixin, ObjectEditView):
    """Add a household to the register of a village the user keeps."""

    form_class = HouseholdForm
    title = gettext_lazy("Add a household")
    submit_label = gettext_lazy("Add")
    cancel_url = reverse_lazy("services:household_list")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_keep_visits(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return actions.household_save(actor=self.request.user, household=None, **form.cleaned_data)

    def success_message(self, household, form) -> str:
        return _("Added to the register: %(household)s.") % {"household": household}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_households_crumb()], **kwargs)


class HouseholdEditView(OnScopedObject, ObjectEditView):
    """Change a household of the register (the phone is never sent back: empty keeps it)."""

    model = Household
    form_class = HouseholdForm
    submit_label = gettext_lazy("Save")

    def allowed(self, user, obj) -> bool:
        return can_keep_visits(user, obj.village)

    def get_title(self) -> str:
        return _("Change the household: %(household)s") % {"household": self.object}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "household": self.object}

    def perform(self, form):
        return actions.household_save(actor=self.request.user, household=self.object, **form.cleaned_data)

    def success_message(self, household, form) -> str:
        return _("Saved: %(household)s.") % {"household": household}

    def get_context_data(self, **kwargs):
        crumbs = [_households_crumb(), crumb(str(self.object), self.object.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class VisitRecordView(OnceOnlyFormMixin, OnScopedObject, ObjectEditView):
    """Record a visit to this household: an officer over its village."""

    model = Household
    form_class = VisitForm
    submit_label = gettext_lazy("Record")

    def allowed(self, user, obj) -> bool:
        return can_keep_visits(user, obj.village)

    def get_title(self) -> str:
        return _("Record a visit: %(household)s") % {"household": self.object}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "household": self.object, "user": self.request.user}

    def perform(self, form):
        return actions.visit_record(actor=self.request.user, household=self.object, **form.cleaned_data)

    def success_message(self, visit, form) -> str:
        return _("Visit recorded: %(visit)s.") % {"visit": visit}

    def get_context_data(self, **kwargs):
        crumbs = [_households_crumb(), crumb(str(self.object), self.object.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class VisitCloseView(OnScopedObject, ObjectEditView):
    """Close a visit's follow-up: its owner or an officer over the village."""

    model = HouseholdVisit
    form_class = VisitCloseForm
    submit_label = gettext_lazy("Close the follow-up")

    def select(self, queryset):
        return queryset.select_related("household__village")

    def allowed(self, user, obj) -> bool:
        return can_keep_visits(user, obj.household.village)

    def get_title(self) -> str:
        return _("Close the follow-up: %(visit)s") % {"visit": self.object}

    def perform(self, form):
        return actions.visit_close(actor=self.request.user, visit=self.object, **form.cleaned_data)

    def success_message(self, visit, form) -> str:
        return _("Follow-up closed: %(visit)s.") % {"visit": visit}

    def get_context_data(self, **kwargs):
        household = self.object.household
        crumbs = [_households_crumb(), crumb(str(household), household.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class CoverageView(ScopedSummaryView):
    """The coverage of each village whose register the user may see, in a year: households on the register,
    households visited, visits and open follow-ups; `?export=xlsx` gives the same figures as a spreadsheet."""

    template_name = "services/visit_coverage.html"

    def figures(self, grouped: bool = True):
        """The rows under the node opened (`?within=`): per district or town for a city or district (`grouped`; the
        export lists every village)."""
        self.year = _year(self.request.GET.get("year"))
        self.drill = drill_down(self.request.user, self.request.GET.get("within"))
        villages = selectors.register_villages(self.request.user).filter(self.drill.q())
        visits = HouseholdVisit.objects.restrict(self.request.user)
        return selectors.coverage(villages, visits, self.year, timezone.localdate(), self.drill if grouped else None)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            sheet = coverage_sheet(self.figures(grouped=False), self.year)
            audit.record("export", detail={"list": "visit-coverage", "year": self.year, "rows": len(sheet[2])})
            return xlsx_response(f"visit-coverage-{self.year}", sheet)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows = self.figures()
        total = selectors.CoverageRow(village=None)
        for row in rows:
            total.households += row.households
            total.visited += row.visited
            total.visits += row.visits
            total.open_follow_ups += row.open_follow_ups
            total.overdue += row.overdue
        return super().get_context_data(
            title=_("Visit coverage"),
            year=self.year,
            rows=rows,
            total=total,
            drill=self.drill,
            drill_query=f"year={self.year}&",
            **kwargs,
        )


class NeedsView(ScopedObjectMixin, TemplateView):
    """What the visits in scope raised in a year, by topic: how many visits, and the latest items raised."""

    model = HouseholdVisit
    template_name = "services/visit_needs.html"

    def get_context_data(self, **kwargs):
        year = _year(self.request.GET.get("year"))
        rows = selectors.needs(self.scoped_queryset(), year)
        return super().get_context_data(
            title=_("Needs raised in visits"),
            year=year,
            rows=rows,
            total=sum(r.visits for r in rows),
            latest_count=selectors.LATEST_RAISED,
            **kwargs,
        )


# --- the Excel import of the register ----------------------------------------------------------------------------

_SALT = "services.household_import"


class _ImportAccess:
    kept = False  # an upload and its check (anding.kept)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_keep_visits(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HouseholdImportTemplateView(_ImportAccess, ScopedSummaryView):
    """The Excel template: the header row in the page's language and one example row."""

    def get(self, request, *args, **kwargs):
        return template_response(request.user)


class HouseholdImportView(_ImportAccess, ScopedSummaryView):
    """Upload → preview (errors by row and column, or what would be added) → import. Between the preview and the
    import the file is kept on the server under a random name, named by a signed token (an hour) for this user;
    the import checks the rows again."""

    template_name = "services/household_import.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", HouseholdImportForm())
        return super().get_context_data(
            title=_("Import households from Excel"), ancestors=[_households_crumb()], **kwargs
        )

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.import_kept(request.POST["token"])
        form = HouseholdImportForm(request)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        check = check_rows(request.user, form.rows)
        audit.record("household_import_check", actor=request.user, detail=check.counts())
        token = (
            keep_upload(request.user, form.cleaned_data["file"], salt=_SALT) if not check.errors and check.new else None
        )
        return self.render_to_response(self.get_context_data(check=check, token=token))

    def import_kept(self, token):
        kept = kept_upload(self.request.user, token, salt=_SALT)
        if kept is None:
            messages.error(self.request, _("The checked file has expired; upload it again."))
            return redirect("services:household_import")
        try:
            with default_storage.open(kept["file"], "rb") as file:
                rows = read_rows(file)
            check = actions.household_import(actor=self.request.user, rows=rows)
        except ValidationError as exc:
            check = getattr(exc, "check", None)
            if check is None:
                messages.error(self.request, exc.messages[0])
                return redirect("services:household_import")
            return self.render_to_response(self.get_context_data(check=check))
        default_storage.delete(kept["file"])
        messages.success(
            self.request,
            _("Imported %(created)d households; %(skipped)d were already on the register.")
            % {"created": len(check.new), "skipped": len(check.skipped)},
        )
        return redirect(reverse("services:household_list"))
