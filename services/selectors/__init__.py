"""Reads of the services app, one module per part."""

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
    "centre_month",
    "compliance",
    "coverage",
    "household_rows",
    "month_calendar",
    "needs",
    "record_rows",
    "register_villages",
    "session_rows",
    "village_record_figures",
    "village_visit_figures",
    "visit_rows",
    "visitors",
]
