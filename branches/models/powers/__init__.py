"""The seven powers of a joint general branch: one case model per power on a shared abstract base."""

from .base import CaseAttachment, CaseEvent, CaseQuerySet, Power, PowerCase, case_models
from .guidance import OrganizationGuidance
from .inspection import AffairsInspection, RectificationItem
from .major_matter import MajorMatter, MatterStep

__all__ = [
    "AffairsInspection",
    "MajorMatter",
    "MatterStep",
    "RectificationItem",
    "CaseAttachment", "CaseEvent", "CaseQuerySet", "OrganizationGuidance", "Power", "PowerCase", "case_models"]
