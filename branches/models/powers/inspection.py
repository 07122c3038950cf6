"""村务监督检查: the general branch inspects one of the five areas of village affairs (domain.md section 5), issues its
findings, and follows each rectification item (`InspectionItem`) until it has verified them all."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anding.history import Tracked
from anding.scoping import ScopedQuerySet

from ...choices import PowerCode
from .base import CASE_SCOPE_ROLES, PowerCase

__all__ = ["AffairsInspection", "InspectionItem"]


class AffairsInspection(PowerCase):
    """An inspection of a village's affairs: the area, when and by whom, what was found. Its deadline (`due_on`) is
    the earliest deadline of the items the village has not done yet."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("findings issued")
        RECTIFYING = "rectifying", _("rectifying")
        CLOSED = "closed", _("closed")

    class Area(models.TextChoices):
        DECISIONS = "decisions", _("village decisions and their publication (村务决策和公开)")
        PROPERTY = "property", _("village property (村级财产管理)")
        PROJECTS = "projects", _("village construction projects (村工程项目建设)")
        POLICIES = "policies", _("farm-support policies (惠农政策措施落实)")
        CIVILITY = "civility", _("rural civility (农村精神文明建设)")

    power = PowerCode.AFFAIRS_INSPECTION
    village_sees = Q(status__in=["issued", "rectifying", "closed"])

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    inspected_on = models.DateField(_("inspected on"))
    inspectors = models.CharField(_("inspected by"), max_length=200)
    findings = models.TextField(
        _("findings"), max_length=5000, blank=True, help_text=_("What the inspection found; needed to issue them.")
    )

    class Meta(PowerCase.Meta):
        verbose_name = _("village-affairs inspection")
        verbose_name_plural = _("village-affairs inspections")


class InspectionItem(Tracked, models.Model):
    """One thing the village must put right by a deadline: its follow-up by the village and the general branch's
    verification."""

    inspection = models.ForeignKey(
        AffairsInspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="items"
    )
    what = models.CharField(_("what to rectify"), max_length=500)
    deadline = models.DateField(_("deadline"))
    follow_up = models.TextField(_("the village's follow-up"), max_length=2000, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("inspection__village",)
    scope_roles = CASE_SCOPE_ROLES

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")

    def __str__(self):
        return self.what

    @property
    def is_verified(self) -> bool:
        return self.verified_on is not None

    def is_overdue(self, today) -> bool:
        return self.done_on is None and self.deadline < today
