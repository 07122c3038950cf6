"""The organization tree, the positions people hold on it, and the record of its restructurings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from mptt.models import MPTTModel, TreeForeignKey

from anding.history import Tracked
from anding.links import record_url
from anding.scoping import ScopedQuerySet

from ..choices import OrgChangeKind, OrgKind, Role
from ..roles import GOVERNING_ROLES
from ..tree import TreeManager, is_within, refresh_tree_fields, tree_lock

__all__ = ["ROOT_KINDS", "OrgChange", "Organization", "Position"]

# The kinds that may stand at the top of a tree (a city above districts, or a district or a town on its own).
ROOT_KINDS = {OrgKind.CITY, OrgKind.DISTRICT, OrgKind.TOWN}

# Which kind of node each role sits on.
ROLE_KINDS = {
    Role.TOWN_CADRE: {OrgKind.TOWN, OrgKind.DISTRICT, OrgKind.CITY},
    Role.GENERAL_SECRETARY: {OrgKind.GENERAL},
    Role.DEPUTY_SECRETARY: {OrgKind.GENERAL},
    Role.COMMITTEE_MEMBER: {OrgKind.GENERAL},
    Role.VILLAGE_SECRETARY: {OrgKind.VILLAGE},
    Role.DEPARTMENT_STAFF: {OrgKind.TOWN},
}


def allowed_parent_kinds(kind: str) -> set[str]:
    """A node's parent is exactly one kind up; a village may also sit directly under a town."""
    rank = OrgKind(kind).rank
    allowed = {list(OrgKind)[rank - 1]} if rank > 0 else set()
    if kind == OrgKind.VILLAGE:
        allowed.add(OrgKind.TOWN)
    return allowed


class Organization(Tracked, MPTTModel):
    """A node of the party organization tree: city, district, town committee, joint general branch or village branch."""

    kind = models.CharField(_("kind"), max_length=10, choices=OrgKind.choices)
    name = models.CharField(pgettext_lazy("organization", "name"), max_length=60)
    code = models.CharField(
        _("code"), max_length=20, help_text=_("A unique code, such as the administrative division code.")
    )
    parent = TreeForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    aliases = models.CharField(_("other names"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Villages only.
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    main_industries = models.CharField(_("main industries"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    collective_income_yuan = models.DecimalField(
        _("collective income (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    objects = TreeManager()
    scope_paths = ("",)
    # Department staff see the tree's names, not its records.
    scope_roles = {"view": {*GOVERNING_ROLES, Role.DEPARTMENT_STAFF}}

    class MPTTMeta:
        order_insertion_by = ["code"]

    class Meta:
        ordering = ["tree_id", "lft"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        # Declared so that the migration autodetector sees mptt's (tree_id, lft) index (django-mptt#682).
        indexes = ()
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="%(app_label)s_%(class)s_unique_parent_name",
                violation_error_message=_("An organization with this name already exists under the same parent."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="%(app_label)s_%(class)s_unique_root_name",
                violation_error_message=_("A top-level organization with this name already exists."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("Another organization already has this code."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_range",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("branches:organization_detail", self.pk)

    @property
    def is_village(self) -> bool:
        return self.kind == OrgKind.VILLAGE

    def clean(self):
        super().clean()
        parent = self.parent
        if parent is None:
            if self.kind not in ROOT_KINDS:
                raise ValidationError(
                    {"parent": _("Only a city, a district or a town can stand at the top of the tree.")}
                )
            return
        if self.pk and is_within(parent, self):
            raise ValidationError(
                {"parent": _("An organization cannot be placed under itself or one of its own units.")}
            )
        if parent.kind not in allowed_parent_kinds(self.kind):
            raise ValidationError(
                {
                    "parent": _("A %(kind)s cannot be placed under a %(parent_kind)s.")
                    % {"kind": self.get_kind_display(), "parent_kind": parent.get_kind_display()}
                }
            )

    def save(self, *args, **kwargs):
        with tree_lock():
            refresh_tree_fields(self)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with tree_lock():
            refresh_tree_fields(self)
            return super().delete(*args, **kwargs)


class PositionQuerySet(ScopedQuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))


class Position(Tracked, models.Model):
    """A person's role on a node of the tree for a period: what they may see and do follows from it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="positions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="positions"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=60, blank=True, help_text=_("For example 镇党委组织委员."))
    liaison_villages = models.ManyToManyField(
        Organization,
        verbose_name=_("liaison villages"),
        blank=True,
        related_name="liaison_positions",
        limit_choices_to={"kind": OrgKind.VILLAGE},
        help_text=_("For a deputy secretary: the villages they liaise with as village-liaison chief."),
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()
    scope_paths = ("organization",)
    # A change of officers changes scopes, and what the villages below see of whom they answer to.
    fresh_everywhere = True

    class Meta:
        ordering = ["organization__tree_id", "organization__lft", "role", "start_date"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_date_range",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_role_display()} · {self.user}"

    def get_absolute_url(self):
        return self.organization.get_absolute_url()

    def clean(self):
        super().clean()
        if self.organization_id and self.role and self.organization.kind not in ROLE_KINDS[self.role]:
            raise ValidationError(
                {
                    "role": _("A %(role)s position cannot be held on a %(kind)s.")
                    % {"role": self.get_role_display(), "kind": self.organization.get_kind_display()}
                }
            )


class OrgChange(models.Model):
    """A restructuring of the tree: what changed, effective when, why, and who did it."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(_("kind of change"), max_length=10, choices=OrgChangeKind.choices)
    old_parent = models.ForeignKey(
        Organization, verbose_name=_("old parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_parent = models.ForeignKey(
        Organization, verbose_name=_("new parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("organization",)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("organization change")
        verbose_name_plural = _("organization changes")

    def __str__(self):
        return f"{self.organization} · {self.get_kind_display()} · {self.effective_date}"

    def get_absolute_url(self):
        return self.organization.get_absolute_url()
