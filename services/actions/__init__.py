"""Writes of the services app, one module per part."""

from .funds import allocate, allocation_correct, expense_record
from .sessions import follow_up_close, record_add, session_open

__all__ = [
    "allocate",
    "allocation_correct",
    "expense_record",
    "follow_up_close",
    "record_add",
    "session_open",
]
