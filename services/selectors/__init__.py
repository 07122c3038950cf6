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

__all__ = [
    "CentreMonth",
    "PurposeTotal",
    "allocation_nodes",
    "allocation_rows",
    "centre_month",
    "compliance",
    "expense_rows",
    "month_calendar",
    "plan_rows",
    "purpose_totals",
    "record_rows",
    "session_rows",
    "village_record_figures",
]
