"""Writes of the services app, one module per part."""

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

__all__ = [
    "IndicatorLine",
    "follow_up_close",
    "plan_decide",
    "plan_open",
    "plan_record_actuals",
    "plan_set_indicators",
    "plan_submit",
    "plan_update",
    "record_add",
    "session_open",
]
