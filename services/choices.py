"""Choices of the services app, and the targets of "55819" (5 centres, 5 half-days a month, 8 departments, 19
services)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["CATEGORY_TARGET", "DEPARTMENT_TARGET", "HALF_DAY_TARGET", "SERVICE_TARGET", "Half", "Outcome"]

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
