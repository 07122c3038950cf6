"""Writes of the services app, one module per part."""

from .funds import allocate, allocation_correct, expense_record
from .plans import (
    IndicatorLine,
    plan_decide,
    plan_open,
    plan_record_actuals,
    plan_set_indicators,
    plan_submit,
    plan_update,
)
from .sessions import follow_up_close, record_add, session_open
from .visits import household_import, household_save, visit_close, visit_record

__all__ = [
    "IndicatorLine",
    "allocate",
    "allocation_correct",
    "expense_record",
    "follow_up_close",
    "household_import",
    "household_save",
    "plan_decide",
    "plan_open",
    "plan_record_actuals",
    "plan_set_indicators",
    "plan_submit",
    "plan_update",
    "record_add",
    "session_open",
    "visit_close",
    "visit_record",
]
