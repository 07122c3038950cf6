"""Meetings: 三会一课 and the themed party day of village branches, the general branches' monthly work meetings and
the town leadership meeting. Planned → held (minutes, attendance, decisions) → reviewed by the level above."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anding.attachments import AttachmentBase
from anding.concurrency import VersionedModel
from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet

from ..choices import MeetingKind, MeetingStatus, OrgKind
from .committees import PartyGroup
from .members import PartyMember
from .organization import Organization

__all__ = ["AgendaItem", "Meeting", "MeetingAttachment", "MeetingAttendance"]


class Meeting(VersionedModel, ChangeTrackedModel):
    """A meeting held (or planned) by an organization."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="meetings"
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
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices)
    party_group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("party group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("For a party group meeting: the group that meets."),
    )
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    title = models.CharField(_("title"), max_length=100)
    topics = models.TextField(_("topics"), blank=True, help_text=_("The items on the agenda, one per line."))
    planned_for = models.DateField(_("planned date"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    host = models.CharField(_("chaired by"), max_length=30, blank=True)
    recorder = models.CharField(_("recorded by"), max_length=30, blank=True)
    observers = models.CharField(_("attending without vote"), max_length=200, blank=True)
    minutes = models.TextField(_("discussion"), blank=True)
    decisions = models.TextField(_("decisions and votes"), blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("organization", "general_branch")

    class Meta:
        ordering = ["-planned_for", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["organization", "kind", "held_on"], name="branches_meeting_org_kind_held"),
            models.Index(fields=["status", "planned_for"], name="branches_meeting_status_date"),
            # The list's default order (its date, newest first): a wide scope's first page walks it and stops.
            models.Index(Coalesce("held_on", "planned_for").desc(), F("id"), name="branches_meeting_date_id"),
            # The same order holding the scope's keys and the date's columns (PostgreSQL reads an expression's
            # columns, not the index's value), for a wide scope's deep page: its walk reads no row. Partial on a
            # condition always true that only that walk writes (anding.scoping `walked`): taken for every list, it
            # made a village's first page walk it (0.6 → 35–89 ms; docs/PERFORMANCE.md, "Paging").
            models.Index(
                Coalesce("held_on", "planned_for").desc(),
                F("id"),
                include=["organization", "general_branch", "held_on", "planned_for"],
                condition=Q(organization__isnull=False),
                name="branches_meeting_date_keys",
            ),
            # A quarter's meetings held, wherever they are: the dashboard's 三会一课, the overview and completeness at
            # a wide scope.
            models.Index(
                fields=["held_on"], include=["organization", "kind", "status"], name="branches_meeting_held_on"
            ),
            # The meetings held and not yet reviewed (13,000 of the city's 1.9 million), by each scope path: a town's
            # or general branch's reviews waiting, found from its nodes' keys (`restrict(few=True)`, InArray).
            models.Index(
                fields=["organization"], condition=Q(status=MeetingStatus.HELD), name="branches_meeting_held_org"
            ),
            models.Index(
                fields=["general_branch"], condition=Q(status=MeetingStatus.HELD), name="branches_meeting_held_gb"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED]) | Q(held_on__isnull=False),
                name="%(app_label)s_%(class)s_held_has_date",
                violation_error_message=_("A meeting that was held needs the date it was held."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_url("branches:meeting_detail", self.pk)

    @property
    def date(self):
        return self.held_on or self.planned_for


class MeetingAttendance(models.Model):
    """Whether one member (village meetings) or one officer (work and leadership meetings) attended, and why not."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        PartyMember, verbose_name=_("party member"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    present = models.BooleanField(_("present"), default=True)
    absence_reason = models.CharField(_("reason for absence"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("meeting__organization", "meeting__general_branch")  # in scope with its meeting

    class Meta:
        ordering = ["meeting", "-present", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, user__isnull=True) | Q(member__isnull=True, user__isnull=False),
                name="%(app_label)s_%(class)s_one_person",
                violation_error_message=_("An attendance line names either a member or an officer."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="%(app_label)s_%(class)s_unique_member",
                violation_error_message=_("This member is already on the attendance list."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="%(app_label)s_%(class)s_unique_user",
                violation_error_message=_("This officer is already on the attendance list."),
            ),
            models.CheckConstraint(
                condition=Q(present=True) | ~Q(absence_reason=""),
                name="%(app_label)s_%(class)s_absence_reason",
                violation_error_message=_("Give the reason for an absence."),
            ),
        ]

    def __str__(self):
        return str(self.member or self.user)

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()


class AgendaItem(models.Model):
    """An item of a general branch's monthly work meeting: a deployed task, a village matter, or another point."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("item"), max_length=200)
    task = models.ForeignKey(
        "branches.Task",
        verbose_name=_("deployed task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    village = models.ForeignKey(
        Organization,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    outcome = models.TextField(_("outcome"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("meeting__organization", "meeting__general_branch")  # in scope with its meeting

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()


class MeetingAttachment(AttachmentBase):
    """A file attached to a meeting's record: the signed minutes, a sign-in sheet, photos."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="attachments"
    )

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("meeting__organization", "meeting__general_branch")  # in scope with its meeting

    class Meta(AttachmentBase.Meta):
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")

    def get_absolute_url(self):
        return reverse("branches:meeting_attachment", args=[self.meeting_id, self.pk])
