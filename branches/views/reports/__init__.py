"""HTML views of the monthly reports, by sub-topic: the report pages and workflow verbs, the completeness of a
month, and the meeting pack.

Reads 404 outside the user's scope; a workflow step the user may not take is 403 (the services say so); a step the
report's state does not allow comes back as a message on the report's page. State changes are POST only, each
followed by a redirect.
"""

from .completeness import ReportCompletenessView
from .meeting_pack import MeetingPackView
from .pages import (
    ReportApproveView,
    ReportCheckView,
    ReportDetailView,
    ReportEditView,
    ReportListView,
    ReportReturnView,
    ReportSubmitView,
    ReportWriteView,
    report_actions,  # noqa: F401  (importable from here as before the split)
)

__all__ = [
    "MeetingPackView",
    "ReportApproveView",
    "ReportCheckView",
    "ReportCompletenessView",
    "ReportDetailView",
    "ReportEditView",
    "ReportListView",
    "ReportReturnView",
    "ReportSubmitView",
    "ReportWriteView",
]
