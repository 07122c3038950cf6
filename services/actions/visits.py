"""Writes of household visits: saving a household of the register, importing a register from Excel, recording a
visit, closing its follow-up. Each checks the permission (an officer over the village), validates with translated
errors at the field, and saves in one transaction with its audit event."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from branches.actions.common import require
from branches.choices import OrgKind

from ..household_import import ImportCheck, check_rows
from ..models import Household, HouseholdVisit
from ..permissions import can_keep_visits, may_keep_visits
from ..selectors.visits import visitors

__all__ = ["household_import", "household_save", "visit_close", "visit_record"]

CHUNK = 500


def household_save(
    *,
    actor,
    household: Household | None,
    village,
    number: str,
    head_name: str,
    address: str,
    size: int | None,
    phone: str = "",
    active: bool = True,
    note: str = "",
) -> Household:
    """Add a household to a village's register (`household` None) or change one. An empty phone on a change keeps
    the stored one (forms never send it back to the browser)."""
    new = household is None
    require(can_keep_visits(actor, village) if village is not None else may_keep_visits(actor))
    if not new:
        require(can_keep_visits(actor, household.village))
    errors = {}
    if village is None or village.kind != OrgKind.VILLAGE:
        errors["village"] = _("Choose a village whose register you keep.")
    number, head_name, address = (number or "").strip(), (head_name or "").strip(), (address or "").strip()
    phone, note = (phone or "").strip(), (note or "").strip()
    if not number:
        errors["number"] = _("Enter the household number.")
    elif village is not None:
        taken = Household.objects.filter(village=village, number=number)
        if not new:
            taken = taken.exclude(pk=household.pk)
        if taken.exists():
            errors["number"] = _("This village already has a household with this number.")
    if errors:
        raise ValidationError(errors)
    target = Household() if new else household
    target.village, target.number, target.head_name, target.address = village, number, head_name, address
    target.size, target.active, target.note = size, active, note
    if phone or new:
        target.phone = phone
    target.full_clean(exclude=["village"], validate_constraints=False)
    try:
        with transaction.atomic():
            target.stamp(actor)
            target.save()
            audit.record("household_add" if new else "household_change", actor=actor, obj=target)
    except IntegrityError as exc:  # the same number saved at the same moment
        raise ValidationError({"number": _("This village already has a household with this number.")}) from exc
    return target


def household_import(*, actor, rows: list[dict]) -> ImportCheck:
    """Add the households of `rows` (from `household_import.read_rows`) in one transaction, or nothing while any
    row is wrong (ValidationError carrying the check as `.check`). Rows whose number is already on the village's
    register are skipped, so a second import of the same file adds none."""
    require(may_keep_visits(actor))
    check = check_rows(actor, rows)
    if check.errors:
        refused = ValidationError(
            _("Nothing was imported: %(n)d rows have errors.") % {"n": len({e.row for e in check.errors})},
            code="import_errors",
        )
        refused.check = check
        raise refused
    try:
        with transaction.atomic():
            for household in check.new:
                household.stamp(actor)
            Household.objects.bulk_create(check.new, batch_size=CHUNK)
            audit.record(
                "household_import",
                actor=actor,
                detail={"rows": check.read, "created": len(check.new), "skipped": len(check.skipped)},
            )
    except IntegrityError as exc:  # someone added one of these households meanwhile
        raise ValidationError(_("The register changed while importing; check the file again."), code="stale") from exc
    return check


def visit_record(
    *,
    actor,
    household: Household,
    date: datetime.date | None,
    leader,
    cadres=(),
    topics=(),
    raised: str,
    follow_up: str = "",
    follow_up_owner=None,
    follow_up_due: datetime.date | None = None,
) -> HouseholdVisit:
    """Record a visit to a household of a village the actor keeps."""
    require(can_keep_visits(actor, household.village))
    raised, follow_up = (raised or "").strip(), (follow_up or "").strip()
    cadres, topics = list(cadres or ()), list(topics or ())
    people = {u.pk for u in visitors(household.village)}
    errors = {}
    if date is None:
        errors["date"] = _("Enter the date of the visit.")
    elif date > timezone.localdate():
        errors["date"] = _("A visit cannot be recorded before it is made.")
    if leader is None or leader.pk not in people:
        errors["leader"] = _("Choose who led the visit among the officers over this village.")
    if any(u.pk not in people for u in cadres):
        errors["cadres"] = _("Choose the cadres among the officers over this village.")
    if not topics:
        errors["topics"] = _("Choose at least one topic.")
    if not raised:
        errors["raised"] = _("Say what the household raised.")
    if follow_up:
        if follow_up_owner is None:
            errors["follow_up_owner"] = _("A follow-up needs an owner.")
        elif follow_up_owner.pk not in people:
            errors["follow_up_owner"] = _("Choose the owner among the officers over this village.")
        if follow_up_due is None:
            errors["follow_up_due"] = _("A follow-up needs a due date.")
        elif date is not None and follow_up_due < date:
            errors["follow_up_due"] = _("The follow-up cannot be due before the visit.")
    elif follow_up_owner is not None or follow_up_due is not None:
        errors["follow_up"] = _("Describe the follow-up, or leave its owner and due date empty.")
    if errors:
        raise ValidationError(errors)
    visit = HouseholdVisit(
        household=household,
        date=date,
        leader=leader,
        raised=raised,
        follow_up=follow_up,
        follow_up_owner=follow_up_owner if follow_up else None,
        follow_up_due=follow_up_due if follow_up else None,
    )
    visit.full_clean(exclude=["household", "leader", "follow_up_owner"])
    with transaction.atomic():
        visit.stamp(actor)
        visit.save()
        visit.cadres.set(cadres)
        visit.topics.set(topics)
        audit.record(
            "household_visit_add",
            actor=actor,
            obj=visit,
            detail={"household": household.pk, "follow_up": bool(follow_up)},
        )
    return visit


@audit.refusable("visit_close", obj="visit")
def visit_close(*, actor, visit: HouseholdVisit, closed_on: datetime.date | None, note: str) -> HouseholdVisit:
    """The owner of a follow-up, or an officer over the village, closes it: when, and what was done."""
    require(can_keep_visits(actor, visit.household.village))
    if not visit.is_open_follow_up:
        raise ValidationError(_("This visit has no open follow-up."), code="state")
    note = (note or "").strip()
    errors = {}
    if closed_on is None:
        errors["closed_on"] = _("Enter the date the follow-up was closed.")
    elif closed_on > timezone.localdate():
        errors["closed_on"] = _("The closing date cannot be in the future.")
    elif closed_on < visit.date:
        errors["closed_on"] = _("The follow-up cannot be closed before the visit.")
    if not note:
        errors["note"] = _("Say how the follow-up was closed.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = HouseholdVisit.objects.select_for_update().get(pk=visit.pk)
        if not locked.is_open_follow_up:
            raise ValidationError(_("This visit has no open follow-up."), code="state")
        locked.closed_on, locked.closing_note = closed_on, note
        locked.full_clean(exclude=["household", "leader", "follow_up_owner"])
        locked.stamp(actor)
        locked.save()
        audit.record("household_visit_close", actor=actor, obj=locked, detail={"closed_on": str(closed_on)})
    return locked
