"""Pairings (强村带弱村): a strong village leads the villages it helps in an industry, from a start to an end date;
its progress is recorded over time (area in mu, households involved, income per capita before and after). A
pairing is in scope through the lead village and every village it helps; it is written through the lead village."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet, scope_ranges
from branches.choices import OrgKind
from branches.models import Organization
from branches.tree import ranges_q

from ..roles import PAIRING_SCOPE_ROLES

__all__ = ["Pairing", "PairingProgress"]

VILLAGES = {"kind": OrgKind.VILLAGE}


class PairingQuerySet(ScopedQuerySet):
    """Seen through the lead village or any helped village (a to-many path: the base selects the keys in a
    subquery); written ("change") through the lead village only."""

    lead_path = "lead_village"

    def restrict(self, user, action: str = "view", *, few: bool = False):
        if action == "view":
            return super().restrict(user, action, few=few)
        ranges = scope_ranges(user, self.model, action)
        if ranges is None:
            return self.all()
        return self.filter(ranges_q(ranges, self.lead_path))


class ProgressQuerySet(PairingQuerySet):
    lead_path = "pairing__lead_village"


class Pairing(ChangeTrackedModel):
    lead_village = models.ForeignKey(
        Organization,
        verbose_name=_("lead village"),
        on_delete=models.PROTECT,
        related_name="pairings_led",
        limit_choices_to=VILLAGES,
    )
    helped_villages = models.ManyToManyField(
        Organization, verbose_name=_("villages helped"), related_name="pairings_helped", limit_choices_to=VILLAGES
    )
    industry = models.CharField(_("industry"), max_length=100)
    goals = models.TextField(_("goals"), max_length=2000)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    objects = PairingQuerySet.as_manager()
    scope_paths = ("lead_village", "helped_villages")
    scope_roles = PAIRING_SCOPE_ROLES

    class Meta:
        ordering = ["-start_date", "lead_village__tree_id", "lead_village__lft", "pk"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="development_pairing_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self):
        return _("%(village)s leads: %(industry)s") % {"village": self.lead_village.name, "industry": self.industry}

    def get_absolute_url(self):
        return record_url("development:pairing_detail", self.pk)

    @property
    def helped_names(self) -> str:
        """The villages helped, in the tree's order (prefetch `helped_villages` for a list)."""
        villages = sorted(self.helped_villages.all(), key=lambda v: (v.tree_id, v.lft))
        return "、".join(v.name for v in villages)

    @property
    def latest_increase(self):
        """Income per capita after − before, of the latest progress (`selectors.pairing_rows` annotates it)."""
        if getattr(self, "latest_income_after", None) is None:
            return None
        return self.latest_income_after - self.latest_income_before


class PairingProgress(ChangeTrackedModel):
    """Where a pairing stood on a date: the area planted, the households involved, the income per capita of the
    villages helped before the pairing and now."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT, related_name="progress")
    date = models.DateField(_("date"))
    area_mu = models.DecimalField(_("area (mu)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    households = models.PositiveIntegerField(_("households involved"))
    income_before = models.DecimalField(
        _("income per capita before (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    income_after = models.DecimalField(
        _("income per capita after (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    objects = ProgressQuerySet.as_manager()
    scope_paths = ("pairing__lead_village", "pairing__helped_villages")
    scope_roles = PAIRING_SCOPE_ROLES

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("pairing progress")
        verbose_name_plural = _("pairing progress records")
        constraints = [
            models.CheckConstraint(
                condition=Q(area_mu__gte=0, income_before__gte=0, income_after__gte=0),
                name="development_progress_not_negative",
            )
        ]

    def __str__(self):
        return _("%(pairing)s on %(date)s") % {"pairing": self.pairing, "date": self.date}

    def get_absolute_url(self):
        return record_url("development:pairing_detail", self.pairing_id) + f"#progress-{self.pk}"

    @property
    def increase(self):
        return self.income_after - self.income_before
