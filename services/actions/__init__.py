"""Writes of the services app, one module per part."""

from .sessions import follow_up_close, record_add, session_open
from .visits import household_import, household_save, visit_close, visit_record

__all__ = [
    "follow_up_close",
    "household_import",
    "household_save",
    "record_add",
    "session_open",
    "visit_close",
    "visit_record",
]
