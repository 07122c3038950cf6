"""Reads of the services app, one module per part."""

from .funds import PurposeTotal, allocation_nodes, allocation_rows, expense_rows, purpose_totals
from .plans import plan_rows
from .sessions import (
    CentreMonth,
    centre_month,
    compliance,
    month_calendar,
    record_rows,
    session_rows,
    village_record_figures,
)
from .visits import (
    LATEST_RAISED,
    CoverageRow,
    NeedsRow,
    coverage,
    household_rows,
    needs,
    register_villages,
    village_visit_figures,
    visit_rows,
    visitors,
)

__all__ = [
    "LATEST_RAISED",
    "CentreMonth",
    "CoverageRow",
    "NeedsRow",
    "PurposeTotal",
    "allocation_nodes",
    "allocation_rows",
    "centre_month",
    "compliance",
    "coverage",
    "expense_rows",
    "household_rows",
    "month_calendar",
    "needs",
    "plan_rows",
    "purpose_totals",
    "record_rows",
    "register_villages",
    "session_rows",
    "village_record_figures",
    "village_visit_figures",
    "visit_rows",
    "visitors",
]
