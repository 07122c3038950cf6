"""The seven powers of a joint general branch: one case model per power on a shared abstract base."""

from .adjustment import LeadershipAdjustment
from .base import CaseAttachment, CaseEvent, CaseQuerySet, Power, PowerCase, case_models
from .evaluation import CadreEvaluation, EvaluationScheme, RectificationItem
from .guidance import OrganizationGuidance

__all__ = [
    "CadreEvaluation",
    "CaseAttachment",
    "CaseEvent",
    "CaseQuerySet",
    "EvaluationScheme",
    "LeadershipAdjustment",
    "OrganizationGuidance",
    "Power",
    "PowerCase",
    "RectificationItem",
    "case_models",
]
