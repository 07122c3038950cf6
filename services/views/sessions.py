"""Pages of the services app: half-days and records (lists with Excel export), a half-day's page, a centre's month
(calendar and figures), the "55819" compliance of the centres side by side, and the forms that open a half-day,
record a service and close a follow-up. Scope is the bases'; writes go through `services.actions`."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from anding import audit
from anding.exports import xlsx_response
from anding.generic import (
    ObjectEditView,
    ObjectListView,
    OnceOnlyFormMixin,
    ScopedDetailView,
    ScopedObjectMixin,
    parse_int,
)

from .. import actions, selectors
from ..choices import CATEGORY_TARGET, DEPARTMENT_TARGET, HALF_DAY_TARGET, SERVICE_TARGET
from ..filtersets import RecordFilterSet, SessionFilterSet
from ..forms import FollowUpCloseForm, RecordForm, SessionOpenForm
from ..models import ServiceCentre, ServiceRecord, ServiceSession
from ..permissions import can_close_follow_up, can_open_session, can_record, staff_department
from ..tables import RecordTable, SessionTable, compliance_sheet
from .common import OnScopedObject, crumb

__all__ = [
    "CentreMonthView",
    "ComplianceView",
    "FollowUpCloseView",
    "RecordAddView",
    "RecordListView",
    "SessionDetailView",
    "SessionListView",
    "SessionOpenView",
]

TARGETS = {
    "half_days": HALF_DAY_TARGET,
    "departments": DEPARTMENT_TARGET,
    "services": SERVICE_TARGET,
    "categories": CATEGORY_TARGET,
}


def _sessions_crumb():
    return crumb(_("Service half-days"), reverse("services:session_list"))


def _month(value: str | None) -> datetime.date:
    """The first day of the month given as YYYY-MM; this month for anything else."""
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date().replace(day=1)
    except ValueError:
        return timezone.localdate().replace(day=1)


class SessionListView(ObjectListView):
    model = ServiceSession
    title = gettext_lazy("Service half-days")
    template_name = "services/session_list.html"
    filterset_class = SessionFilterSet
    table = SessionTable
    default_sort = "-date"
    export_name = "service-half-days"

    def select(self, queryset):
        return selectors.session_rows(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_open=can_open_session(self.request.user), **kwargs)


class RecordListView(ObjectListView):
    model = ServiceRecord
    title = gettext_lazy("Service records")
    template_name = "services/record_list.html"
    filterset_class = RecordFilterSet
    table = RecordTable
    default_sort = "-date"
    export_name = "service-records"

    def select(self, queryset):
        return selectors.record_rows(queryset)


class SessionDetailView(ScopedDetailView):
    model = ServiceSession
    template_name = "services/session_detail.html"
    context_object_name = "session"

    def select(self, queryset):
        return queryset.select_related("centre").prefetch_related("departments", "staff")

    def get_context_data(self, **kwargs):
        user = self.request.user
        records = selectors.record_rows(ServiceRecord.objects.restrict(user).filter(session=self.object))
        records = list(records.select_related("service_item__category"))
        for record in records:
            record.can_close = record.is_open_follow_up and can_close_follow_up(user, record)
        department = staff_department(user)
        form = RecordForm(session=self.object, department=department) if department is not None else None
        return super().get_context_data(
            ancestors=[_sessions_crumb()],
            records=records,
            can_record=form is not None,
            department=department,
            record_form=form,
            form_token=uuid.uuid4(),
            **kwargs,
        )


class CentreMonthView(ScopedDetailView):
    """A centre's month: the calendar of the half-days held and the month's figures against the targets."""

    model = ServiceCentre
    template_name = "services/centre_month.html"
    context_object_name = "centre"

    def get_context_data(self, **kwargs):
        month = _month(self.request.GET.get("month"))
        sessions = ServiceSession.objects.restrict(self.request.user)
        previous = (month - datetime.timedelta(days=1)).replace(day=1)
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        return super().get_context_data(
            ancestors=[crumb(_("55819 compliance"), reverse("services:compliance") + f"?year={month.year}")],
            month=month,
            previous=f"{previous:%Y-%m}",
            following=f"{following:%Y-%m}",
            weeks=selectors.month_calendar(self.object, sessions, month),
            figures=selectors.centre_month(self.object, sessions, month),
            targets=TARGETS,
            **kwargs,
        )


class ComplianceView(ScopedObjectMixin, TemplateView):
    """ "55819" per centre and month of a year: the centres in scope side by side, the months that fell short
    highlighted; `?export=xlsx` gives the same figures as a spreadsheet."""

    model = ServiceCentre
    template_name = "services/compliance.html"

    def figures(self):
        year = parse_int(self.request.GET.get("year"))
        self.year = year if year and 2000 <= year <= 2100 else timezone.localdate().year
        centres = list(self.scoped_queryset())
        sessions = ServiceSession.objects.restrict(self.request.user)
        return selectors.compliance(centres, sessions, self.year)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            sheet = compliance_sheet(self.figures())
            audit.record("export", detail={"list": "services-compliance", "year": self.year, "rows": len(sheet[2])})
            return xlsx_response(f"services-compliance-{self.year}", sheet)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        figures = self.figures()
        return super().get_context_data(
            title=_("55819 compliance"),
            year=self.year,
            rows=list(figures.values()),
            months=[datetime.date(self.year, m, 1) for m in range(1, 13)],
            targets=TARGETS,
            **kwargs,
        )


class SessionOpenView(OnceOnlyFormMixin, ObjectEditView):
    """Open (or find) a centre's half-day: town cadres and department staff."""

    form_class = SessionOpenForm
    title = gettext_lazy("Open a half-day")
    submit_label = gettext_lazy("Open")
    cancel_url = reverse_lazy("services:session_list")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_open_session(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return actions.session_open(actor=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_sessions_crumb()], **kwargs)


class RecordAddView(OnceOnlyFormMixin, OnScopedObject, ObjectEditView):
    """A department staff member records a service they handled on this half-day."""

    model = ServiceSession
    form_class = RecordForm
    submit_label = gettext_lazy("Record")

    def allowed(self, user, obj) -> bool:
        return can_record(user)

    def get_title(self) -> str:
        return _("Record a service: %(session)s") % {"session": self.object}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "session": self.object,
            "department": staff_department(self.request.user),
        }

    def perform(self, form):
        return actions.record_add(actor=self.request.user, session=self.object, **form.cleaned_data)

    def success_message(self, record, form) -> str:
        return _("Recorded: %(record)s.") % {"record": record}

    def get_context_data(self, **kwargs):
        crumbs = [_sessions_crumb(), crumb(str(self.object), self.object.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class FollowUpCloseView(OnScopedObject, ObjectEditView):
    """The department closes a follow-up."""

    model = ServiceRecord
    form_class = FollowUpCloseForm
    submit_label = gettext_lazy("Close the follow-up")

    def allowed(self, user, obj) -> bool:
        return can_close_follow_up(user, obj)

    def get_title(self) -> str:
        return _("Close the follow-up: %(record)s") % {"record": self.object}

    def perform(self, form):
        return actions.follow_up_close(actor=self.request.user, record=self.object, **form.cleaned_data)

    def success_message(self, record, form) -> str:
        return _("Follow-up closed: %(record)s.") % {"record": record}

    def get_context_data(self, **kwargs):
        session = self.object.session
        crumbs = [_sessions_crumb(), crumb(str(session), session.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)
