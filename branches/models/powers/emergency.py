"""紧急情况处置: an emergency in a village (its type, level, what happened and what was done), with the timeline of its
reports up to the town (首报, 续报 1, 2, …, 终报) and the log of the actions taken.

Reporting deadlines are settings (`EMERGENCY_FIRST_REPORT_MINUTES` after the incident became known for the first
report, `EMERGENCY_FOLLOW_UP_HOURS` after the last report for the next one): a report filed after its deadline is
recorded as it was, marked late. The case's `next_report_due` (and its date, `due_on`) names the next report due.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.history import Tracked
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet

from ...choices import PowerCode
from ...roles import POWER_ROLES, POWER_VIEW_ROLES, VILLAGE_ROLES
from .base import PowerCase

__all__ = ["EmergencyAction", "EmergencyIncident", "EmergencyReport", "first_report_deadline", "next_report_deadline"]

# Reports and actions are read through their incident, which its village always sees.
TIMELINE_SCOPE_ROLES = {"view": POWER_VIEW_ROLES | VILLAGE_ROLES, "change": POWER_ROLES | VILLAGE_ROLES}
# A time a little ahead of the server's clock is a clock's difference, not the future.
CLOCK_SLACK = datetime.timedelta(minutes=5)


def first_report_deadline(known_at: datetime.datetime) -> datetime.datetime:
    return known_at + datetime.timedelta(minutes=settings.EMERGENCY_FIRST_REPORT_MINUTES)


def next_report_deadline(last_report_at: datetime.datetime) -> datetime.datetime:
    return last_report_at + datetime.timedelta(hours=settings.EMERGENCY_FOLLOW_UP_HOURS)


# Times before this are typing mistakes (and would print with the historical offsets of the time zone).
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def not_in_future(value: datetime.datetime | None, field: str, errors: dict) -> None:
    """A time of the timeline: not in the future, not before 2000."""
    if value is not None and value > timezone.now() + CLOCK_SLACK:
        errors[field] = _("This time is in the future.")
    elif value is not None and value < EARLIEST:
        errors[field] = _("This time is too long ago.")


class EmergencyIncident(PowerCase):
    """An emergency in a village. Opened (reported to the general branch, 接报) by the village secretary or the
    general branch's officers; the first report to the town moves it to "responding", the final report to "final
    report filed"; the general branch's secretary closes it. One reported in error is withdrawn with a reason."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        RESPONDING = "responding", _("responding")
        FINAL = "final", _("final report filed")
        CLOSED = "closed", _("closed")
        WITHDRAWN = "withdrawn", _("withdrawn (reported in error)")

    class Kind(models.TextChoices):
        NATURAL = "natural_disaster", _("natural disaster")
        ACCIDENT = "accident", _("accident")
        HEALTH = "public_health", _("public health incident")
        SECURITY = "social_security", _("social security incident")

    class Level(models.IntegerChoices):
        I = 1, _("I: particularly serious")  # noqa: E741
        II = 2, _("II: serious")
        III = 3, _("III: relatively serious")
        IV = 4, _("IV: general")

    power = PowerCode.EMERGENCY_RESPONSE
    village_sees = Q()  # the village sees its emergencies always

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    occurred_at = models.DateTimeField(_("happened at"))
    known_at = models.DateTimeField(
        _("known at"), help_text=_("When the village or the general branch learned of it (接报时间).")
    )
    source = models.CharField(_("source of the information"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("what happened"), max_length=5000)
    casualties = models.TextField(_("casualties and losses"), max_length=5000, blank=True)
    people_sent = models.TextField(
        _("people sent"), max_length=2000, blank=True, help_text=_("Who was sent to the site: names and posts.")
    )
    next_report_due = models.DateTimeField(_("next report due by"), null=True, blank=True, editable=False)

    class Meta(PowerCase.Meta):
        verbose_name = _("emergency")
        verbose_name_plural = _("emergencies")

    def clean(self):
        super().clean()
        errors = {}
        not_in_future(self.occurred_at, "occurred_at", errors)
        not_in_future(self.known_at, "known_at", errors)
        if self.occurred_at and self.known_at and "known_at" not in errors and self.known_at < self.occurred_at:
            errors["known_at"] = _("It cannot have been known before it happened.")
        if self.pk is not None and self.known_at and "known_at" not in errors:  # a correction
            first = self.reports.order_by("reported_at").values_list("reported_at", flat=True).first()
            if first is not None and first < self.known_at:
                errors["known_at"] = _("The first report was filed before this time.")
        if errors:
            raise ValidationError(errors)
        if self.status == self.Status.REPORTED and self.known_at:
            self.set_next_report_due(first_report_deadline(self.known_at))

    def set_next_report_due(self, deadline: datetime.datetime | None) -> None:
        """The next report's deadline, and its day as the case's deadline (for the lists and to-do items)."""
        self.next_report_due = deadline
        self.due_on = timezone.localdate(deadline) if deadline else None

    @property
    def report_overdue(self) -> bool:
        return self.is_open and self.next_report_due is not None and self.next_report_due < timezone.now()


class EmergencyReport(Tracked, ChangeTrackedModel):
    """One report of the timeline: the first (首报), a follow-up (续报 n: what changed) or the final one (终报). `due_at`
    is the deadline it was judged against when filed, `late` whether it came after it."""

    class Kind(models.TextChoices):
        FIRST = "first", _("first report")
        FOLLOW_UP = "follow_up", _("follow-up report")
        FINAL = "final", _("final report")

    incident = models.ForeignKey(
        EmergencyIncident, verbose_name=_("emergency"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("kind of report"), max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"), default=0, help_text=_("Of a follow-up report."))
    reported_at = models.DateTimeField(_("reported at"))
    content = models.TextField(_("content"), max_length=5000)
    reporter = models.CharField(_("reported by"), max_length=100)
    recipient = models.CharField(_("reported to"), max_length=100)
    due_at = models.DateTimeField(_("due by"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("incident__village",)
    scope_roles = TIMELINE_SCOPE_ROLES

    class Meta:
        ordering = ["reported_at", "id"]
        verbose_name = _("emergency report")
        verbose_name_plural = _("emergency reports")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.kind == self.Kind.FOLLOW_UP:
            return _("follow-up report %(n)d") % {"n": self.number}
        return self.get_kind_display()


class EmergencyAction(Tracked, ChangeTrackedModel):
    """One entry of the actions log: when, what was done, by whom."""

    incident = models.ForeignKey(
        EmergencyIncident, verbose_name=_("emergency"), on_delete=models.PROTECT, related_name="action_log"
    )
    at = models.DateTimeField(_("at"))
    action = models.TextField(_("action taken"), max_length=2000)
    taken_by = models.CharField(_("by whom"), max_length=200)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("incident__village",)
    scope_roles = TIMELINE_SCOPE_ROLES

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("emergency action")
        verbose_name_plural = _("emergency actions")

    def __str__(self):
        return self.action[:50]
