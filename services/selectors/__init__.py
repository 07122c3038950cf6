"""Reads of the services app, one module per part."""

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
    "centre_month",
    "compliance",
    "month_calendar",
    "plan_rows",
    "record_rows",
    "session_rows",
    "village_record_figures",
]
