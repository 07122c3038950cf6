"""Choices of the development app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["EventKind", "PartnerKind", "ResourceKind"]


class PartnerKind(models.TextChoices):
    """An organization outside the town that a general branch works with (外部带动内部)."""

    ENTERPRISE = "enterprise", _("enterprise")
    DEVELOPMENT_ZONE = "development_zone", _("development zone")
    PLATFORM = "platform", _("platform")
    OTHER = "other", _("other")


class EventKind(models.TextChoices):
    JOB_FAIR = "job_fair", _("job fair")
    TRAINING = "training", _("training")
    ORDER = "order", _("order")
    OTHER = "other", _("other")


class ResourceKind(models.TextChoices):
    """A resource of a general branch in "general branch + N households" (总支+N农户)."""

    LEADING_FIRM = "leading_firm", _("leading firm")
    COOPERATIVE = "cooperative", _("cooperative")
    EXPERT = "expert", _("party-member expert")
