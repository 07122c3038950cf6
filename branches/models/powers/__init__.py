"""The seven powers of a joint general branch: one case model per power on a shared abstract base."""

from .base import CaseAttachment, CaseEvent, CaseQuerySet, Power, PowerCase, case_models
from .guidance import OrganizationGuidance
from .prereview import RecruitmentPreReview

__all__ = [
    "CaseAttachment",
    "CaseEvent",
    "CaseQuerySet",
    "OrganizationGuidance",
    "Power",
    "PowerCase",
    "RecruitmentPreReview",
    "case_models",
]
