"""Pages of emergencies (紧急情况处置): the shared case pages with the incident's fields, its timeline of reports and
actions on the case's page, and two pages of its own: file a report, log an action."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.generic import ObjectEditView, OnceOnlyFormMixin
from anding.tables import Column

from ... import actions, selectors
from ...actions.powers.emergency import REPORT_STEPS as EMERGENCY_REPORT_STEPS
from ...forms import CaseFormBase, EmergencyActionForm, EmergencyCaseForm, EmergencyReportForm, case_form
from ...models import EmergencyIncident
from ...permissions import has_role_over
from ...tables import CaseTable
from .base import CaseDetailView, CaseObjectMixin, CasePages, case_crumbs

__all__ = ["PAGES"]

REPORT_STEPS = set(EMERGENCY_REPORT_STEPS.values())


class EmergencyDetailView(CaseDetailView):
    """The case's page: the report steps are taken by filing the report, so they show as the timeline's buttons."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["transitions"] = [t for t in context["transitions"] if t.name not in REPORT_STEPS]
        return context

    def extra_context_for(self, case) -> dict:
        user = self.request.user
        return {
            "timeline": selectors.emergency_timeline(case),
            "report_kinds": actions.report_kinds_for(user, case),
            "can_log_action": actions.can_log_action(user, case),
        }


class TimelineEntryView(OnceOnlyFormMixin, CaseObjectMixin, ObjectEditView):
    """A page adding an entry to an emergency's timeline: 403 without the role over its village, back to the case
    when its state takes no such entry."""

    model = EmergencyIncident

    def allowed_now(self) -> bool:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self._forbid()
        if not self.allowed_now():
            status = self.case.get_status_display()
            messages.warning(request, _("This cannot be done while the case is “%(status)s”.") % {"status": status})
            return redirect(self.case)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._forbid()
        self.allowed_now()  # a state that no longer allows it: the action's message on the form
        return super().post(request, *args, **kwargs)

    def _forbid(self):
        if not has_role_over(self.request.user, self.case.village, actions.REPORT_ROLES):
            raise PermissionDenied

    def now(self):
        return timezone.localtime().replace(second=0, microsecond=0)

    def get_cancel_url(self):
        return self.case.get_absolute_url()

    def success_response(self, record):
        return redirect(self.case)

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=case_crumbs(self.model, self.case), **kwargs)


class EmergencyReportView(TimelineEntryView):
    form_class = EmergencyReportForm
    submit_label = gettext_lazy("File the report")

    def allowed_now(self):
        self.kinds = actions.report_kinds_for(self.request.user, self.case)
        return bool(self.kinds)

    def get_title(self):
        return _("Report on “%(title)s”") % {"title": self.case.title}

    def get_initial(self):
        last = self.case.reports.order_by("-reported_at", "-id").first()
        return {
            "kind": self.kinds[0] if self.kinds else None,
            "reported_at": self.now(),
            "reporter": self.request.user.get_full_name(),
            "recipient": last.recipient if last else "",
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": self.kinds, "case": self.case}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return actions.emergency_report_add(actor=self.request.user, incident=self.case, **data)

    def success_message(self, report, form):
        message = _("Filed the %(report)s.") % {"report": report.label}
        return message + (" " + _("It is late.") if report.late else "")


class EmergencyActionView(TimelineEntryView):
    form_class = EmergencyActionForm
    submit_label = gettext_lazy("Log the action")

    def allowed_now(self):
        return actions.can_log_action(self.request.user, self.case)

    def get_title(self):
        return _("Log an action on “%(title)s”") % {"title": self.case.title}

    def get_initial(self):
        return {"at": self.now(), "taken_by": self.request.user.get_full_name()}

    def perform(self, form):
        return actions.emergency_action_add(actor=self.request.user, incident=self.case, **form.cleaned_data)

    def success_message(self, entry, form):
        return _("Logged the action.")


class EmergencyPages(CasePages):
    """The shared pages, their forms with date-and-time pickers."""

    def view(self, base, suffix, **attrs):
        form = attrs.get("form_class")
        if form is not None and issubclass(form, CaseFormBase):
            attrs["form_class"] = case_form(self.model, list(form._meta.fields), base=EmergencyCaseForm)
        return super().view(base, suffix, **attrs)


PAGES = EmergencyPages(
    EmergencyIncident,
    fields=[
        "title",
        "kind",
        "level",
        "occurred_at",
        "known_at",
        "source",
        "place",
        "description",
        "casualties",
        "people_sent",
    ],
    table=CaseTable.extend(
        Column("kind", gettext_lazy("type"), "get_kind_display", order_by="kind"),
        Column("level", gettext_lazy("level"), "get_level_display", order_by="level"),
    ),
    detail_view=EmergencyDetailView,
    extra_urls=[
        path(
            "emergency-response/<int:pk>/reports/add/", EmergencyReportView.as_view(), name="emergency_response_report"
        ),
        path(
            "emergency-response/<int:pk>/actions/add/", EmergencyActionView.as_view(), name="emergency_response_action"
        ),
    ],
)
