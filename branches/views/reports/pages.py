"""The pages of monthly reports: the list, starting a month's report, one report, writing it, and the workflow
verbs. Thin: they call the report selectors and the workflow actions (the rules: see the package's docstring).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from anding import audit
from anding.forms import add_service_errors
from anding.generic import FormPageMixin, ObjectEditView, ObjectListView, ScopedDetailView, ServiceFormMixin, parse_int

from ... import actions, selectors
from ...choices import OrgKind, ReportStatus, Role
from ...filtersets import ReportFilterSet
from ...forms import ReportForm, ReportReturnForm, ReportReviewForm, ReportStartForm
from ...models import MonthlyReport
from ...months import month_label
from ...permissions import has_role_over
from ...tables import ReportTable
from ..status import report_steps

__all__ = [
    "ReportApproveView",
    "ReportCheckView",
    "ReportDetailView",
    "ReportEditView",
    "ReportListView",
    "ReportReturnView",
    "ReportSubmitView",
    "ReportWriteView",
]


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- list ------------------------------------------------------------------------------------------------------------


class ReportListView(ObjectListView):
    """Reports in scope, filtered by month, status, branch, lateness or what waits for the user; Excel export.
    A village secretary also sees the reports of this month and last month still to write."""

    model = MonthlyReport
    title = gettext_lazy("Monthly reports")
    template_name = "branches/report_list.html"
    filterset_class = ReportFilterSet
    table = ReportTable
    default_sort = "-month"
    export_name = "monthly-reports"
    count_limit = 10_000  # a wide scope holds hundreds of thousands: "more than 10,000", the filters narrow them

    def select(self, queryset):
        # The list and its export read the village's and the general branch's names, not the submitter (the API's).
        return selectors.report_rows(queryset, related=("village", "general_branch"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(prompts=selectors.report_write_prompts(self.request.user), **kwargs)


# --- starting a month's report ---------------------------------------------------------------------------------------


def _village_in_scope(user, pk):
    """The village `pk` if the user sees it, else 404."""
    village = selectors.organization_get(user, pk)
    if village.kind != OrgKind.VILLAGE:
        raise Http404
    return village


def _report_page(report: MonthlyReport):
    if report.is_editable:
        return redirect("branches:report_edit", report.pk)
    return redirect(report)


class ReportWriteView(ServiceFormMixin, FormPageMixin, LoginRequiredMixin, FormView):
    """Start (or open) a village's report of a month. GET shows the choice, POST creates the draft through
    report_start (idempotent: a second click or a concurrent request lands on the same report)."""

    form_class = ReportStartForm
    template_name = "branches/report_write.html"
    title = gettext_lazy("Write a monthly report")
    submit_label = gettext_lazy("Start writing")
    cancel_url = reverse_lazy("branches:report_list")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.villages = selectors.writable_villages(request.user)
            self.village = None
            village = request.GET.get("village") if request.method == "GET" else None
            if village is not None:
                pk = parse_int(village)
                if pk is None:
                    raise Http404
                self.village = _village_in_scope(request.user, pk)
                if not actions.can_write_report(request.user, self.village):
                    raise PermissionDenied
            elif not self.villages:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        month = selectors.parse_month(request.GET.get("month"))
        if self.village and month:
            existing = selectors.report_of(request.user, self.village.pk, month)
            if existing is not None:
                return _report_page(existing)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        initial = {"month": f"{selectors.add_months(timezone.localdate(), -1):%Y-%m}"}
        if len(self.villages) == 1:
            initial["village"] = self.villages[0].pk
        if self.village is not None:
            initial["village"] = self.village.pk
        month = self.request.GET.get("month")
        if month and selectors.parse_month(month):
            initial["month"] = month
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "villages": self.villages}

    def perform(self, form):
        village = _village_in_scope(self.request.user, form.cleaned_data["village"])
        return actions.report_start(actor=self.request.user, village=village, month=form.cleaned_data["month"])

    def success_response(self, report):
        return _report_page(report)


# --- one report ------------------------------------------------------------------------------------------------------


def report_actions(user, report: MonthlyReport, deputies: set[int]) -> dict:
    """What the user may do with the report now: the same rules the services apply."""
    writer = report.is_editable and actions.can_write_report(user, report.village)
    reviewer = actions.can_review_report(user, report, deputies)
    first_review = reviewer and report.status == ReportStatus.SUBMITTED and user.pk in deputies
    approver = reviewer and not first_review and has_role_over(user, report.village, {Role.GENERAL_SECRETARY})
    return {
        "edit": writer,
        "submit": writer,
        "check": first_review,
        "return": reviewer,
        "approve": approver,
        "any": writer or reviewer,
    }


class ReportDetailView(ScopedDetailView):
    """A report: computed figures (live while it is written, frozen from its submission), the secretary's text,
    due date and timeliness, the step indicator, the history, and the buttons the user can use now. Printable."""

    model = MonthlyReport
    template_name = "branches/report_detail.html"
    context_object_name = "report"

    def select(self, queryset):
        return selectors.report_detail_rows(queryset)

    def get_context_data(self, **kwargs):
        user, report = self.request.user, self.object
        live = report.is_editable
        figures = actions.report_figures(report.village, report.month) if live else report.figures
        deputies = actions.liaison_deputy_ids(report.village)
        return super().get_context_data(
            ancestors=selectors.ancestors(report.village, user) + [report.village],
            month_label=month_label(report.month),
            figure_sections=selectors.figure_sections(figures),
            figures_live=live,
            steps=report_steps(report, bool(deputies)),
            actions=report_actions(user, report, deputies),
            transitions=list(report.transitions.all()),
            return_reason=_last_return_reason(report),
            **kwargs,
        )


def _last_return_reason(report: MonthlyReport) -> str:
    if report.status != ReportStatus.RETURNED:
        return ""
    returns = [t for t in report.transitions.all() if t.to_status == ReportStatus.RETURNED]
    return returns[-1].comment if returns else ""


class ReportEditView(ObjectEditView):
    """The secretary's narrative, problems and requests: save a draft (no completeness check), or save and submit.
    A stale save shows the conflict and keeps the user's text on the page."""

    form_class = ReportForm
    template_name = "branches/report_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.report = selectors.report_get(request.user, kwargs["pk"])
            if not actions.can_write_report(request.user, self.report.village):
                raise PermissionDenied
            if not self.report.is_editable:
                if request.POST.get("action") == "submit" and self.report.status == ReportStatus.SUBMITTED:
                    # A second click on "Save and submit": the first one did the work.
                    messages.success(request, _("The report is submitted."))
                    return redirect(self.report)
                if request.method == "POST":
                    audit.refused(
                        "report_submit" if request.POST.get("action") == "submit" else "report_save",
                        self.report,
                        "state",
                    )
                messages.warning(
                    request,
                    _("This report is “%(status)s” and can no longer be changed.")
                    % {"status": self.report.get_status_display()},
                )
                return redirect(self.report)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.report}

    def get_title(self) -> str:
        return _("Monthly report of %(month)s") % {"month": month_label(self.report.month)}

    def form_valid(self, form):
        user, report = self.request.user, self.report
        submit = self.request.POST.get("action") == "submit"
        try:
            actions.report_save(
                actor=user,
                report=report,
                version=form.cleaned_data.get("version"),
                narrative=form.cleaned_data["narrative"],
                problems=form.cleaned_data["problems"],
                requests=form.cleaned_data["requests"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            if getattr(exc, "code", None) == "stale":
                # Show what is stored now next to the user's own text, which stays in the form.
                report.refresh_from_db()
                return self.render_to_response(self.get_context_data(form=form, stored=report))
            return self.form_invalid(form)
        if not submit:
            messages.success(self.request, _("The draft is saved."))
            return redirect("branches:report_edit", report.pk)
        try:
            actions.report_submit(actor=user, report=report, version=report.version)
        except ValidationError as exc:
            # The text is saved; the form goes on from the new version, with the reason it could not be submitted.
            data = self.request.POST.copy()
            data["version"] = report.version
            form = self.get_form_class()(data, instance=report)
            form.is_valid()
            add_service_errors(form, exc)
            messages.warning(self.request, _("The draft is saved, but it could not be submitted yet."))
            return self.form_invalid(form)
        messages.success(self.request, _("The report is submitted."))
        return redirect(report)

    def get_context_data(self, **kwargs):
        report = self.report
        return super().get_context_data(
            report=report,
            month_label=month_label(report.month),
            figure_sections=selectors.figure_sections(actions.report_figures(report.village, report.month)),
            return_reason=_last_return_reason(report),
            **kwargs,
        )


# --- workflow verbs (POST only) ------------------------------------------------------------------------------------


class ReportActionView(LoginRequiredMixin, View):
    """A workflow step on one report: POST only; the service decides (403 for the wrong person, a message for a
    step the report's state does not allow); then back to the report."""

    http_method_names = ["post"]
    done_message = ""

    def post(self, request, pk):
        report = selectors.report_get(request.user, pk)
        try:
            self.act(report)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, self.done_message)
        return redirect(report)

    def act(self, report):
        raise NotImplementedError


class ReportSubmitView(ReportActionView):
    done_message = gettext_lazy("The report is submitted.")

    def act(self, report):
        version = parse_int(self.request.POST.get("version"))
        actions.report_submit(actor=self.request.user, report=report, version=version)


class ReportReviewView(ObjectEditView):
    """A review step, deliberately: GET shows the report's frozen figures and asks to confirm, with a comment
    (optional for a first review or an approval, a reason required for a return); POST acts through the service,
    which decides (403 for the wrong person; a second click changes nothing). `step` is the key of
    `report_actions` that the page is offered under."""

    form_class = ReportReviewForm
    template_name = "branches/report_review.html"
    step = ""
    submit_class = "btn-primary"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.report = selectors.report_get(request.user, kwargs["pk"])
            if request.method == "GET" or self.step == "return":
                if self.report.status not in (ReportStatus.SUBMITTED, ReportStatus.CHECKED):
                    if request.method == "POST":
                        audit.refused(f"report_{self.step}", self.report, "state")
                    messages.warning(
                        request,
                        _("This report is “%(status)s”: there is nothing to review.")
                        % {"status": self.report.get_status_display()},
                    )
                    return redirect(self.report)
                deputies = actions.liaison_deputy_ids(self.report.village)
                if not report_actions(request.user, self.report, deputies)[self.step]:
                    raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self) -> str:
        return self.report.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report,
            month_label=month_label(self.report.month),
            figure_sections=selectors.figure_sections(self.report.figures),
            submit_class=self.submit_class,
            **kwargs,
        )


class ReportCheckView(ReportReviewView):
    step = "check"
    title = gettext_lazy("Pass the first review")
    submit_label = gettext_lazy("Confirm: pass to the general-branch secretary")

    def perform(self, form):
        return actions.report_check(actor=self.request.user, report=self.report, comment=form.cleaned_data["comment"])

    def success_message(self, report, form) -> str:
        return _("The first review is passed; the report goes to the general-branch secretary.")


class ReportApproveView(ReportReviewView):
    step = "approve"
    title = gettext_lazy("Approve the report")
    submit_label = gettext_lazy("Confirm the approval")

    def perform(self, form):
        return actions.report_approve(actor=self.request.user, report=self.report, comment=form.cleaned_data["comment"])

    def success_message(self, report, form) -> str:
        return _("The report is approved.")


class ReportReturnView(ReportReviewView):
    """Return a report to the village: a reason is required."""

    step = "return"
    form_class = ReportReturnForm
    title = gettext_lazy("Return the report")
    submit_label = gettext_lazy("Return to the village")
    submit_class = "btn-danger"

    def perform(self, form):
        return actions.report_return(actor=self.request.user, report=self.report, reason=form.cleaned_data["reason"])

    def success_message(self, report, form) -> str:
        return _("The report is returned to the village with your reason.")
