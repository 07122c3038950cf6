"""A village branch's committee (支部委员会) term by term, its seats, and its party groups (党小组).

A committee is elected for a term (five years by default); past terms are kept, so a meeting of an earlier year
still lists the committee of its time. The actions keep the terms of one village from overlapping and the seats to
full members of the village; a party group's leader and members belong to the village too.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet

from ..choices import CommitteePost, OrgKind
from .members import PartyMember
from .organization import Organization

__all__ = [
    "COMMITTEE_MAX_SEATS",
    "COMMITTEE_TERM_YEARS",
    "BranchCommittee",
    "CommitteeSeat",
    "PartyGroup",
    "PartyGroupMembership",
    "term_end_for",
]

COMMITTEE_TERM_YEARS = 5
COMMITTEE_MAX_SEATS = 7  # a committee of 3 to 5, at most 7 (domain.md §3)


def term_end_for(start: datetime.date) -> datetime.date:
    """The last day of a term of COMMITTEE_TERM_YEARS starting on `start`."""
    try:
        end = start.replace(year=start.year + COMMITTEE_TERM_YEARS)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + COMMITTEE_TERM_YEARS, day=28)
    return end - datetime.timedelta(days=1)


class BranchCommitteeQuerySet(ScopedQuerySet):
    def on(self, day: datetime.date | None = None):
        """The terms running on `day` (default today)."""
        day = day or timezone.localdate()
        return self.filter(term_start__lte=day, term_end__gte=day)


class BranchCommittee(ChangeTrackedModel):
    """One term of a village branch's committee (支部委员会)."""

    village = models.ForeignKey(
        Organization,
        verbose_name=_("village branch"),
        on_delete=models.PROTECT,
        related_name="committees",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), help_text=_("Five years after the election, unless ended early."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = BranchCommitteeQuerySet.as_manager()
    scope_paths = ("village",)

    class Meta:
        ordering = ["village__tree_id", "village__lft", "-term_start"]
        verbose_name = _("branch committee")
        verbose_name_plural = _("branch committees")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")),
                name="%(app_label)s_%(class)s_term_range",
                violation_error_message=_("A term cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["village", "term_start"],
                name="%(app_label)s_%(class)s_unique_term",
                violation_error_message=_("This village already has a committee term starting on that day."),
            ),
        ]

    def __str__(self):
        return f"{self.village.name} · {self.term_start:%Y}–{self.term_end:%Y}"

    def get_absolute_url(self):
        return record_url("branches:organization_detail", self.village_id) + "#committee"

    def is_current(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.term_start <= day <= self.term_end


class CommitteeSeat(models.Model):
    """A member's seat and post on one committee term."""

    committee = models.ForeignKey(
        BranchCommittee, verbose_name=_("branch committee"), on_delete=models.CASCADE, related_name="seats"
    )
    member = models.ForeignKey(
        PartyMember, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="committee_seats"
    )
    post = models.CharField(_("post"), max_length=20, choices=CommitteePost.choices, default=CommitteePost.MEMBER)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("committee__village",)

    class Meta:
        ordering = ["committee", "id"]
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "member"],
                name="%(app_label)s_%(class)s_unique_member",
                violation_error_message=_("This member already has a seat on the committee."),
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(post=CommitteePost.SECRETARY),
                name="%(app_label)s_%(class)s_one_secretary",
                violation_error_message=_("A committee has one secretary."),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_post_display()}"

    def get_absolute_url(self):
        return self.committee.get_absolute_url()


class PartyGroupQuerySet(ScopedQuerySet):
    def active(self, day: datetime.date | None = None):
        """Groups formed on or before `day` (default today) and not dissolved before it."""
        day = day or timezone.localdate()
        return self.filter(Q(formed_on__lte=day), Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=day))


class PartyGroup(ChangeTrackedModel):
    """A party group (党小组) of a village branch: a leader and its members."""

    village = models.ForeignKey(
        Organization,
        verbose_name=_("village branch"),
        on_delete=models.PROTECT,
        related_name="party_groups",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    name = models.CharField(_("name of the group"), max_length=60)
    leader = models.ForeignKey(
        PartyMember, verbose_name=_("group leader"), on_delete=models.PROTECT, related_name="groups_led"
    )
    members = models.ManyToManyField(
        PartyMember,
        verbose_name=_("group members"),
        through="PartyGroupMembership",
        related_name="party_groups",
    )
    formed_on = models.DateField(_("formed on"), default=timezone.localdate)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    objects = PartyGroupQuerySet.as_manager()
    scope_paths = ("village",)

    class Meta:
        ordering = ["village__tree_id", "village__lft", "name", "id"]
        verbose_name = _("party group")
        verbose_name_plural = _("party groups")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("This village already has a party group of that name."),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=models.F("formed_on")),
                name="%(app_label)s_%(class)s_date_range",
                violation_error_message=_("A group cannot be dissolved before it is formed."),
            ),
        ]

    def __str__(self):
        return f"{self.village.name} · {self.name}"

    def get_absolute_url(self):
        return record_url("branches:organization_detail", self.village_id) + "#party-groups"


class PartyGroupMembership(models.Model):
    """A member of a party group."""

    group = models.ForeignKey(
        PartyGroup, verbose_name=_("party group"), on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(
        PartyMember, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="group_memberships"
    )

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("group__village",)

    class Meta:
        ordering = ["group", "member__name", "id"]
        verbose_name = _("party group member")
        verbose_name_plural = _("party group members")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                name="%(app_label)s_%(class)s_unique_member",
                violation_error_message=_("This member is already in the group."),
            ),
        ]

    def __str__(self):
        return str(self.member)

    def get_absolute_url(self):
        return self.group.get_absolute_url()
