"""The seven powers of a joint general branch: one case model per power on a shared abstract base."""

from .base import CaseAttachment, CaseEvent, CaseQuerySet, Power, PowerCase, case_models
from .emergency import EmergencyAction, EmergencyIncident, EmergencyReport
from .guidance import OrganizationGuidance
from .prereview import RecruitmentPreReview

__all__ = [
    "CaseAttachment",
    "CaseEvent",
    "CaseQuerySet",
    "EmergencyAction",
    "EmergencyIncident",
    "EmergencyReport",
    "OrganizationGuidance",
    "Power",
    "PowerCase",
    "RecruitmentPreReview",
    "case_models",
]
