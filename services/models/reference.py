"""Reference data of the "55819" service days, named in Chinese and English (`name_zh`, `name_en`; `name` by the
language), like `branches.Power`: centres (scoped through the general branches they serve), departments and who works
for them, categories, the service catalogue."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from anding.links import record_url
from anding.scoping import ScopedQuerySet
from branches.choices import OrgKind
from branches.models import Organization

from ..roles import CENTRE_SCOPE_ROLES

__all__ = ["Department", "DepartmentStaff", "Named", "ServiceCategory", "ServiceCentre", "ServiceItem"]


class Named(models.Model):
    """Reference data named in Chinese and English, in an editable order."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class ServiceCentre(Named):
    """A service centre (服务中心) and the general branches whose villages it serves."""

    general_branches = models.ManyToManyField(
        Organization,
        verbose_name=_("general branches served"),
        related_name="service_centres",
        limit_choices_to={"kind": OrgKind.GENERAL},
    )

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("general_branches",)
    scope_roles = CENTRE_SCOPE_ROLES

    class Meta(Named.Meta):
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")

    def get_absolute_url(self):
        return record_url("services:centre_month", self.pk)


class Department(Named):
    """A functional department of the town that comes to the centres (司法, 规划, 民政, ...)."""

    class Meta(Named.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class ServiceCategory(Named):
    """咨询, 培训技能, 服务."""

    class Meta(Named.Meta):
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")


class ServiceItem(Named):
    """One of the convenience services, delivered by one department."""

    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="items"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="items"
    )

    class Meta(Named.Meta):
        verbose_name = _("service item")
        verbose_name_plural = _("service items")


class DepartmentStaff(models.Model):
    """Which department a user (holding a department-staff position on the town) works for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="department_link"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="staff"
    )

    class Meta:
        ordering = ["department__order", "user__username"]
        verbose_name = _("department staff member")
        verbose_name_plural = _("department staff")

    def __str__(self):
        return f"{self.department} · {self.user}"
