"""Reads of cadre evaluations and leadership-adjustment proposals, from a case already found in scope."""

from ..models import CadreEvaluation, LeadershipAdjustment

__all__ = ["adjustment_evaluation_choices", "adjustment_evaluations", "evaluation_items"]


def evaluation_items(case: CadreEvaluation):
    """The rectification list of an evaluation, by deadline (one query)."""
    return case.items.all()


def adjustment_evaluations(case: LeadershipAdjustment):
    """The evaluations behind a proposal, with their cadre (one query)."""
    return case.evaluations.select_related("member").order_by("-year", "-id")


def adjustment_evaluation_choices(user, case: LeadershipAdjustment):
    """The evaluations that may support a proposal: final ones of its village, in the user's scope."""
    return (
        CadreEvaluation.objects.restrict(user)
        .filter(village=case.village_id, status__in=["final", "closed"])
        .select_related("member")
        .order_by("-year", "-id")
    )
