"""The half-days held at each centre and what the department staff recorded there. A half-day is in scope through
the general branches its centre serves; a record through the villager's village, and for department staff through
their own department (a condition on the row)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.crypto import EncryptedCharField, mask
from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet, scope_q
from branches.choices import OrgKind
from branches.models import Organization
from branches.validators import validate_phone

from ..choices import Half, Outcome
from ..roles import CENTRE_SCOPE_ROLES, RECORD_SCOPE_ROLES
from .reference import Department, DepartmentStaff, ServiceCentre, ServiceItem

__all__ = ["ServiceRecord", "ServiceSession"]


class ServiceSession(ChangeTrackedModel):
    """A half-day held at a centre: the departments present and the staff who came."""

    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField(_("date"))
    half = models.CharField(_("half-day"), max_length=2, choices=Half.choices)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments present"), blank=True, related_name="sessions"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff who came"), blank=True, related_name="service_sessions"
    )

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("centre__general_branches",)
    scope_roles = CENTRE_SCOPE_ROLES

    class Meta:
        ordering = ["-date", "half", "centre__order"]
        verbose_name = _("service half-day")
        verbose_name_plural = _("service half-days")
        # The lists of half-days and of records, newest first: a wide scope walks it and stops after a page (the
        # city's records: 1.2 s → 5 ms).
        indexes = [models.Index(fields=["-date", "half", "id"], name="services_session_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "date", "half"],
                name="services_session_unique_half_day",
                violation_error_message=_("This centre already has this half-day."),
            )
        ]

    def __str__(self):
        return f"{self.centre} {self.date:%Y-%m-%d} {self.get_half_display()}"

    def get_absolute_url(self):
        return record_url("services:session_detail", self.pk)


class ServiceRecordQuerySet(ScopedQuerySet):
    """Records in the tree's scope through the village, plus, for "view", the records of the departments the user
    works for when they hold a department-staff position: one SQL condition still (as CaseQuerySet adds
    `village_sees`)."""

    def restrict(self, user, action: str = "view", *, few: bool = False):  # one condition whatever `few`
        officers = scope_q(user, self.model, action)
        if officers is not None and not officers:
            return self.all()  # no restriction (superusers)
        department = scope_q(user, self.model, "department_view") if action == "view" else None
        if department is not None:
            department &= Q(department__in=DepartmentStaff.objects.filter(user=user).values("department"))
        conditions = [c for c in (officers, department) if c is not None]
        if not conditions:
            return self.none()
        condition = conditions[0]
        for other in conditions[1:]:
            condition |= other
        return self.filter(condition)

    def open_follow_ups(self):
        return self.filter(outcome=Outcome.FOLLOW_UP, closed_on__isnull=True)


class ServiceRecord(ChangeTrackedModel):
    """What a department's staff member handled for a villager on a half-day."""

    session = models.ForeignKey(
        ServiceSession, verbose_name=_("half-day"), on_delete=models.PROTECT, related_name="records"
    )
    # The half-day's date, copied when the record is made (a half-day's date never changes): the list sorts by it on
    # the record's own index, where through the join it sorted every record in scope (the city's: 1 s).
    date = models.DateField(_("date"), editable=False)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="records"
    )
    service_item = models.ForeignKey(
        ServiceItem, verbose_name=_("service"), on_delete=models.PROTECT, related_name="records"
    )
    villager_name = models.CharField(_("villager"), max_length=30)
    village = models.ForeignKey(
        Organization,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="service_records",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    request = models.TextField(_("request"), max_length=2000)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    due_on = models.DateField(_("follow-up due on"), null=True, blank=True)
    closed_on = models.DateField(_("follow-up closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), max_length=2000, blank=True)

    objects = ServiceRecordQuerySet.as_manager()
    scope_paths = ("village",)
    scope_roles = RECORD_SCOPE_ROLES

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        indexes = [
            models.Index(fields=["outcome", "closed_on"], name="services_record_follow_up"),
            models.Index(fields=["-date", "id"], name="services_record_date"),
        ]

    def __str__(self):
        return f"{self.villager_name}: {self.service_item}"

    def get_absolute_url(self):
        return record_url("services:session_detail", self.session_id) + f"#record-{self.pk}"

    @property
    def phone_masked(self) -> str:
        return mask(self.phone, head=3, tail=4)

    @property
    def is_open_follow_up(self) -> bool:
        return self.outcome == Outcome.FOLLOW_UP and self.closed_on is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open_follow_up and self.due_on is not None and self.due_on < timezone.localdate()
