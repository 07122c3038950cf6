"""Forms of the services app, one module per part."""

from .funds import AllocationCorrectForm, AllocationForm, ExpenseForm, MoneyField
from .plans import ActualsForm, PlanDecideForm, PlanOpenForm, PlanWeakPointsForm, indicator_formset_class
from .sessions import FollowUpCloseForm, RecordForm, SessionOpenForm
from .visits import HouseholdForm, HouseholdImportForm, VisitCloseForm, VisitForm

__all__ = [
    "ActualsForm",
    "AllocationCorrectForm",
    "AllocationForm",
    "ExpenseForm",
    "FollowUpCloseForm",
    "HouseholdForm",
    "HouseholdImportForm",
    "MoneyField",
    "PlanDecideForm",
    "PlanOpenForm",
    "PlanWeakPointsForm",
    "RecordForm",
    "SessionOpenForm",
    "VisitCloseForm",
    "VisitForm",
    "indicator_formset_class",
]
