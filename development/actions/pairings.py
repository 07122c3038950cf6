"""Writes of the pairings: the officers of the lead village's general branch (or the town) set a pairing up, change
it, record its progress and correct a progress record. Each checks the permission, validates with translated errors
at the field, and saves in one transaction with its audit event."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from branches.actions.common import require
from branches.choices import OrgKind

from ..models import Pairing, PairingProgress
from ..permissions import can_change_pairing, can_change_record, pairing_villages

__all__ = ["MAX_TEXT", "pairing_save", "progress_add", "progress_correct"]

MAX_TEXT = 2000


def _check_pairing(actor, lead_village, helped_villages, industry, goals, start_date, end_date) -> dict:
    errors = {}
    if lead_village is None or not pairing_villages(actor).filter(pk=lead_village.pk).exists():
        errors["lead_village"] = _("Choose a village of your general branch to lead the pairing.")
    if not helped_villages:
        errors["helped_villages"] = _("Choose at least one village to help.")
    elif any(v.kind != OrgKind.VILLAGE for v in helped_villages):
        errors["helped_villages"] = _("Only villages can be helped.")
    elif lead_village is not None and any(v.pk == lead_village.pk for v in helped_villages):
        errors["helped_villages"] = _(
            "A village cannot pair with itself: leave %(village)s out of the villages helped."
        ) % {"village": lead_village.name}
    if not industry:
        errors["industry"] = _("Name the industry of the pairing.")
    elif len(industry) > 100:
        errors["industry"] = _("At most %(n)d characters.") % {"n": 100}
    if not goals:
        errors["goals"] = _("Describe the pairing's goals.")
    elif len(goals) > MAX_TEXT:
        errors["goals"] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
    if start_date is None:
        errors["start_date"] = _("Enter the start date.")
    if end_date is None:
        errors["end_date"] = _("Enter the end date.")
    elif start_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    return errors


def pairing_save(
    *,
    actor,
    lead_village,
    helped_villages,
    industry: str,
    goals: str,
    start_date: datetime.date,
    end_date: datetime.date,
    pairing: Pairing | None = None,
) -> Pairing:
    """A new pairing, or `pairing` changed (its lead village must stay in the actor's charge)."""
    if pairing is None:
        require(pairing_villages(actor).exists())
    else:
        require(can_change_pairing(actor, pairing))
    helped_villages = list(helped_villages or [])
    industry, goals = (industry or "").strip(), (goals or "").strip()
    errors = _check_pairing(actor, lead_village, helped_villages, industry, goals, start_date, end_date)
    if errors:
        raise ValidationError(errors)
    row = pairing or Pairing()
    row.lead_village, row.industry, row.goals = lead_village, industry, goals
    row.start_date, row.end_date = start_date, end_date
    row.stamp(actor)
    with transaction.atomic():
        row.save()
        row.helped_villages.set(helped_villages)
        audit.record(
            "pairing_save" if pairing else "pairing_add",
            actor=actor,
            obj=row,
            detail={"lead": lead_village.pk, "helped": sorted(v.pk for v in helped_villages)},
        )
    return row


def progress_add(
    *,
    actor,
    pairing: Pairing,
    date: datetime.date,
    area_mu: Decimal,
    households: int,
    income_before: Decimal,
    income_after: Decimal,
    notes: str = "",
) -> PairingProgress:
    """Where the pairing stands on `date`."""
    require(can_change_pairing(actor, pairing))
    row = PairingProgress(pairing=pairing)
    return _progress_save(actor, row, date, area_mu, households, income_before, income_after, notes)


def progress_correct(
    *,
    actor,
    progress: PairingProgress,
    date: datetime.date,
    area_mu: Decimal,
    households: int,
    income_before: Decimal,
    income_after: Decimal,
    notes: str = "",
) -> PairingProgress:
    """A progress record corrected (a mistyped figure): by those who may record it, with the same checks. The
    ledger reads the records as they are, so the correction counts from the next load."""
    require(can_change_record(actor, progress))
    return _progress_save(actor, progress, date, area_mu, households, income_before, income_after, notes)


def _progress_save(actor, row, date, area_mu, households, income_before, income_after, notes) -> PairingProgress:
    pairing = row.pairing
    notes = (notes or "").strip()
    errors = {}
    if date is None:
        errors["date"] = _("Enter the date.")
    elif date > timezone.localdate():
        errors["date"] = _("Progress cannot be recorded ahead of its date.")
    elif date < pairing.start_date:
        errors["date"] = _("The pairing starts on %(date)s: progress cannot be earlier.") % {"date": pairing.start_date}
    for name, value, message in (
        ("area_mu", area_mu, _("The area cannot be below 0.")),
        ("households", households, _("The number of households cannot be below 0.")),
        ("income_before", income_before, _("An income cannot be below 0.")),
        ("income_after", income_after, _("An income cannot be below 0.")),
    ):
        if value is None:
            errors[name] = _("Enter a value.")
        elif value < 0:
            errors[name] = message
    if len(notes) > MAX_TEXT:
        errors["notes"] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
    if errors:
        raise ValidationError(errors)
    new = row.pk is None
    row.date, row.area_mu, row.households, row.notes = date, area_mu, households, notes
    row.income_before, row.income_after = income_before, income_after
    row.full_clean(exclude=["pairing"])
    row.stamp(actor)
    with transaction.atomic():
        row.save()
        audit.record(
            "pairing_progress_add" if new else "pairing_progress_save",
            actor=actor,
            obj=row,
            detail={"pairing": pairing.pk, "date": str(date)},
        )
    return row
