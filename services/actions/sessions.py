"""Writes of the services app: opening a half-day, recording what a department handled, closing a follow-up.
Each checks the permission, validates with translated errors at the field, and saves in one transaction with its
audit event."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from branches.actions.common import require
from branches.choices import OrgKind
from branches.validators import validate_phone

from ..choices import Half, Outcome
from ..models import ServiceCentre, ServiceItem, ServiceRecord, ServiceSession
from ..permissions import can_close_follow_up, can_open_session, can_record, staff_department

__all__ = ["follow_up_close", "record_add", "session_open"]


def session_open(*, actor, centre: ServiceCentre, date: datetime.date, half: str) -> ServiceSession:
    """The half-day of `centre` on `date` (created if new). Department staff opening it are marked present."""
    require(can_open_session(actor))
    errors = {}
    if half not in Half.values:
        errors["half"] = _("Choose morning or afternoon.")
    if date is None:
        errors["date"] = _("Enter the date of the half-day.")
    elif date > timezone.localdate():
        errors["date"] = _("A half-day cannot be recorded before it is held.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = ServiceSession.objects.filter(centre=centre, date=date, half=half).first()
        created = session is None
        if created:
            session = ServiceSession(centre=centre, date=date, half=half)
            session.stamp(actor)
            try:
                with transaction.atomic():
                    session.save()
            except IntegrityError:  # opened at the same moment by someone else
                session = ServiceSession.objects.get(centre=centre, date=date, half=half)
                created = False
        _mark_present(session, actor)
        if created:
            audit.record("service_session_open", actor=actor, obj=session)
    return session


def _mark_present(session: ServiceSession, actor) -> None:
    department = staff_department(actor)
    if department is not None:
        session.departments.add(department)
        session.staff.add(actor)


def _served_villages(centre: ServiceCentre):
    from branches.models import Organization

    return Organization.objects.filter(kind=OrgKind.VILLAGE, parent__in=centre.general_branches.all())


def record_add(
    *,
    actor,
    session: ServiceSession,
    service_item: ServiceItem,
    villager_name: str,
    village,
    phone: str = "",
    request: str,
    outcome: str,
    due_on: datetime.date | None = None,
) -> ServiceRecord:
    """A department staff member records a service they handled on a half-day."""
    require(can_record(actor))
    department = staff_department(actor)
    villager_name, request, phone = (villager_name or "").strip(), (request or "").strip(), (phone or "").strip()
    errors = {}
    if service_item is None or service_item.department_id != department.pk:
        errors["service_item"] = _("Choose a service of your department (%(department)s).") % {
            "department": department.name
        }
    if not villager_name:
        errors["villager_name"] = _("Enter the villager's name.")
    if village is None or not _served_villages(session.centre).filter(pk=village.pk).exists():
        errors["village"] = _("Choose a village served by %(centre)s.") % {"centre": session.centre.name}
    try:
        validate_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if not request:
        errors["request"] = _("Describe the request.")
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose an outcome.")
    elif outcome == Outcome.FOLLOW_UP:
        if due_on is None:
            errors["due_on"] = _("A follow-up needs a due date.")
        elif due_on < session.date:
            errors["due_on"] = _("The follow-up cannot be due before the half-day.")
    elif due_on is not None:
        errors["due_on"] = _("Only a follow-up has a due date.")
    if errors:
        raise ValidationError(errors)
    record = ServiceRecord(
        session=session,
        date=session.date,
        department=department,
        service_item=service_item,
        villager_name=villager_name,
        village=village,
        phone=phone,
        request=request,
        outcome=outcome,
        due_on=due_on if outcome == Outcome.FOLLOW_UP else None,
    )
    record.full_clean(exclude=["session", "department", "service_item", "village"])
    with transaction.atomic():
        record.stamp(actor)
        record.save()
        _mark_present(session, actor)
        audit.record(
            "service_record_add",
            actor=actor,
            obj=record,
            detail={"session": session.pk, "service": service_item.code, "outcome": outcome},
        )
    return record


@audit.refusable("follow_up_close", obj="record")
def follow_up_close(*, actor, record: ServiceRecord, closed_on: datetime.date, note: str) -> ServiceRecord:
    """The department closes a follow-up: when, and what was done."""
    require(can_close_follow_up(actor, record))
    if not record.is_open_follow_up:
        raise ValidationError(_("This record has no open follow-up."), code="state")
    note = (note or "").strip()
    errors = {}
    if closed_on is None:
        errors["closed_on"] = _("Enter the date the follow-up was closed.")
    elif closed_on > timezone.localdate():
        errors["closed_on"] = _("The closing date cannot be in the future.")
    elif closed_on < record.session.date:
        errors["closed_on"] = _("The follow-up cannot be closed before the half-day.")
    if not note:
        errors["note"] = _("Say how the follow-up was closed.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = ServiceRecord.objects.select_for_update().get(pk=record.pk)
        if not locked.is_open_follow_up:
            raise ValidationError(_("This record has no open follow-up."), code="state")
        locked.closed_on, locked.closing_note = closed_on, note
        locked.full_clean(exclude=["session", "department", "service_item", "village"])
        locked.stamp(actor)
        locked.save()
        audit.record("service_follow_up_close", actor=actor, obj=locked, detail={"closed_on": str(closed_on)})
    return locked
