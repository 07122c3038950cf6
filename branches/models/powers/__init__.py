"""The seven powers of a joint general branch: one case model per power on a shared abstract base."""

from .adjustment import LeadershipAdjustment
from .base import CaseAttachment, CaseEvent, CaseQuerySet, Power, PowerCase, case_models
from .emergency import EmergencyAction, EmergencyIncident, EmergencyReport
from .evaluation import CadreEvaluation, EvaluationScheme, RectificationItem
from .guidance import OrganizationGuidance
from .inspection import AffairsInspection, InspectionItem
from .major_matter import MajorMatter, MatterStep
from .prereview import RecruitmentPreReview

__all__ = [
    "AffairsInspection",
    "CadreEvaluation",
    "CaseAttachment",
    "CaseEvent",
    "CaseQuerySet",
    "EmergencyAction",
    "EmergencyIncident",
    "EmergencyReport",
    "EvaluationScheme",
    "InspectionItem",
    "LeadershipAdjustment",
    "MajorMatter",
    "MatterStep",
    "OrganizationGuidance",
    "Power",
    "PowerCase",
    "RecruitmentPreReview",
    "RectificationItem",
    "case_models",
]
