"""The outcome ledger: per general branch in scope and per year, the figures of the pairings, partnership events,
resources' trainings and shared sales, each a link to the records that add up to it; `?export=xlsx` gives the
same figures as a spreadsheet. Without a year, the latest year with records in scope."""

from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from anding.exports import xlsx_response
from anding.generic import ScopedSummaryView, parse_int
from branches.selectors import DrillDown, drill_down

from .. import selectors
from ..tables import ledger_sheet

__all__ = ["LedgerView"]


class LedgerView(ScopedSummaryView):
    template_name = "development/ledger.html"

    def figures(self, grouped: bool = True):
        """The rows under the node opened (`?within=`): per district or town for a city or district (`grouped`; the
        export lists every general branch)."""
        year = parse_int(self.request.GET.get("year"))
        if not (year and 2000 <= year <= 2100):  # the latest year with records, else this year
            year = selectors.latest_year(self.request.user) or timezone.localdate().year
        self.year = year
        self.drill = drill_down(self.request.user, self.request.GET.get("within"))
        return selectors.ledger(self.request.user, self.year, self.drill if grouped else DrillDown(self.drill.focus))

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            rows, total = self.figures(grouped=False)
            audit.record("export", detail={"list": "development-ledger", "year": self.year, "rows": len(rows)})
            return xlsx_response(f"development-ledger-{self.year}", ledger_sheet(rows, total))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows, total = self.figures()
        return super().get_context_data(
            title=_("Outcome ledger"),
            year=self.year,
            previous=self.year - 1,
            following=self.year + 1,
            rows=rows,
            total=total,
            drill=self.drill,
            drill_query=f"year={self.year}&",
            **kwargs,
        )
