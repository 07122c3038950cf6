"""Writes of the services app, one module per part."""

from .sessions import follow_up_close, record_add, session_open

__all__ = ["follow_up_close", "record_add", "session_open"]
