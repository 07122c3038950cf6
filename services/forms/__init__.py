"""Forms of the services app, one module per part."""

from .sessions import FollowUpCloseForm, RecordForm, SessionOpenForm
from .visits import HouseholdForm, HouseholdImportForm, VisitCloseForm, VisitForm

__all__ = [
    "FollowUpCloseForm",
    "HouseholdForm",
    "HouseholdImportForm",
    "RecordForm",
    "SessionOpenForm",
    "VisitCloseForm",
    "VisitForm",
]
