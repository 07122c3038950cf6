"""HTML views of the monthly reports: thin, they call the report selectors and the workflow services.

Reads 404 outside the user's scope; a workflow step the user may not take is 403 (the services say so); a step the
report's state does not allow comes back as a message on the report's page. State changes are POST only, each
followed by a redirect.
"""

import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from openpyxl import Workbook

from anding import audit
from anding.exports import XLSX_CONTENT_TYPE
from anding.forms import add_service_errors
from anding.generic import KeptFormMixin, ObjectListView, ScopedDetailView, parse_int

from .. import selectors, services
from ..choices import OrgKind, ReportStatus, Role
from ..filtersets import ReportFilterSet
from ..forms import ReportForm, ReportReturnForm, ReportReviewForm, ReportStartForm
from ..forms.reports import CompletenessForm
from ..models import MonthlyReport
from ..scoping import has_role_over

__all__ = [
    "MeetingPackView",
    "ReportApproveView",
    "ReportCheckView",
    "ReportCompletenessView",
    "ReportDetailView",
    "ReportEditView",
    "ReportListView",
    "ReportReturnView",
    "ReportSubmitView",
    "ReportWriteView",
]


def _local(dt):
    """A stored time as the local wall-clock time without tzinfo (what a spreadsheet cell can hold)."""
    return timezone.localtime(dt).replace(tzinfo=None) if dt else None


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _month_label(month) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- list ------------------------------------------------------------------------------------------------------------


class ReportListView(ObjectListView):
    """Reports in scope, filtered by month, status, branch, lateness or what waits for the user; Excel export.
    A village secretary also sees the reports of this month and last month still to write."""

    model = MonthlyReport
    template_name = "branches/report_list.html"
    filterset_class = ReportFilterSet
    sort_fields = {
        "month": "month",
        "village": "village__lft",
        "status": "status",
        "submitted": "first_submitted_at",
    }
    default_sort = "-month"
    export_name = "monthly-reports"

    @property
    def export_columns(self):
        return [
            (gettext_lazy("month"), lambda r: f"{r.month:%Y-%m}"),
            (gettext_lazy("general branch"), lambda r: r.general_branch.name if r.general_branch else ""),
            (gettext_lazy("village branch"), lambda r: r.village.name),
            (gettext_lazy("status"), lambda r: r.get_status_display()),
            (gettext_lazy("due date"), lambda r: r.due_date),
            (gettext_lazy("first submitted at"), lambda r: _local(r.first_submitted_at)),
            (gettext_lazy("late"), lambda r: _yes_no(r.is_late)),
            (gettext_lazy("approved at"), lambda r: _local(r.approved_at)),
        ]

    def get_base_queryset(self):
        return selectors.report_list(self.request.user)

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


class ReportWriteView(LoginRequiredMixin, FormView):
    """Start (or open) a village's report of a month. GET shows the choice, POST creates the draft through
    report_start (idempotent: a second click or a concurrent request lands on the same report)."""

    form_class = ReportStartForm
    template_name = "branches/report_write.html"

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
                if not services.can_write_report(request.user, self.village):
                    raise PermissionDenied
            elif not self.villages:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        month = selectors.parse_month(request.GET.get("month"))
        if self.village and month:
            existing = selectors.report_list(request.user).filter(village=self.village, month=month).first()
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

    def form_valid(self, form):
        village = _village_in_scope(self.request.user, form.cleaned_data["village"])
        try:
            report = services.report_start(actor=self.request.user, village=village, month=form.cleaned_data["month"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return _report_page(report)


# --- one report ------------------------------------------------------------------------------------------------------


def report_steps(report: MonthlyReport, has_deputy: bool) -> list[dict]:
    """The step indicator: draft → submitted → first review passed (when a liaison deputy reviews) → approved,
    with "returned" shown after "submitted" while the report is returned."""
    steps = [ReportStatus.DRAFT, ReportStatus.SUBMITTED]
    if has_deputy or report.checked_by_id or report.status == ReportStatus.CHECKED:
        steps.append(ReportStatus.CHECKED)
    steps.append(ReportStatus.APPROVED)
    status = report.status
    if status == ReportStatus.RETURNED:
        steps.insert(2, ReportStatus.RETURNED)
    current = steps.index(status)
    return [
        {
            "status": step.value,
            "label": step.label,
            "number": n,
            "state": "done"
            if n - 1 < current or status == ReportStatus.APPROVED  # the last step, once reached, is done
            else ("current" if n - 1 == current else "todo"),
        }
        for n, step in enumerate(steps, start=1)
    ]


def report_actions(user, report: MonthlyReport, deputies: set[int]) -> dict:
    """What the user may do with the report now: the same rules the services apply."""
    writer = report.is_editable and services.can_write_report(user, report.village)
    reviewer = services.can_review_report(user, report, deputies)
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

    selector = selectors.report_get
    template_name = "branches/report_detail.html"
    context_object_name = "report"

    def get_context_data(self, **kwargs):
        user, report = self.request.user, self.object
        live = report.is_editable
        figures = services.report_figures(report.village, report.month) if live else report.figures
        deputies = services.liaison_deputy_ids(report.village)
        return super().get_context_data(
            ancestors=selectors.ancestors(report.village, user) + [report.village],
            month_label=_month_label(report.month),
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


class ReportEditView(KeptFormMixin, LoginRequiredMixin, FormView):
    """The secretary's narrative, problems and requests: save a draft (no completeness check), or save and submit.
    A stale save shows the conflict and keeps the user's text on the page."""

    form_class = ReportForm
    template_name = "branches/report_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.report = selectors.report_get(request.user, kwargs["pk"])
            if not services.can_write_report(request.user, self.report.village):
                raise PermissionDenied
            if not self.report.is_editable:
                if request.POST.get("action") == "submit" and self.report.status == ReportStatus.SUBMITTED:
                    # A second click on "Save and submit": the first one did the work.
                    messages.success(request, _("The report is submitted."))
                    return redirect(self.report)
                messages.warning(
                    request,
                    _("This report is “%(status)s” and can no longer be changed.")
                    % {"status": self.report.get_status_display()},
                )
                return redirect(self.report)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.report}

    def form_valid(self, form):
        user, report = self.request.user, self.report
        submit = self.request.POST.get("action") == "submit"
        try:
            services.report_save(
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
            services.report_submit(actor=user, report=report, version=report.version)
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
            month_label=_month_label(report.month),
            figure_sections=selectors.figure_sections(services.report_figures(report.village, report.month)),
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

    def comment(self) -> str:
        form = ReportReviewForm(self.request.POST)
        return form.cleaned_data["comment"] if form.is_valid() else ""


class ReportSubmitView(ReportActionView):
    done_message = gettext_lazy("The report is submitted.")

    def act(self, report):
        version = parse_int(self.request.POST.get("version"))
        services.report_submit(actor=self.request.user, report=report, version=version)


class ReportCheckView(ReportActionView):
    done_message = gettext_lazy("The first review is passed; the report goes to the general-branch secretary.")

    def act(self, report):
        services.report_check(actor=self.request.user, report=report, comment=self.comment())


class ReportApproveView(ReportActionView):
    done_message = gettext_lazy("The report is approved.")

    def act(self, report):
        services.report_approve(actor=self.request.user, report=report, comment=self.comment())


class ReportReturnView(KeptFormMixin, LoginRequiredMixin, FormView):
    """Return a report to the village: GET shows the form, POST returns it; a reason is required."""

    form_class = ReportReturnForm
    template_name = "branches/report_return.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.report = selectors.report_get(request.user, kwargs["pk"])
            if self.report.status not in (ReportStatus.SUBMITTED, ReportStatus.CHECKED):
                messages.warning(
                    request,
                    _("This report is “%(status)s”: there is nothing to return.")
                    % {"status": self.report.get_status_display()},
                )
                return redirect(self.report)
            if not services.can_review_report(request.user, self.report):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.report_return(actor=self.request.user, report=self.report, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The report is returned to the village with your reason."))
        return redirect(self.report)

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, month_label=_month_label(self.report.month), **kwargs)


# --- completeness ----------------------------------------------------------------------------------------------------


class ReportCompletenessView(LoginRequiredMixin, TemplateView):
    """Per general branch and village, for a month (default: the previous one): report status, on time or late,
    and the 三会一课; a summary per general branch and a total. `?export=xlsx` gives the same figures."""

    template_name = "branches/report_completeness.html"

    def get(self, request, *args, **kwargs):
        month = selectors.add_months(timezone.localdate(), -1)
        data = request.GET.copy()
        if not data.get("month"):
            data["month"] = f"{month:%Y-%m}"
        self.form = CompletenessForm(data, user=request.user)
        self.form.is_valid()  # a bad month or branch shows its error; the other choice still applies
        month = self.form.cleaned_data.get("month") or month
        within = self.form.cleaned_data.get("branch")
        self.completeness = selectors.report_completeness(request.user, month, within=within)
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("export", None)
        query["month"] = f"{self.completeness.month:%Y-%m}"
        data = self.completeness
        return super().get_context_data(
            form=self.form,
            data=data,
            month_label=_month_label(data.month),
            flags=selectors.MEETING_FLAGS,
            summary_figures=selectors.CompletenessSummary.FIGURES,
            export_query=query.urlencode() + "&export=xlsx",
            previous_month=f"{selectors.add_months(data.month, -1):%Y-%m}",
            next_month=f"{selectors.add_months(data.month, 1):%Y-%m}"
            if data.month < timezone.localdate().replace(day=1)
            else "",
            **kwargs,
        )

    def export(self):
        data = self.completeness
        workbook = Workbook(write_only=True)
        villages = workbook.create_sheet(title=str(_("Villages"))[:31])
        villages.append(
            [
                str(_("month")),
                str(_("general branch")),
                str(_("village branch")),
                str(_("report status")),
                str(_("first submitted at")),
                str(_("on time")),
                str(_("late")),
                *(str(label) for _key, label in selectors.MEETING_FLAGS),
                str(_("meetings complete")),
            ]
        )
        month = f"{data.month:%Y-%m}"
        for row in data.rows:
            villages.append(
                [
                    month,
                    _text(row.general_branch.name if row.general_branch else ""),
                    _text(row.village.name),
                    row.status_label,
                    _local(row.first_submitted_at),
                    _yes_no(row.on_time),
                    _yes_no(row.late),
                    *(_yes_no(done) for _label, done in row.meeting_flags),
                    _yes_no(row.meetings_complete),
                ]
            )
        summary = workbook.create_sheet(title=str(_("Summary"))[:31])
        summary.append([str(_("month")), str(_("general branch")), *(str(label) for _key, label in data.total.FIGURES)])
        for group in [*data.branches, data.total]:
            summary.append([month, _text(group.label), *(value for _key, _label, value in group.figures)])
        audit.record(
            "export",
            detail={"list": "report-completeness", "rows": len(data.rows), "query": self.request.GET.urlencode()},
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="report-completeness-{month}.xlsx"'
        return response


def _text(value: str) -> str:
    """Never let a cell start a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


# --- meeting pack ------------------------------------------------------------------------------------------------------


class MeetingPackView(LoginRequiredMixin, TemplateView):
    """The printable pack of a general branch's monthly work meeting: agenda, the villages' reports of the previous
    month with their problems and requests, and the tasks in progress."""

    template_name = "branches/meeting_pack.html"

    def get_context_data(self, **kwargs):
        pack = selectors.meeting_pack(self.request.user, self.kwargs["meeting_pk"])
        return super().get_context_data(
            **pack,
            month_label=_month_label(pack["month"]),
            **kwargs,
        )
