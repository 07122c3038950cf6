"""Reads of the tailored assessment plans. The rows come in already restricted to the user's scope."""

__all__ = ["plan_rows"]


def plan_rows(plans):
    """Plans with their village and general branch, and their indicators for the score (one query more)."""
    return plans.select_related("village__parent", "decided_by").prefetch_related("indicators")
