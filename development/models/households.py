""" "General branch + N households" (总支+N农户): the resources of a general branch (leading firms, cooperatives,
party-member experts with their specialties), the trainings they give (person-times) and the sales through shared
channels (quantity in jin, amount in yuan). All in scope through the general branch. A resource is linked to the
households it works with, from the household register of the general branch's villages (`services.Household`)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet
from branches.models import Organization, PartyMember

from ..choices import ResourceKind
from ..roles import BRANCH_SCOPE_ROLES
from .partnerships import GENERAL_BRANCHES

__all__ = ["BranchResource", "ResourceTraining", "SharedSale"]


class BranchResource(ChangeTrackedModel):
    general_branch = models.ForeignKey(
        Organization,
        verbose_name=_("general branch"),
        on_delete=models.PROTECT,
        related_name="development_resources",
        limit_choices_to=GENERAL_BRANCHES,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    specialty = models.CharField(_("specialty"), max_length=200)
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("party member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_resources",
        help_text=_("For a party-member expert: the member, of a village of the general branch."),
    )
    households = models.ManyToManyField(
        "services.Household",
        verbose_name=_("households linked"),
        blank=True,
        related_name="development_resources",
        help_text=_("The households of the general branch's villages that the resource works with."),
    )

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("general_branch",)
    scope_roles = BRANCH_SCOPE_ROLES

    class Meta:
        ordering = ["general_branch__lft", "kind", "name"]
        verbose_name = _("general branch resource")
        verbose_name_plural = _("general branch resources")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("development:resource_detail", self.pk)


class ResourceTraining(ChangeTrackedModel):
    resource = models.ForeignKey(
        BranchResource, verbose_name=_("resource"), on_delete=models.PROTECT, related_name="trainings"
    )
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    person_times = models.PositiveIntegerField(_("person-times"))

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("resource__general_branch",)
    scope_roles = BRANCH_SCOPE_ROLES

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("resource training")
        verbose_name_plural = _("resource trainings")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return record_url("development:resource_detail", self.resource_id) + f"#training-{self.pk}"


class SharedSale(ChangeTrackedModel):
    general_branch = models.ForeignKey(
        Organization,
        verbose_name=_("general branch"),
        on_delete=models.PROTECT,
        related_name="shared_sales",
        limit_choices_to=GENERAL_BRANCHES,
    )
    product = models.CharField(_("product"), max_length=100)
    channel = models.CharField(_("channel"), max_length=100)
    quantity_jin = models.DecimalField(
        _("quantity (jin)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    date = models.DateField(_("date"))

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("general_branch",)
    scope_roles = BRANCH_SCOPE_ROLES

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("shared sale")
        verbose_name_plural = _("shared sales")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_jin__gte=0, amount__gte=0), name="development_sale_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.product} · {self.channel}"

    def get_absolute_url(self):
        return reverse("development:sale_list") + f"?general_branch={self.general_branch_id}#sale-{self.pk}"
