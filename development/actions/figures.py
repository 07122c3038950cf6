"""Writes of the villages' yearly figures: entered (or corrected) by the village's officers, its general branch or
the town, with translated errors at the field, in one transaction with its audit event."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anding import audit
from branches.actions.common import require

from ..models import VillageFigures
from ..permissions import figures_villages

__all__ = ["figures_save"]


def _already(village, year):
    return _("%(village)s already has figures for %(year)d.") % {"village": village.name, "year": year}


def figures_save(
    *,
    actor,
    village,
    year: int,
    collective_income: Decimal,
    income_per_capita: Decimal,
    figures: VillageFigures | None = None,
) -> VillageFigures:
    """New figures of `village` for `year`, or `figures` corrected."""
    require(figures_villages(actor).exists())
    errors = {}
    if village is None or not figures_villages(actor).filter(pk=village.pk).exists():
        errors["village"] = _("Choose a village in your charge.")
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    if collective_income is None or collective_income < 0:
        errors["collective_income"] = _("The collective income cannot be below 0.")
    if income_per_capita is None or income_per_capita < 0:
        errors["income_per_capita"] = _("The income per capita cannot be below 0.")
    if not errors:
        others = VillageFigures.objects.filter(village=village, year=year)
        if figures is not None:
            others = others.exclude(pk=figures.pk)
        if others.exists():
            errors["year"] = _already(village, year)
    if errors:
        raise ValidationError(errors)
    row = figures or VillageFigures()
    row.village, row.year = village, year
    row.collective_income, row.income_per_capita = collective_income, income_per_capita
    row.full_clean(exclude=["village"], validate_constraints=False)
    row.stamp(actor)
    try:
        with transaction.atomic():
            row.save()
            audit.record(
                "village_figures_save" if figures else "village_figures_add",
                actor=actor,
                obj=row,
                detail={"village": village.pk, "year": year},
            )
    except IntegrityError:  # entered at the same moment by someone else
        raise ValidationError({"year": _already(village, year)}) from None
    return row
