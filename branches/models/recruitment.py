"""发展党员: a recruitment case per person through the 5 stages and 25 steps of the 2014 细则 (domain.md §2), a dated
record per step, and the timing rules as editable rows.

The steps are data in code (`STEPS`, in order, each with its stage); the rules (intervals between two steps, the
age at application) are rows that an administrator may correct, seeded by a data migration. The ID number is kept
as on the roster: encrypted, with a blind index, masked for display.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from anding.concurrency import VersionedModel
from anding.crypto import EncryptedCharField, blind_index, mask
from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet

from ..choices import Gender, OrgKind
from ..validators import validate_id_number
from .members import PartyMember
from .organization import Organization

__all__ = [
    "BRANCH_ASSEMBLY_VOTES",
    "STEPS",
    "VOTE_STEPS",
    "RecruitmentCase",
    "RecruitmentRule",
    "RecruitmentStep",
    "Stage",
    "shift_date",
    "step_label",
]


class Stage(models.TextChoices):
    """Where a person stands: the four stages before full membership, and the two ends short of it."""

    APPLICANT = "applicant", _("applicant")
    ACTIVIST = "activist", _("activist")
    CANDIDATE = "candidate", _("candidate for membership")
    PROBATIONARY = "probationary", _("probationary member")
    FULL = "full", _("full member")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CANCELLED = "cancelled", _("cancelled")


class Phase(models.IntegerChoices):
    """The five stages (阶段) of the procedure, as the 细则's chapters."""

    APPLICATION = 1, _("1. application")
    ACTIVIST = 2, _("2. choosing and training activists")
    CANDIDATE = 3, _("3. choosing and examining candidates")
    ADMISSION = 4, _("4. admitting probationary members")
    PROBATION = 5, _("5. probation and full membership")


# The 25 steps, in order: (number, phase, label).
STEPS = [
    (1, Phase.APPLICATION, _("application for membership submitted")),
    (2, Phase.APPLICATION, _("talk with the applicant")),
    (3, Phase.ACTIVIST, _("activist recommended and chosen")),
    (4, Phase.ACTIVIST, _("activist filed with the party committee above")),
    (5, Phase.ACTIVIST, _("training liaisons appointed")),
    (6, Phase.ACTIVIST, _("training and examination of the activist")),
    (7, Phase.CANDIDATE, _("candidate for membership chosen")),
    (8, Phase.CANDIDATE, _("candidate filed with the party committee above")),
    (9, Phase.CANDIDATE, _("sponsors chosen")),
    (10, Phase.CANDIDATE, _("political review")),
    (11, Phase.CANDIDATE, _("concentrated training")),
    (12, Phase.ADMISSION, _("examination by the branch committee")),
    (13, Phase.ADMISSION, _("pre-review by the party committee above")),
    (14, Phase.ADMISSION, _("application form (入党志愿书) filled in")),
    (15, Phase.ADMISSION, _("discussion and vote of the branch assembly")),
    (16, Phase.ADMISSION, _("talk by the party committee above")),
    (17, Phase.ADMISSION, _("approval by the party committee above")),
    (18, Phase.ADMISSION, _("filed with the organization department above")),
    (19, Phase.PROBATION, _("placed in the branch and a party group")),
    (20, Phase.PROBATION, _("admission oath")),
    (21, Phase.PROBATION, _("continued education and examination")),
    (22, Phase.PROBATION, _("application for full membership")),
    (23, Phase.PROBATION, _("discussion and vote of the branch assembly on full membership")),
    (24, Phase.PROBATION, _("approval of full membership by the party committee above")),
    (25, Phase.PROBATION, _("records filed")),
]
STEP_NUMBERS = [number for number, _phase, _label in STEPS]
STEP_CHOICES = [(number, format_lazy("{}. {}", number, label)) for number, _phase, label in STEPS]
# Steps that are a vote: the branch committee's examination, and the branch assembly's two votes.
VOTE_STEPS = (12, 15, 23)
BRANCH_ASSEMBLY_VOTES = (15, 23)
# The stage a person reaches with a step (a probationary member once the committee above approves; domain.md §2).
STAGE_AFTER = {3: Stage.ACTIVIST, 7: Stage.CANDIDATE, 17: Stage.PROBATIONARY, 24: Stage.FULL}
OPEN_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL)


def step_label(number: int) -> str:
    return str(dict(STEP_CHOICES).get(number, number))


def phase_of(number: int) -> Phase:
    return next(phase for n, phase, _label in STEPS if n == number)


def shift_date(day: datetime.date, months: int = 0, days: int = 0) -> datetime.date:
    """`day` moved by whole months (the same day of the month, or the month's last) and then by days."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last)) + datetime.timedelta(days=days)


class RecruitmentCase(VersionedModel, ChangeTrackedModel):
    """One person's way from application to full membership in a village branch."""

    name = models.CharField(_("name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedCharField(_("ID number"), max_length=18, validators=[validate_id_number])
    id_number_digest = models.CharField(max_length=64, editable=False)
    village = models.ForeignKey(
        Organization,
        verbose_name=_("village branch"),
        on_delete=models.PROTECT,
        related_name="recruitment_cases",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT)
    last_step = models.PositiveSmallIntegerField(_("last step recorded"), default=0, editable=False)
    opened_on = models.DateField(_("applied on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True, editable=False)
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("roster entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("village",)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("recruitment case")
        verbose_name_plural = _("recruitment cases")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_digest"],
                condition=Q(closed_on__isnull=True),
                name="branches_recruitment_one_open_case",
                violation_error_message=_("This person already has an open recruitment case."),
            ),
            models.CheckConstraint(
                condition=Q(last_step__lte=25),
                name="branches_recruitment_last_step_range",
                violation_error_message=_("There are 25 steps."),
            ),
        ]
        indexes = [models.Index(fields=["village", "stage"], name="branches_recruit_village_stage")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("branches:recruitment_detail", self.pk)

    @property
    def id_number_masked(self) -> str:
        """Only the region code, as on the roster (the birth date is shown beside it)."""
        return mask(self.id_number, head=6, tail=0)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None and self.stage in OPEN_STAGES

    @property
    def next_step(self) -> int | None:
        return self.last_step + 1 if self.is_open and self.last_step < 25 else None

    @property
    def next_step_label(self) -> str:
        return step_label(self.next_step) if self.next_step else ""

    def sync_digest(self) -> None:
        self.id_number = (self.id_number or "").strip().upper()
        self.id_number_digest = blind_index(self.id_number)

    def save(self, *args, **kwargs):
        self.sync_digest()
        super().save(*args, **kwargs)


class RecruitmentStep(ChangeTrackedModel):
    """The record of one step of a case: when, who took part (liaisons, sponsors, the interviewer), the vote where
    the step is one, and a note."""

    case = models.ForeignKey(
        RecruitmentCase, verbose_name=_("recruitment case"), on_delete=models.PROTECT, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(_("step"), choices=STEP_CHOICES)
    done_on = models.DateField(_("date"))
    people = models.CharField(
        _("people involved"),
        max_length=200,
        blank=True,
        help_text=_("Training liaisons, sponsors, the interviewer: whoever the step names."),
    )
    expected = models.PositiveSmallIntegerField(_("expected (应到)"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("present (实到)"), null=True, blank=True)
    in_favour = models.PositiveSmallIntegerField(_("in favour (赞成)"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("case__village",)

    class Meta:
        ordering = ["case", "number"]
        verbose_name = _("recruitment step")
        verbose_name_plural = _("recruitment steps")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "number"],
                name="branches_recruitmentstep_once",
                violation_error_message=_("This step is already recorded."),
            ),
        ]

    def __str__(self):
        return step_label(self.number)

    @property
    def label(self) -> str:
        return dict(STEP_CHOICES)[self.number]

    @property
    def is_vote(self) -> bool:
        return self.number in VOTE_STEPS


class RecruitmentRule(models.Model):
    """A timing rule: step `to_step` at least `minimum` and/or at most `maximum` (in `unit`) after step `from_step`,
    or after the birth date when `from_step` is empty (the age at application)."""

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")

    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120)
    from_step = models.PositiveSmallIntegerField(
        _("from step"), choices=STEP_CHOICES, null=True, blank=True, help_text=_("Empty: from the birth date.")
    )
    to_step = models.PositiveSmallIntegerField(_("to step"), choices=STEP_CHOICES)
    minimum = models.PositiveSmallIntegerField(_("at least"), null=True, blank=True)
    maximum = models.PositiveSmallIntegerField(_("at most"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=6, choices=Unit.choices, default=Unit.MONTHS)
    active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["to_step", "from_step", "id"]
        verbose_name = _("recruitment timing rule")
        verbose_name_plural = _("recruitment timing rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__isnull=False) | Q(maximum__isnull=False),
                name="branches_recruitmentrule_has_bound",
                violation_error_message=_("Give at least a minimum or a maximum."),
            ),
            models.CheckConstraint(
                condition=Q(from_step__isnull=True) | Q(from_step__lt=models.F("to_step")),
                name="branches_recruitmentrule_order",
                violation_error_message=_("The rule's first step must come before its second."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    def clean(self):
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValidationError({"maximum": _("The maximum cannot be below the minimum.")})

    def after(self, day: datetime.date, amount: int) -> datetime.date:
        if self.unit == self.Unit.DAYS:
            return day + datetime.timedelta(days=amount)
        return shift_date(day, months=amount * (12 if self.unit == self.Unit.YEARS else 1))

    def window(self, start: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
        """The earliest and latest date of `to_step` when `from_step` (or birth) was on `start`."""
        earliest = self.after(start, self.minimum) if self.minimum is not None else None
        latest = self.after(start, self.maximum) if self.maximum is not None else None
        return earliest, latest
