"""Pages of the services app, one module per part."""

from .funds import (
    AllocateView,
    AllocationCorrectView,
    AllocationDetailView,
    AllocationListView,
    ExpenseRecordView,
    VoucherDownloadView,
)
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
    "AllocateView",
    "AllocationCorrectView",
    "AllocationDetailView",
    "AllocationListView",
    "CentreMonthView",
    "ComplianceView",
    "ExpenseRecordView",
    "FollowUpCloseView",
    "RecordAddView",
    "RecordListView",
    "SessionDetailView",
    "SessionListView",
    "SessionOpenView",
    "VoucherDownloadView",
]
