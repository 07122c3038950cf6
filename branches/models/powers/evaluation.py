"""干部考核评议: a round of evaluation of one village cadre for a year or a half-year (domain.md §4): scores per
dimension (德 能 勤 绩 廉) weighted by an `EvaluationScheme`, the democratic vote's tallies, a total and grade computed by
`evaluate()` (never typed), the feedback and a rectification list.

The total (`evaluate`):

    dimension score = Σ score(d) × weight(d) / 100                  (the five weights sum to 100)
    vote score      = Σ votes(g) × points(g) / Σ votes(g)           (e.g. 优秀 100, 称职 80, 基本称职 60, 不称职 0)
    total           = dimension score × (100 − vote weight) / 100 + vote score × vote weight / 100

rounded half up to two decimals; the grade is the first threshold the total reaches (优秀 ≥ 90, 称职 ≥ 75,
基本称职 ≥ 60, else 不称职). A case keeps a copy of the scheme's numbers it was scored with (`Weighting`), so a later
edit of the scheme leaves past totals as they were.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anding.history import Tracked
from anding.scoping import ScopedQuerySet

from ...choices import PowerCode
from ..members import PartyMember
from .base import CASE_SCOPE_ROLES, PowerCase

__all__ = [
    "DIMENSIONS",
    "CadreEvaluation",
    "EvaluationResult",
    "EvaluationScheme",
    "Grade",
    "RectificationItem",
    "Weighting",
    "evaluate",
]

# (code, label): the five dimensions, in the order of the source.
DIMENSIONS = [
    ("de", _("德 (integrity and politics)")),
    ("neng", _("能 (ability)")),
    ("qin", _("勤 (diligence)")),
    ("ji", _("绩 (results)")),
    ("lian", _("廉 (probity)")),
]
VOTES = ["excellent", "competent", "basic", "incompetent"]  # the grades, best first

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀 (excellent)")
    COMPETENT = "competent", _("称职 (competent)")
    BASIC = "basic", _("基本称职 (basically competent)")
    INCOMPETENT = "incompetent", _("不称职 (incompetent)")


def _weight(label, default):
    return models.PositiveSmallIntegerField(label, default=default, validators=PERCENT)


class Weighting(models.Model):
    """The numbers an evaluation is scored with: the weight of each dimension (summing to 100), the weight of the
    democratic vote in the total, the points of a vote for each grade and the grade thresholds."""

    weight_de = _weight(_("weight of 德"), 20)
    weight_neng = _weight(_("weight of 能"), 20)
    weight_qin = _weight(_("weight of 勤"), 20)
    weight_ji = _weight(_("weight of 绩"), 25)
    weight_lian = _weight(_("weight of 廉"), 15)
    vote_weight = _weight(_("weight of the democratic vote"), 30)
    points_excellent = _weight(_("points of a vote for 优秀"), 100)
    points_competent = _weight(_("points of a vote for 称职"), 80)
    points_basic = _weight(_("points of a vote for 基本称职"), 60)
    points_incompetent = _weight(_("points of a vote for 不称职"), 0)
    threshold_excellent = _weight(_("优秀 from"), 90)
    threshold_competent = _weight(_("称职 from"), 75)
    threshold_basic = _weight(_("基本称职 from"), 60)

    class Meta:
        abstract = True

    @staticmethod
    def weighting_fields() -> list[str]:
        return WEIGHTING_FIELDS

    @property
    def score_share(self) -> int:
        """The share of the dimension scores in the total (the rest is the democratic vote's)."""
        return 100 - (self.vote_weight or 0)

    def weights(self) -> dict[str, int]:
        return {code: getattr(self, f"weight_{code}") for code, _label in DIMENSIONS}

    def clean(self):
        super().clean()
        values = [getattr(self, name) for name in self.weighting_fields()]
        if any(v is None for v in values):
            return  # the field errors say it
        if sum(self.weights().values()) != 100:
            raise ValidationError(
                {
                    "weight_de": _("The weights of the five dimensions must add up to 100 (they add up to %(sum)s).")
                    % {"sum": sum(self.weights().values())}
                }
            )
        if not self.threshold_excellent > self.threshold_competent > self.threshold_basic:
            raise ValidationError(
                {"threshold_competent": _("The thresholds must go down: 优秀 above 称职 above 基本称职.")}
            )


WEIGHTING_FIELDS = [
    *(f"weight_{code}" for code, _label in DIMENSIONS),
    "vote_weight",
    *(f"points_{g}" for g in VOTES),
    "threshold_excellent",
    "threshold_competent",
    "threshold_basic",
]


class EvaluationScheme(Weighting):
    """A way of scoring cadre evaluations (reference data, edited in the admin). The default scheme is offered when a
    round is scored."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default"), default=False, help_text=_("Offered first when scores are entered."))
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="branches_one_default_scheme"
            )
        ]

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class EvaluationResult:
    dimension_score: Decimal | None
    vote_score: Decimal | None
    total: Decimal | None
    grade: str


TWO = Decimal("0.01")


def evaluate(weighting: Weighting, scores: dict, votes: dict) -> EvaluationResult:
    """The total and grade of an evaluation from its scores (by dimension code, 0–100), its vote tallies (by grade)
    and the weighting it is scored with: the one place they are computed (formula in the module's docstring).
    While a score is missing, or the vote counts in the total but nobody voted, there is no total and no grade."""
    weights = weighting.weights()
    if any(scores.get(code) is None for code in weights):
        dimension = None
    else:
        dimension = sum(Decimal(scores[code]) * weights[code] for code in weights) / 100
    cast = sum(int(votes.get(g) or 0) for g in VOTES)
    vote = None
    if cast:
        vote = Decimal(sum(int(votes.get(g) or 0) * getattr(weighting, f"points_{g}") for g in VOTES)) / cast
    vote_weight = weighting.vote_weight
    if dimension is None or (vote is None and vote_weight):
        return EvaluationResult(_round(dimension), _round(vote), None, "")
    total = (dimension * (100 - vote_weight) + (vote or 0) * vote_weight) / 100
    total = _round(total)
    if total >= weighting.threshold_excellent:
        grade = Grade.EXCELLENT
    elif total >= weighting.threshold_competent:
        grade = Grade.COMPETENT
    elif total >= weighting.threshold_basic:
        grade = Grade.BASIC
    else:
        grade = Grade.INCOMPETENT
    return EvaluationResult(_round(dimension), _round(vote), total, grade.value)


def _round(value):
    return None if value is None else Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def _score(label):
    return models.DecimalField(label, max_digits=4, decimal_places=1, null=True, blank=True, validators=PERCENT)


def _votes(label):
    return models.PositiveIntegerField(label, default=0, validators=[MaxValueValidator(100000)])


class CadreEvaluation(Weighting, PowerCase):
    """One round of evaluation of one cadre of a village: the cadre (a member of the village, or the name of a cadre
    who is not a member) and the post held, the period, the scores and vote tallies with the weighting they were
    scored with, the total and grade (from `evaluate`), the feedback and the rectification items."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCORED = "scored", _("scored")
        FINAL = "final", _("final, rectifying")
        CLOSED = "closed", _("closed")

    class Half(models.TextChoices):
        YEAR = "year", _("whole year")
        FIRST = "h1", _("first half")
        SECOND = "h2", _("second half")

    power = PowerCode.CADRE_EVALUATION
    village_sees = Q(status__in=["final", "closed"])

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    half = models.CharField(_("period"), max_length=4, choices=Half.choices, default=Half.YEAR)
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("cadre (party member)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A member of the village; or leave empty and give the name of a cadre who is not a member."),
    )
    cadre_name = models.CharField(
        _("cadre (not a member)"), max_length=30, blank=True, help_text=_("Only for a cadre who is not a party member.")
    )
    post = models.CharField(_("post held"), max_length=40, help_text=_("E.g. 支部书记, 村委会主任, 组织委员."))
    scheme = models.ForeignKey(
        EvaluationScheme,
        verbose_name=_("scheme scored with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    score_de = _score(_("德"))
    score_neng = _score(_("能"))
    score_qin = _score(_("勤"))
    score_ji = _score(_("绩"))
    score_lian = _score(_("廉"))
    votes_excellent = _votes(_("votes for 优秀"))
    votes_competent = _votes(_("votes for 称职"))
    votes_basic = _votes(_("votes for 基本称职"))
    votes_incompetent = _votes(_("votes for 不称职"))
    dimension_score = models.DecimalField(
        _("dimension score"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    vote_score = models.DecimalField(
        _("vote score"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True, editable=False)
    feedback = models.TextField(_("feedback"), max_length=5000, blank=True, editable=False)

    class Meta(PowerCase.Meta):
        verbose_name = _("cadre evaluation")
        verbose_name_plural = _("cadre evaluations")

    def __str__(self):
        return self.title

    @property
    def cadre(self) -> str:
        return self.member.name if self.member_id else self.cadre_name

    @property
    def period_label(self) -> str:
        return f"{self.year} {self.get_half_display()}"

    def scores(self) -> dict:
        return {code: getattr(self, f"score_{code}") for code, _label in DIMENSIONS}

    def votes(self) -> dict:
        return {g: getattr(self, f"votes_{g}") for g in VOTES}

    def votes_cast(self) -> int:
        return sum(self.votes().values())

    def result(self) -> EvaluationResult:
        return evaluate(self, self.scores(), self.votes())

    def dimension_rows(self) -> list[dict]:
        """The scores table: each dimension with its weight, score and weighted points."""
        rows = []
        for code, label in DIMENSIONS:
            score, weight = getattr(self, f"score_{code}"), getattr(self, f"weight_{code}")
            weighted = None if score is None else _round(Decimal(score) * weight / 100)
            rows.append({"code": code, "label": label, "weight": weight, "score": score, "weighted": weighted})
        return rows

    def vote_rows(self) -> list[dict]:
        return [
            {
                "grade": g,
                "label": Grade(g).label,
                "votes": getattr(self, f"votes_{g}"),
                "points": getattr(self, f"points_{g}"),
            }
            for g in VOTES
        ]

    def clean(self):
        super().clean()
        self.cadre_name = (self.cadre_name or "").strip()
        self.post = (self.post or "").strip()
        if self.member_id and self.cadre_name:
            raise ValidationError({"cadre_name": _("Choose a member or give a name, not both.")})
        if not self.member_id and not self.cadre_name:
            raise ValidationError(
                {"member": _("Choose the cadre among the members, or give the name of a non-member.")}
            )
        if self.member_id and self.village_id and self.member.branch_id != self.village_id:
            raise ValidationError({"member": _("The cadre must be a member of the village.")})


class RectificationItem(Tracked, models.Model):
    """One item of an evaluation's rectification list: what to put right, by when, and when it was done."""

    evaluation = models.ForeignKey(
        CadreEvaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="items"
    )
    village = models.ForeignKey(
        "branches.Organization", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("what to put right"), max_length=200)
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("how it was done"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("village",)
    scope_roles = CASE_SCOPE_ROLES

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")

    def __str__(self):
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
