"""Forms of the services app, one module per part."""

from .funds import AllocationCorrectForm, AllocationForm, ExpenseForm, MoneyField
from .sessions import FollowUpCloseForm, RecordForm, SessionOpenForm

__all__ = [
    "AllocationCorrectForm",
    "AllocationForm",
    "ExpenseForm",
    "FollowUpCloseForm",
    "MoneyField",
    "RecordForm",
    "SessionOpenForm",
]
