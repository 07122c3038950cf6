"""Tailored assessment plans (一村一策考核): for a village and a year, its weak points and the indicators it is
assessed on, each with a target, a weight and, as the year goes, its actual value. The general branch sets the
plan, the town approves it; the score is computed from the indicators by `plan_score`, never typed in."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from anding.freshness import FreshQuerySet
from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet
from branches.choices import OrgKind
from branches.models import Organization

from ..choices import Direction, PlanStatus
from ..roles import PLAN_SCOPE_ROLES

__all__ = ["WEIGHT_TOTAL", "AssessmentPlan", "PlanIndicator", "PlanScore", "attainment", "plan_score"]

WEIGHT_TOTAL = Decimal(100)  # the weights of a submitted plan add up to this
ONE = Decimal(1)


class AssessmentPlan(ChangeTrackedModel):
    village = models.ForeignKey(
        Organization,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="assessment_plans",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    weak_points = models.TextField(_("weak points"), max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), max_length=2000, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("village",)
    scope_roles = PLAN_SCOPE_ROLES

    class Meta:
        ordering = ["-year", "village__tree_id", "village__lft"]
        verbose_name = _("tailored assessment plan")
        verbose_name_plural = _("tailored assessment plans")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"],
                name="services_plan_one_per_village_year",
                violation_error_message=_("This village already has a plan for this year."),
            )
        ]

    def __str__(self):
        return _("%(village)s %(year)s assessment plan") % {"village": self.village.name, "year": self.year}

    def get_absolute_url(self):
        return record_url("services:plan_detail", self.pk)

    @cached_property
    def score(self) -> "PlanScore":
        """The plan's score (prefetch `indicators` for a list of plans)."""
        return plan_score(self.indicators.all())

    @property
    def editable(self) -> bool:
        """The general branch may still change the weak points and indicators."""
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanIndicator(models.Model):
    plan = models.ForeignKey(
        AssessmentPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("indicator"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.AT_LEAST)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    actual = models.DecimalField(
        _("actual value"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    objects = FreshQuerySet.as_manager()  # its bulk writes (the actual values) keep the dashboards fresh

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    @property
    def attainment(self) -> Decimal | None:
        return attainment(self.direction, self.target, self.actual)

    @property
    def points(self) -> Decimal | None:
        share = self.attainment
        return None if share is None else (self.weight * share).quantize(Decimal("0.01"), ROUND_HALF_UP)


def attainment(direction: str, target: Decimal, actual: Decimal | None) -> Decimal | None:
    """How far an indicator is met, from 0 to 1 (None before its actual value is known). "At least": the share of
    the target reached. "At most": met in full within the target, else target over actual (none when the target is
    zero)."""
    if actual is None:
        return None
    if direction == Direction.AT_MOST:
        if actual <= target:
            return ONE
        return target / actual
    if target == 0:
        return ONE
    return min(actual / target, ONE)


@dataclass(frozen=True)
class PlanScore:
    # Out of WEIGHT_TOTAL, one decimal: each indicator's weight times its attainment, unmeasured as 0; None while
    # nothing is measured.
    score: Decimal | None
    measured: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.measured == self.total


def plan_score(indicators) -> PlanScore:
    """The score of a plan from its indicators: the one place it is computed."""
    points, measured, total = Decimal(0), 0, 0
    for indicator in indicators:
        total += 1
        share = attainment(indicator.direction, indicator.target, indicator.actual)
        if share is not None:
            measured += 1
            points += indicator.weight * share
    return PlanScore(points.quantize(Decimal("0.1"), ROUND_HALF_UP) if measured else None, measured, total)
