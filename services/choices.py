"""Choices of the services app, the targets of "55819" (5 centres, 5 half-days a month, 8 departments, 19
services), and the purposes of the special funds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CATEGORY_TARGET",
    "DEPARTMENT_TARGET",
    "HALF_DAY_TARGET",
    "SERVICE_TARGET",
    "Direction",
    "FundPurpose",
    "Half",
    "Outcome",
    "PlanStatus",
]

HALF_DAY_TARGET = 5  # half-days a month at each centre
DEPARTMENT_TARGET = 8  # departments present in the month
SERVICE_TARGET = 19  # service items delivered in the month
CATEGORY_TARGET = 3  # categories covered in the month


class Half(models.TextChoices):
    MORNING = "am", _("morning")
    AFTERNOON = "pm", _("afternoon")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("resolved")
    REFERRED = "referred", _("referred to a department")
    FOLLOW_UP = "follow_up", _("needs follow-up")


class PlanStatus(models.TextChoices):
    """Where a tailored assessment plan stands: the general branch drafts and submits, the town approves or
    returns it."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


class Direction(models.TextChoices):
    """How an indicator is met: reaching its target, or staying within it (a count of disputes, say)."""

    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")


class FundPurpose(models.TextChoices):
    """What a special fund (专项经费) is allocated for."""

    GENERAL_BRANCH = "general_branch", _("general-branch building")
    PARTY_BUILDING = "party_building", _("party building")
    PUBLIC_SERVICES = "public_services", _("public services")
    LIVELIHOOD = "livelihood", _("livelihood projects")
