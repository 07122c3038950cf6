"""The seven powers of a joint general branch: one case model per power on a shared abstract base."""

from .base import CaseAttachment, CaseEvent, CaseQuerySet, Power, PowerCase, case_models
from .guidance import OrganizationGuidance
from .inspection import AffairsInspection, RectificationItem
from .major_matter import MajorMatter, MatterStep

__all__ = [
    "AffairsInspection",
    "CaseAttachment",
    "CaseEvent",
    "CaseQuerySet",
    "MajorMatter",
    "MatterStep",
    "OrganizationGuidance",
    "Power",
    "PowerCase",
    "RectificationItem",
    "case_models",
]
