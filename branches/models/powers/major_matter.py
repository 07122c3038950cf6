"""重要事务初审: a village's major matter followed through the six steps of 四议两公开, with the general branch's
preliminary review (初审) between step 2 and step 3. Each step is a dated record (`MatterStep`); the votes of step 3
(党员大会) and step 4 (村民会议 / 村民代表会议) carry their counts, checked against the quorum and majority rules
(domain.md section 3) by the write layer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anding.history import Tracked
from anding.scoping import ScopedQuerySet

from ...choices import PowerCode
from .base import CASE_SCOPE_ROLES, PowerCase

__all__ = ["MajorMatter", "MatterStep"]


class MajorMatter(PowerCase):
    """A village's major matter: its kind, description and amount, the steps recorded so far and the general
    branch's review (the deputy's draft opinion, the reason of a return)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("registered")
        PROPOSED = "proposed", _("proposed by the branch (step 1)")
        REVIEWING = "reviewing", _("preliminary review")
        RETURNED = "returned", _("sent back to the village")
        APPROVED = "approved", _("review passed")
        DELIBERATED = "deliberated", _("passed by the members (step 3)")
        RESOLVED = "resolved", _("resolved by the villagers (step 4)")
        PUBLISHED = "published", _("resolution published (step 5)")
        CLOSED = "closed", _("results published, closed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Kind(models.TextChoices):
        LAND = "land", _("land contracting and transfer")
        ASSETS = "assets", _("collective assets")
        PROJECT = "project", _("collective-economy project")
        FUNDS = "funds", _("funds and borrowing")
        HOMESTEAD = "homestead", _("homesteads")
        COMPENSATION = "compensation", _("land-compensation distribution")
        PLAN = "plan", _("plans")
        OTHER = "other", _("other")

    power = PowerCode.MAJOR_MATTER_REVIEW
    village_sees = Q()  # the village's own matter

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    kind = models.CharField(_("kind of matter"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("the matter"), max_length=5000)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The money involved, if any."),
    )
    review_opinion = models.TextField(_("draft review opinion"), max_length=5000, blank=True, editable=False)
    return_reason = models.TextField(_("reason for sending it back"), max_length=5000, blank=True, editable=False)

    class Meta(PowerCase.Meta):
        verbose_name = _("major matter")
        verbose_name_plural = _("major matters")


class MatterStep(Tracked, models.Model):
    """One of the six steps of 四议两公开, as it was held: its date and, for the two votes, the counts."""

    class Number(models.IntegerChoices):
        PROPOSAL = 1, _("1. proposal by the village branch (村党组织提议)")
        CONSULTATION = 2, _("2. discussion by the two committees (两委会商议)")
        MEMBERS = 3, _("3. deliberation by the party members' meeting (党员大会审议)")
        VILLAGERS = 4, _("4. resolution by the villagers (村民会议或村民代表会议决议)")
        RESOLUTION_PUBLIC = 5, _("5. publication of the resolution (决议公开)")
        RESULTS_PUBLIC = 6, _("6. publication of the results (实施结果公开)")

    class Body(models.TextChoices):
        REPRESENTATIVES = "representatives", _("villagers' representatives meeting (村民代表会议)")
        VILLAGERS = "villagers", _("villagers' meeting, counted by adult villagers (村民会议)")
        HOUSEHOLDS = "households", _("villagers' meeting, counted by households (村民会议)")

    VOTES = (Number.MEMBERS, Number.VILLAGERS)
    PUBLICATIONS = (Number.RESOLUTION_PUBLIC, Number.RESULTS_PUBLIC)

    matter = models.ForeignKey(
        MajorMatter, verbose_name=_("major matter"), on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(_("step"), choices=Number.choices)
    held_on = models.DateField(_("date"))
    body = models.CharField(_("which meeting"), max_length=20, choices=Body.choices, blank=True)
    entitled = models.PositiveIntegerField(_("entitled to attend (应到)"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present (实到)"), null=True, blank=True)
    in_favour = models.PositiveIntegerField(_("for (赞成)"), null=True, blank=True)
    against = models.PositiveIntegerField(_("against (反对)"), null=True, blank=True)
    abstained = models.PositiveIntegerField(_("abstained (弃权)"), null=True, blank=True)
    published_how = models.CharField(_("how it was published"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("matter__village",)
    scope_roles = CASE_SCOPE_ROLES

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("step of a major matter")
        verbose_name_plural = _("steps of major matters")
        constraints = [models.UniqueConstraint(fields=["matter", "number"], name="branches_matterstep_once")]

    def __str__(self):
        return f"{self.get_number_display()} · {self.held_on}"

    @property
    def is_vote(self) -> bool:
        return self.number in self.VOTES
