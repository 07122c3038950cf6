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
from .visits import (
    CoverageView,
    HouseholdAddView,
    HouseholdDetailView,
    HouseholdEditView,
    HouseholdImportTemplateView,
    HouseholdImportView,
    HouseholdListView,
    NeedsView,
    VisitCloseView,
    VisitListView,
    VisitRecordView,
)

__all__ = [
    "CentreMonthView",
    "ComplianceView",
    "CoverageView",
    "FollowUpCloseView",
    "HouseholdAddView",
    "HouseholdDetailView",
    "HouseholdEditView",
    "HouseholdImportTemplateView",
    "HouseholdImportView",
    "HouseholdListView",
    "NeedsView",
    "RecordAddView",
    "RecordListView",
    "SessionDetailView",
    "SessionListView",
    "SessionOpenView",
    "VisitCloseView",
    "VisitListView",
    "VisitRecordView",
]
