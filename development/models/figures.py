"""A village's own figures for a year (collective income, income per capita): what says which village is strong
and which is weak on the pairing pages."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet
from branches.choices import OrgKind
from branches.models import Organization

from ..roles import FIGURES_SCOPE_ROLES

__all__ = ["VillageFigures"]


class VillageFigures(ChangeTrackedModel):
    village = models.ForeignKey(
        Organization,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="development_figures",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    collective_income = models.DecimalField(
        _("collective income (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    income_per_capita = models.DecimalField(
        _("income per capita (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("village",)
    scope_roles = FIGURES_SCOPE_ROLES

    class Meta:
        ordering = ["-year", "village__tree_id", "village__lft"]
        verbose_name = _("village figures")
        verbose_name_plural = _("village figures")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"],
                name="development_figures_one_per_village_year",
                violation_error_message=_("This village already has figures for this year."),
            ),
            models.CheckConstraint(
                condition=models.Q(collective_income__gte=0, income_per_capita__gte=0),
                name="development_figures_not_negative",
            ),
        ]

    def __str__(self):
        return _("%(village)s %(year)s figures") % {"village": self.village.name, "year": self.year}

    def get_absolute_url(self):
        return reverse("development:figures_list") + f"?village={self.village_id}&year={self.year}"
