"""Pages of the services app, one module per part."""

from .sessions import (
    CentreMonthView,
    ComplianceView,
    FollowUpCloseView,
    RecordAddView,
    RecordListView,
    SessionDetailView,
    SessionListView,
    SessionOpenView,
)

__all__ = [
    "CentreMonthView",
    "ComplianceView",
    "FollowUpCloseView",
    "RecordAddView",
    "RecordListView",
    "SessionDetailView",
    "SessionListView",
    "SessionOpenView",
]
