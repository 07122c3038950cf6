"""Writes of the tailored assessment plans: the general branch opens a village's plan for a year, writes its weak
points and indicators and submits it; the town approves or returns it; the general branch records the actual
values of an approved plan. Each checks the permission and the plan's state under a lock, validates with translated
errors at the field, and saves in one transaction with its audit event."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from branches.actions.common import require, require_state

from ..choices import Direction, PlanStatus
from ..models import AssessmentPlan, PlanIndicator
from ..models.plans import WEIGHT_TOTAL
from ..permissions import can_decide_plan, can_record_actuals, can_set_plan, plan_villages

__all__ = [
    "MAX_INDICATORS",
    "IndicatorLine",
    "plan_decide",
    "plan_open",
    "plan_record_actuals",
    "plan_set_indicators",
    "plan_submit",
    "plan_update",
    "plan_years",
]

MAX_INDICATORS = 20
MAX_TEXT = 2000


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    target: Decimal
    weight: Decimal
    unit: str = ""
    direction: str = Direction.AT_LEAST


def plan_years(today=None) -> list[int]:
    """The years a plan may be opened for: this year and the next."""
    year = (today or timezone.localdate()).year
    return [year, year + 1]


def _weak_points(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"weak_points": _("Describe the village's weak points.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"weak_points": _("At most %(n)d characters.") % {"n": MAX_TEXT}})
    return text


def _locked(plan: AssessmentPlan) -> AssessmentPlan:
    return AssessmentPlan.objects.select_for_update().get(pk=plan.pk)


def plan_open(*, actor, village, year: int, weak_points: str) -> AssessmentPlan:
    """A draft plan of `village` for `year`, opened by an officer of its general branch."""
    require(plan_villages(actor).exists())
    errors = {}
    if village is None or not plan_villages(actor).filter(pk=village.pk).exists():
        errors["village"] = _("Choose a village of your general branch.")
    if year not in plan_years():
        errors["year"] = _("A plan is opened for this year or the next.")
    try:
        weak_points = _weak_points(weak_points)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors and AssessmentPlan.objects.filter(village=village, year=year).exists():
        errors["year"] = _("%(village)s already has a plan for %(year)d.") % {"village": village.name, "year": year}
    if errors:
        raise ValidationError(errors)
    plan = AssessmentPlan(village=village, year=year, weak_points=weak_points)
    plan.stamp(actor)
    try:
        with transaction.atomic():
            plan.save()
            audit.record("assessment_plan_open", actor=actor, obj=plan, detail={"year": year})
    except IntegrityError:  # opened at the same moment by someone else
        raise ValidationError(
            {"year": _("%(village)s already has a plan for %(year)d.") % {"village": village.name, "year": year}}
        ) from None
    return plan


@audit.refusable("plan_update", obj="plan")
def plan_update(*, actor, plan: AssessmentPlan, weak_points: str) -> AssessmentPlan:
    require(can_set_plan(actor, plan))
    weak_points = _weak_points(weak_points)
    with transaction.atomic():
        locked = _locked(plan)
        require_state(locked, (PlanStatus.DRAFT, PlanStatus.RETURNED))
        locked.weak_points = weak_points
        locked.stamp(actor)
        locked.save()
        audit.record("assessment_plan_update", actor=actor, obj=locked)
    return locked


def _check_lines(lines: list[IndicatorLine]) -> None:
    errors = []
    if not lines:
        errors.append(_("Give the plan at least one indicator."))
    if len(lines) > MAX_INDICATORS:
        errors.append(_("A plan has at most %(n)d indicators.") % {"n": MAX_INDICATORS})
    names = [line.name.strip() for line in lines]
    for name in sorted({n for n in names if names.count(n) > 1}):
        errors.append(_("The indicator “%(name)s” is listed twice.") % {"name": name})
    for line in lines:
        if not line.name.strip():
            errors.append(_("Every indicator needs a name."))
        if line.direction not in Direction.values:
            errors.append(_("Choose how “%(name)s” is met.") % {"name": line.name})
        if line.weight is None or line.weight <= 0 or line.weight > WEIGHT_TOTAL:
            errors.append(_("The weight of “%(name)s” must be above 0 and at most 100.") % {"name": line.name})
        if line.target is None or line.target < 0 or (line.direction == Direction.AT_LEAST and line.target == 0):
            errors.append(_("The target of “%(name)s” must be above 0.") % {"name": line.name})
    if errors:
        raise ValidationError(errors)


@audit.refusable("plan_set_indicators", obj="plan")
def plan_set_indicators(*, actor, plan: AssessmentPlan, lines: list[IndicatorLine]) -> AssessmentPlan:
    """Replace the plan's indicators with `lines`, in order (the weights need not add up to 100 until it is
    submitted)."""
    require(can_set_plan(actor, plan))
    _check_lines(lines)
    rows = [
        PlanIndicator(
            plan=plan,
            order=n,
            name=line.name.strip(),
            unit=(line.unit or "").strip(),
            direction=line.direction,
            target=line.target,
            weight=line.weight,
        )
        for n, line in enumerate(lines, start=1)
    ]
    for row in rows:
        row.full_clean(exclude=["plan"])
    with transaction.atomic():
        locked = _locked(plan)
        require_state(locked, (PlanStatus.DRAFT, PlanStatus.RETURNED))
        locked.indicators.all().delete()
        PlanIndicator.objects.bulk_create(rows)
        locked.stamp(actor)
        locked.save()
        audit.record("assessment_plan_indicators", actor=actor, obj=locked, detail={"indicators": len(rows)})
    return locked


@audit.refusable("plan_submit", obj="plan")
def plan_submit(*, actor, plan: AssessmentPlan) -> AssessmentPlan:
    """The general branch submits the plan to the town: it needs indicators whose weights add up to 100."""
    require(can_set_plan(actor, plan))
    with transaction.atomic():
        locked = _locked(plan)
        require_state(locked, (PlanStatus.DRAFT, PlanStatus.RETURNED))
        weights = [i.weight for i in locked.indicators.all()]
        if not weights:
            raise ValidationError(_("Give the plan at least one indicator before submitting it."), code="incomplete")
        if sum(weights) != WEIGHT_TOTAL:
            raise ValidationError(
                _("The weights add up to %(total)s; they must add up to 100.") % {"total": f"{sum(weights):g}"},
                code="weights",
            )
        locked.status, locked.submitted_on = PlanStatus.SUBMITTED, timezone.localdate()
        locked.stamp(actor)
        locked.save()
        audit.record("assessment_plan_submit", actor=actor, obj=locked)
    return locked


@audit.refusable("plan_decide", obj="plan")
def plan_decide(*, actor, plan: AssessmentPlan, approve: bool, reason: str = "") -> AssessmentPlan:
    """The town approves the submitted plan, or returns it to the general branch with a reason."""
    require(can_decide_plan(actor, plan))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the plan is returned.")})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": MAX_TEXT}})
    with transaction.atomic():
        locked = _locked(plan)
        require_state(locked, (PlanStatus.SUBMITTED,))
        locked.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
        locked.decided_by, locked.decided_on = actor, timezone.localdate()
        locked.return_reason = "" if approve else reason
        locked.stamp(actor)
        locked.save()
        audit.record(f"assessment_plan_{'approve' if approve else 'return'}", actor=actor, obj=locked)
    return locked


@audit.refusable("plan_record_actuals", obj="plan")
def plan_record_actuals(*, actor, plan: AssessmentPlan, actuals: dict[int, Decimal | None]) -> AssessmentPlan:
    """The actual values of an approved plan's indicators ({indicator id: value, None where not yet known})."""
    require(can_record_actuals(actor, plan))
    errors = [_("An actual value cannot be below 0.") for value in actuals.values() if value is not None and value < 0]
    if errors:
        raise ValidationError(errors[:1])
    with transaction.atomic():
        locked = _locked(plan)
        require_state(locked, (PlanStatus.APPROVED,))
        indicators = list(locked.indicators.all())
        if set(actuals) - {i.pk for i in indicators}:
            raise ValidationError(_("These indicators are not the plan's."), code="indicators")
        for indicator in indicators:
            if indicator.pk in actuals:
                indicator.actual = actuals[indicator.pk]
                indicator.full_clean(exclude=["plan"])
        PlanIndicator.objects.bulk_update(indicators, ["actual"])
        locked.stamp(actor)
        locked.save()
        audit.record("assessment_plan_actuals", actor=actor, obj=locked, detail={"values": len(actuals)})
    return locked
