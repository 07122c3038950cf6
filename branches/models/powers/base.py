"""What the seven powers share (DESIGN 4.3): the `Power` reference rows, the abstract `PowerCase` each power's case
model builds on, the history of a case's transitions and its attachments.

A case belongs to a village and is exercised by the officers of the village's general branch: it is in scope
through `village` for the power roles (so after a move the new general branch takes over the open cases, and the
old one loses them), and a village secretary sees the cases of their village that the power's rules open to the
village (`village_sees`, a condition on the row). `general_branch` keeps the general branch of the time.
"""

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from anding.attachments import AttachmentBase
from anding.concurrency import VersionedModel
from anding.history import Tracked
from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet, scope_q

from ...choices import OrgKind, PowerCode
from ...roles import POWER_ROLES, POWER_VIEW_ROLES, VILLAGE_ROLES
from ..organization import Organization

__all__ = ["CaseAttachment", "CaseEvent", "CaseQuerySet", "Power", "PowerCase", "case_models"]

CASE_SCOPE_ROLES = {"view": POWER_VIEW_ROLES, "change": POWER_ROLES, "village_view": VILLAGE_ROLES}


class Power(models.Model):
    """One of the seven powers, as reference data: its names and description, editable in the admin."""

    code = models.CharField(_("code"), max_length=30, choices=PowerCode.choices, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name_zh = models.CharField(_("Chinese name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=80)
    description_zh = models.TextField(_("Chinese description"), max_length=2000, blank=True)
    description_en = models.TextField(_("English description"), max_length=2000, blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("power")
        verbose_name_plural = _("powers")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "").startswith("en") else self.description_zh


class CaseQuerySet(ScopedQuerySet):
    """Cases restricted as every scoped record, plus, for "view", the cases a village secretary's own village may
    see under its power's rules: one SQL condition still."""

    def restrict(self, user, action: str = "view", *, few: bool = False):  # one condition whatever `few`
        model = self.model
        officers = scope_q(user, model, action)
        village = None
        if action == "view" and model.village_sees is not None:
            village = scope_q(user, model, "village_view")
        if officers is not None and not officers:
            return self.all()  # no restriction (superusers)
        if village is not None:
            village &= model.village_sees
        conditions = [c for c in (officers, village) if c is not None]
        if not conditions:
            return self.none()
        condition = conditions[0]
        for other in conditions[1:]:
            condition |= other
        return self.filter(condition)


_case_models: dict[str, type["PowerCase"]] = {}


def case_models() -> dict[str, type["PowerCase"]]:
    """The case model of each power, by its code, in the order of the source."""
    return {code: _case_models[code] for code in PowerCode.values if code in _case_models}


class CaseEvent(models.Model):
    """One step in the life of a case: opened, passed on, returned, closed, with the comment given."""

    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    case_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("case_type", "case_id")
    village = models.ForeignKey(Organization, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    transition = models.CharField(_("step"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    comment = models.TextField(_("comment"), max_length=5000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("village",)
    scope_roles = CASE_SCOPE_ROLES

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case history entry")
        verbose_name_plural = _("case history")
        indexes = [models.Index(fields=["case_type", "case_id"], name="branches_caseevent_case")]

    def __str__(self):
        return f"{self.transition}: {self.from_status} → {self.to_status}"


class CaseAttachment(AttachmentBase):
    """A file attached to a case: a report, a scoring sheet, photos of a site."""

    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    case_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("case_type", "case_id")
    village = models.ForeignKey(Organization, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("village",)
    scope_roles = CASE_SCOPE_ROLES

    class Meta(AttachmentBase.Meta):
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        indexes = [models.Index(fields=["case_type", "case_id"], name="branches_caseattachment_case")]


class PowerCase(Tracked, VersionedModel, ChangeTrackedModel):
    """A case of one power over one village. A concrete case model names its `power` (a PowerCode), its `Status`
    choices (redefining `status` with them), and `village_sees`: None when the village never sees its cases, else
    the condition on a case under which it does (Q() for always). Its workflow lives in
    `branches.actions.powers`."""

    power: ClassVar[str] = ""
    village_sees: ClassVar[Q | None] = None

    village = models.ForeignKey(
        Organization,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    general_branch = models.ForeignKey(
        Organization,
        verbose_name=_("general branch at the time"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    events = GenericRelation(CaseEvent, content_type_field="case_type", object_id_field="case_id")
    attachments = GenericRelation(CaseAttachment, content_type_field="case_type", object_id_field="case_id")

    objects = CaseQuerySet.as_manager()
    scope_paths = ("village",)
    scope_roles = CASE_SCOPE_ROLES

    class Meta:
        abstract = True
        ordering = ["-opened_on", "-id"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "power" in cls.__dict__:  # a concrete case model (its Meta is not read yet here)
            _case_models[cls.power] = cls

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_url(f"branches:{self.power}_detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    @classmethod
    def power_label(cls) -> str:
        return PowerCode(cls.power).label
