"""External partnerships (外部带动内部): organizations outside the town a general branch works with, and the events
held with them (job fairs, trainings, orders) with their outcomes. An event is in scope through its general
branch; partners are reference data, kept in the admin and added by those who record events, listed to each person
with the events of their scope."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anding.models import ChangeTrackedModel
from anding.scoping import ALL, ScopedQuerySet, scope_ranges
from branches.choices import OrgKind
from branches.models import Organization
from branches.tree import ranges_q

from ..choices import EventKind, PartnerKind
from ..roles import BRANCH_SCOPE_ROLES

__all__ = ["Partner", "PartnerEvent", "PartnerQuerySet"]

GENERAL_BRANCHES = {"kind": OrgKind.GENERAL}


class PartnerQuerySet(models.QuerySet):
    """Partners are reference data, yet each person sees those their general branches work with: the partners of
    the events in their scope, and those with no event yet (just added, to be chosen); someone who sees no general
    branch (a village's secretary) sees none. One statement; the town sees every partner its villages work with."""

    def restrict(self, user, action: str = "view", *, few: bool = False):  # one condition whatever `few`
        ranges = scope_ranges(user, PartnerEvent, action)
        if ranges is ALL:
            return self.all()
        if not ranges:
            return self.none()
        generals = Organization.objects.filter(ranges_q(ranges), kind=OrgKind.GENERAL)
        events = PartnerEvent.objects.restrict(user, action).values("partner")
        unused = ~Exists(PartnerEvent.objects.filter(partner=OuterRef("pk")))
        return self.filter(Exists(generals)).filter(Q(pk__in=events) | unused)


class Partner(models.Model):
    """An organization outside the town that general branches hold events with (reference data)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    contact_note = models.TextField(_("contact note"), max_length=1000, blank=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("development:event_list") + f"?partner={self.pk}"


class PartnerEvent(ChangeTrackedModel):
    general_branch = models.ForeignKey(
        Organization,
        verbose_name=_("general branch"),
        on_delete=models.PROTECT,
        related_name="partner_events",
        limit_choices_to=GENERAL_BRANCHES,
    )
    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    people_employed = models.PositiveIntegerField(_("people employed"), default=0)
    person_times_trained = models.PositiveIntegerField(_("person-times trained"), default=0)
    contracts = models.PositiveIntegerField(_("contracts"), default=0)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("general_branch",)
    scope_roles = BRANCH_SCOPE_ROLES

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("partnership event")
        verbose_name_plural = _("partnership events")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="development_event_amount_not_negative")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("development:event_list") + f"?general_branch={self.general_branch_id}"
