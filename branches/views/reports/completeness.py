"""The completeness of a month: per general branch and village, the report's status and timeliness and the
三会一课, with a summary; the page and its Excel export (two sheets) show the same figures."""

from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from anding.exports import xlsx_response
from anding.generic import ScopedSummaryView

from ... import selectors
from ...forms.reports import CompletenessForm
from ...months import month_label
from ...tables import CompletenessSummaryTable, CompletenessTable

__all__ = ["ReportCompletenessView"]


class ReportCompletenessView(ScopedSummaryView):
    """Per general branch and village, for a month (default: the previous one): report status, on time or late,
    and the 三会一课; a summary per general branch and a total. A wide scope (the city or a district) shows only the
    summary, per district or town, each row opening its part. `?export=xlsx` gives every village."""

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
        if request.GET.get("export") == "xlsx":  # every village, whatever the scope
            self.completeness = selectors.report_completeness(request.user, month, within=within)
            return self.export()
        # A wide scope (the city, a district) is summarized per district or town, each opening its part.
        drill = selectors.drill_down(request.user, within)
        self.wide = bool(drill.groups)
        self.completeness = selectors.report_completeness(
            request.user, month, within=within, drill=drill if self.wide else None
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("export", None)
        query["month"] = f"{self.completeness.month:%Y-%m}"
        data = self.completeness
        return super().get_context_data(
            form=self.form,
            data=data,
            wide=self.wide,
            month_label=month_label(data.month),
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
        audit.record(
            "export",
            detail={"list": "report-completeness", "rows": len(data.rows), "query": self.request.GET.urlencode()},
        )
        return xlsx_response(
            f"report-completeness-{data.month:%Y-%m}",
            CompletenessTable(data.rows, data.month).sheet(_("Villages")),
            CompletenessSummaryTable([*data.branches, data.total], data.month).sheet(_("Summary")),
            stamp=False,
        )
