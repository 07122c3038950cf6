"""Forms of the services app, one module per part."""

from .plans import ActualsForm, PlanDecideForm, PlanOpenForm, PlanWeakPointsForm, indicator_formset_class
from .sessions import FollowUpCloseForm, RecordForm, SessionOpenForm

__all__ = [
    "ActualsForm",
    "FollowUpCloseForm",
    "PlanDecideForm",
    "PlanOpenForm",
    "PlanWeakPointsForm",
    "RecordForm",
    "SessionOpenForm",
    "indicator_formset_class",
]
