"""Forms of the services app, one module per part."""

from .funds import AllocationCorrectForm, AllocationForm, ExpenseForm, MoneyField
from .plans import ActualsForm, PlanDecideForm, PlanOpenForm, PlanWeakPointsForm, indicator_formset_class
from .sessions import FollowUpCloseForm, RecordForm, SessionOpenForm

__all__ = [
    "ActualsForm",
    "AllocationCorrectForm",
    "AllocationForm",
    "ExpenseForm",
    "FollowUpCloseForm",
    "MoneyField",
    "PlanDecideForm",
    "PlanOpenForm",
    "PlanWeakPointsForm",
    "RecordForm",
    "SessionOpenForm",
    "indicator_formset_class",
]
