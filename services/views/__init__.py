"""Pages of the services app, one module per part."""

from .funds import (
    AllocateView,
    AllocationCorrectView,
    AllocationDetailView,
    AllocationListView,
    ExpenseRecordView,
    VoucherDownloadView,
)
from .plans import (
    PlanActualsView,
    PlanDecideView,
    PlanDetailView,
    PlanEditView,
    PlanIndicatorsView,
    PlanListView,
    PlanOpenView,
    PlanSubmitView,
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
    "PlanActualsView",
    "PlanDecideView",
    "PlanDetailView",
    "PlanEditView",
    "PlanIndicatorsView",
    "PlanListView",
    "PlanOpenView",
    "PlanSubmitView",
    "RecordAddView",
    "RecordListView",
    "SessionDetailView",
    "SessionListView",
    "SessionOpenView",
    "VoucherDownloadView",
]
