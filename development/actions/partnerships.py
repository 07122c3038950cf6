"""Writes of the external partnerships: a partner organization, and an event held with it by a general branch.
Each checks the permission, validates with translated errors at the field, and saves in one transaction with its
audit event."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from branches.actions.common import require

from ..choices import EventKind, PartnerKind
from ..models import Partner, PartnerEvent
from ..permissions import branch_generals, can_change_event
from .common import check_counts, check_text

__all__ = ["event_add", "partner_add"]


def partner_add(*, actor, name: str, kind: str, contact_note: str = "") -> Partner:
    require(branch_generals(actor).exists())
    errors = {}
    name = check_text(errors, "name", name, 100, message=_("Enter the partner's name."))
    contact_note = check_text(errors, "contact_note", contact_note, 1000, required=False)
    if kind not in PartnerKind.values:
        errors["kind"] = _("Choose the kind of partner.")
    if "name" not in errors and Partner.objects.filter(name=name).exists():
        errors["name"] = _("%(name)s is already a partner.") % {"name": name}
    if errors:
        raise ValidationError(errors)
    partner = Partner(name=name, kind=kind, contact_note=contact_note)
    with transaction.atomic():
        partner.save()
        audit.record("partner_add", actor=actor, obj=partner)
    return partner


def event_add(
    *,
    actor,
    general_branch,
    partner: Partner,
    kind: str,
    date: datetime.date,
    title: str,
    people_employed: int = 0,
    person_times_trained: int = 0,
    contracts: int = 0,
    amount: Decimal = Decimal(0),
    note: str = "",
    event: PartnerEvent | None = None,
) -> PartnerEvent:
    """An event a general branch held with a partner, and what came of it; with `event`, that event corrected or
    completed (its outcomes are often known only later)."""
    if event is None:
        require(branch_generals(actor).exists())
    else:
        require(can_change_event(actor, event))
    errors = {}
    if general_branch is None or not branch_generals(actor).filter(pk=general_branch.pk).exists():
        errors["general_branch"] = _("Choose a general branch in your charge.")
    if partner is None:
        errors["partner"] = _("Choose the partner.")
    if kind not in EventKind.values:
        errors["kind"] = _("Choose the kind of event.")
    if date is None:
        errors["date"] = _("Enter the date.")
    elif date > timezone.localdate():
        errors["date"] = _("An event is recorded once it is held.")
    title = check_text(errors, "title", title, 200, message=_("Give the event a title."))
    note = check_text(errors, "note", note, 2000, required=False)
    check_counts(
        errors,
        people_employed=people_employed,
        person_times_trained=person_times_trained,
        contracts=contracts,
        amount=amount,
    )
    if errors:
        raise ValidationError(errors)
    row = event or PartnerEvent()
    row.general_branch, row.partner, row.kind, row.date, row.title = general_branch, partner, kind, date, title
    row.people_employed, row.person_times_trained = people_employed, person_times_trained
    row.contracts, row.amount, row.note = contracts, amount, note
    row.full_clean(exclude=["general_branch", "partner"])
    row.stamp(actor)
    with transaction.atomic():
        row.save()
        audit.record(
            "partner_event_save" if event else "partner_event_add",
            actor=actor,
            obj=row,
            detail={"partner": partner.pk, "kind": kind, "people_employed": people_employed},
        )
    return row
