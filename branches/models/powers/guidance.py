"""组织建设指导: guidance the general branch gives a village branch on building its organization, and its follow-up."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ...choices import PowerCode
from .base import PowerCase

__all__ = ["OrganizationGuidance"]


class OrganizationGuidance(PowerCase):
    """Guidance given to a branch: its subject, what was advised, what the village must do by the deadline, the
    village's answer and the general branch's check."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        GIVEN = "given", _("guidance given")
        RESPONDED = "responded", _("village responded")
        CLOSED = "closed", _("closed")

    class Subject(models.TextChoices):
        LEADERSHIP = "leadership", _("the branch committee")
        MEMBERS = "members", _("members and recruitment")
        ORG_LIFE = "org_life", _("organizational life (三会一课)")
        FACILITIES = "facilities", _("activity facilities")
        RULES = "rules", _("rules and records")
        OTHER = "other", _("other")

    class Method(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        MEETING = "meeting", _("at a meeting")
        WRITTEN = "written", _("in writing")

    power = PowerCode.ORGANIZATION_GUIDANCE
    village_sees = Q(status__in=["given", "responded", "closed"])

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    method = models.CharField(_("how it was given"), max_length=20, choices=Method.choices, default=Method.ON_SITE)
    guidance = models.TextField(_("guidance"), max_length=5000)
    requirements = models.TextField(
        _("what the village is to do"), max_length=5000, blank=True, help_text=_("By the deadline, if one is set.")
    )
    response = models.TextField(_("the village's response"), max_length=5000, blank=True, editable=False)

    class Meta(PowerCase.Meta):
        verbose_name = _("organization-building guidance")
        verbose_name_plural = _("organization-building guidance")
