"""党员发展预审: draft → submitted (the village secretary or the general branch's officers) → approved, or returned
with the reason by the general-branch secretary (and submitted again once corrected). Approval opens step 13 of
the recruitment case."""

from django.utils.translation import gettext_lazy

from ...models import RecruitmentPreReview
from ...roles import POWER_DECIDE_ROLES, POWER_ROLES, VILLAGE_ROLES
from .base import Transition, Workflow, register_workflow

__all__ = []

S = RecruitmentPreReview.Status
SUBMITTERS = POWER_ROLES | VILLAGE_ROLES

register_workflow(
    Workflow(
        model=RecruitmentPreReview,
        initial=S.DRAFT,
        editable=(S.DRAFT, S.RETURNED),
        open_roles=SUBMITTERS,
        edit_roles=SUBMITTERS,
        main_path=(S.DRAFT, S.SUBMITTED, S.APPROVED),
        transitions=[
            Transition("submit", gettext_lazy("Submit for pre-review"), (S.DRAFT,), S.SUBMITTED, SUBMITTERS),
            Transition(
                "approve",
                gettext_lazy("Approve"),
                (S.SUBMITTED,),
                S.APPROVED,
                POWER_DECIDE_ROLES,
                comment="optional",
                closes=True,
                style="success",
            ),
            Transition(
                "return",
                gettext_lazy("Return"),
                (S.SUBMITTED,),
                S.RETURNED,
                POWER_DECIDE_ROLES,
                comment="required",
                style="danger",
            ),
            Transition(
                "resubmit",
                gettext_lazy("Submit again"),
                (S.RETURNED,),
                S.SUBMITTED,
                SUBMITTERS,
                comment="optional",
            ),
        ],
    )
)
