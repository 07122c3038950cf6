"""村级班子调整建议: drafted by the general branch's secretary or deputy, proposed to the town by the secretary,
approved or rejected (with the reason) by the town, which closes the case. `adjustment_support` names the final
evaluations of the village behind the proposal, while it is a draft."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding import audit
from anding.concurrency import claim_version

from ...models import CadreEvaluation, LeadershipAdjustment
from ...permissions import has_role_over
from ...roles import POWER_DECIDE_ROLES, POWER_ROLES, TOWN_ROLES
from ..common import require, require_state
from .base import Transition, Workflow, register_workflow

__all__ = ["adjustment_support"]

S = LeadershipAdjustment.Status
SUPPORTING = (CadreEvaluation.Status.FINAL, CadreEvaluation.Status.CLOSED)

register_workflow(
    Workflow(
        model=LeadershipAdjustment,
        initial=S.DRAFT,
        editable=(S.DRAFT,),
        main_path=(S.DRAFT, S.PROPOSED, S.APPROVED),
        transitions=[
            Transition("propose", gettext_lazy("Propose to the town"), (S.DRAFT,), S.PROPOSED, POWER_DECIDE_ROLES),
            Transition(
                "approve",
                gettext_lazy("Approve"),
                (S.PROPOSED,),
                S.APPROVED,
                TOWN_ROLES,
                comment="optional",
                stores="decision",
                closes=True,
                style="success",
            ),
            Transition(
                "reject",
                gettext_lazy("Reject"),
                (S.PROPOSED,),
                S.REJECTED,
                TOWN_ROLES,
                comment="required",
                stores="decision",
                closes=True,
                style="danger",
            ),
        ],
    )
)


@audit.refusable("adjustment_support", obj="case")
def adjustment_support(*, actor, case: LeadershipAdjustment, evaluations, version: int | None = None):
    """Name the evaluations behind a draft proposal: final (or closed) cadre evaluations of the same village."""
    require(has_role_over(actor, case.village, POWER_ROLES))
    require_state(case, (S.DRAFT,))
    evaluations = list(evaluations)
    wrong = [e for e in evaluations if e.village_id != case.village_id or e.status not in SUPPORTING]
    if wrong:
        raise ValidationError({"evaluations": _("Only final evaluations of the same village can support a proposal.")})
    with transaction.atomic():
        claim_version(case, version)
        case.evaluations.set(evaluations)
        case.stamp(actor)
        case.save()
        audit.record(
            f"{case.power}_support", actor=actor, obj=case, detail={"evaluations": sorted(e.pk for e in evaluations)}
        )
    return case
