"""组织建设指导: draft → guidance given → the village responds → closed (or sent back to the village)."""

from django.utils.translation import gettext_lazy

from ...models import OrganizationGuidance
from ...roles import POWER_DECIDE_ROLES, POWER_ROLES, VILLAGE_ROLES
from .base import Transition, Workflow, register_workflow

__all__ = []

S = OrganizationGuidance.Status

register_workflow(
    Workflow(
        model=OrganizationGuidance,
        initial=S.DRAFT,
        editable=(S.DRAFT, S.GIVEN),
        transitions=[
            Transition("give", gettext_lazy("Give the guidance"), (S.DRAFT,), S.GIVEN, POWER_ROLES),
            Transition(
                "respond",
                gettext_lazy("Say what the village did"),
                (S.GIVEN,),
                S.RESPONDED,
                VILLAGE_ROLES,
                comment="required",
                stores="response",
            ),
            Transition(
                "accept",
                gettext_lazy("Accept and close"),
                (S.RESPONDED,),
                S.CLOSED,
                POWER_DECIDE_ROLES,
                comment="optional",
                closes=True,
                style="success",
            ),
            Transition(
                "send_back",
                gettext_lazy("Send back to the village"),
                (S.RESPONDED,),
                S.GIVEN,
                POWER_DECIDE_ROLES,
                comment="required",
                style="danger",
            ),
            Transition(
                "close",
                gettext_lazy("Close without a response"),
                (S.GIVEN,),
                S.CLOSED,
                POWER_DECIDE_ROLES,
                comment="required",
                closes=True,
                style="outline-secondary",
                todo=False,
            ),
        ],
    )
)
