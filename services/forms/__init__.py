"""Forms of the services app, one module per part."""

from .sessions import FollowUpCloseForm, RecordForm, SessionOpenForm

__all__ = ["FollowUpCloseForm", "RecordForm", "SessionOpenForm"]
