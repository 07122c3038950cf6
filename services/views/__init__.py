"""Pages of the services app, one module per part."""

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
    "CentreMonthView",
    "ComplianceView",
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
]
