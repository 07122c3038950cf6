"""Household visits: each village's household register (户号, head of household, address, size) and the visits its
officers make (who led, who came, the topics, what was raised, the follow-up and who owns it). Both are in scope
through the village; the topics are reference data named in Chinese and English."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.crypto import EncryptedCharField, mask
from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet
from branches.choices import OrgKind
from branches.models import Organization
from branches.validators import validate_phone

from ..roles import VISIT_SCOPE_ROLES
from .reference import Named

__all__ = ["MAX_HOUSEHOLD_SIZE", "Household", "HouseholdVisit", "VisitTopic"]

MAX_HOUSEHOLD_SIZE = 30


class VisitTopic(Named):
    """What a visit talked about (就业, 医疗, 养老, ...)."""

    class Meta(Named.Meta):
        verbose_name = _("visit topic")
        verbose_name_plural = _("visit topics")


class Household(ChangeTrackedModel):
    """A household on a village's register, known by its number (户号) in the village. A household that moved away
    stays on the register, inactive, and no longer counts for coverage."""

    village = models.ForeignKey(
        Organization,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="household_register",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    number = models.CharField(_("household number"), max_length=20)
    head_name = models.CharField(_("head of household"), max_length=30)
    address = models.CharField(_("address"), max_length=200)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    size = models.PositiveSmallIntegerField(
        _("household size"), validators=[MinValueValidator(1), MaxValueValidator(MAX_HOUSEHOLD_SIZE)]
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Clear it when the household moves away."))
    note = models.TextField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("village",)
    scope_roles = VISIT_SCOPE_ROLES

    class Meta:
        ordering = ["village__tree_id", "village__lft", "number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "number"],
                name="services_household_unique_number",
                violation_error_message=_("This village already has a household with this number."),
            )
        ]

    def __str__(self):
        return f"{self.number} {self.head_name}"

    def get_absolute_url(self):
        return record_url("services:household_detail", self.pk)

    @property
    def phone_masked(self) -> str:
        return mask(self.phone, head=3, tail=4)


class HouseholdVisitQuerySet(ScopedQuerySet):
    def open_follow_ups(self):
        return self.filter(follow_up_owner__isnull=False, closed_on__isnull=True)


class HouseholdVisit(ChangeTrackedModel):
    """A visit to a household: who led it and who came, the topics, what was raised, and the follow-up, its owner,
    its due date and its closure."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="visits"
    )
    date = models.DateField(_("date"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("led by"), on_delete=models.PROTECT, related_name="visits_led"
    )
    cadres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("cadres who came"), blank=True, related_name="visits_joined"
    )
    topics = models.ManyToManyField(VisitTopic, verbose_name=_("topics"), related_name="visits")
    raised = models.TextField(_("what was raised"), max_length=2000)
    follow_up = models.TextField(_("follow-up"), max_length=2000, blank=True)
    follow_up_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follow-up owner"),
        on_delete=models.PROTECT,
        related_name="visit_follow_ups",
        null=True,
        blank=True,
    )
    follow_up_due = models.DateField(_("follow-up due on"), null=True, blank=True)
    closed_on = models.DateField(_("follow-up closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), max_length=2000, blank=True)

    objects = HouseholdVisitQuerySet.as_manager()
    scope_paths = ("household__village",)
    scope_roles = VISIT_SCOPE_ROLES

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        indexes = [
            models.Index(fields=["follow_up_owner", "closed_on"], name="services_visit_follow_up"),
            # The lists, newest first: a wide scope walks it and stops after a page (a city: 0.9 s → 2 ms).
            models.Index(fields=["date", "id"], name="services_visit_date"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.household}"

    def get_absolute_url(self):
        return record_url("services:household_detail", self.household_id) + f"#visit-{self.pk}"

    @property
    def is_open_follow_up(self) -> bool:
        return self.follow_up_owner_id is not None and self.closed_on is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open_follow_up and self.follow_up_due is not None and self.follow_up_due < timezone.localdate()
