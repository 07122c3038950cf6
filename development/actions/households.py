"""Writes of "general branch + N households": a resource of a general branch, a training it gave, a sale through a
shared channel, and their corrections. Each checks the permission, validates with translated errors at the field,
and saves in one transaction with its audit event."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from branches.actions.common import require

from ..choices import ResourceKind
from ..models import BranchResource, ResourceTraining, SharedSale
from ..permissions import branch_generals, can_change_record
from .common import check_counts, check_text

__all__ = ["resource_add", "sale_add", "training_add", "training_correct"]


def _general_branch(errors, actor, general_branch):
    if general_branch is None or not branch_generals(actor).filter(pk=general_branch.pk).exists():
        errors["general_branch"] = _("Choose a general branch in your charge.")


def _date(errors, date):
    if date is None:
        errors["date"] = _("Enter the date.")
    elif date > timezone.localdate():
        errors["date"] = _("This cannot be recorded ahead of its date.")


def resource_add(
    *,
    actor,
    general_branch,
    kind: str,
    name: str,
    specialty: str,
    member=None,
    households=None,
    resource: BranchResource | None = None,
) -> BranchResource:
    """A resource of a general branch; with `resource`, that resource changed (its general branch's officers).
    `households` (households of the general branch's villages) replaces the ones linked; None keeps them."""
    if resource is None:
        require(branch_generals(actor).exists())
    else:
        require(branch_generals(actor).filter(pk=resource.general_branch_id).exists())
    errors = {}
    _general_branch(errors, actor, general_branch)
    if kind not in ResourceKind.values:
        errors["kind"] = _("Choose the kind of resource.")
    name = check_text(errors, "name", name, 100, message=_("Enter the name."))
    specialty = check_text(errors, "specialty", specialty, 200, message=_("Describe the specialty."))
    if member is not None and general_branch is not None and member.branch.parent_id != general_branch.pk:
        errors["member"] = _("Choose a party member of a village of %(general)s.") % {"general": general_branch.name}
    if households is not None and general_branch is not None:
        households = list(households)
        if any(h.village.parent_id != general_branch.pk for h in households):
            errors["households"] = _("Choose households of the villages of %(general)s.") % {
                "general": general_branch.name
            }
    if errors:
        raise ValidationError(errors)
    row = resource or BranchResource()
    row.general_branch, row.kind, row.name, row.specialty, row.member = general_branch, kind, name, specialty, member
    row.stamp(actor)
    with transaction.atomic():
        row.save()
        if households is not None:
            row.households.set(households)
        audit.record(
            "branch_resource_save" if resource else "branch_resource_add", actor=actor, obj=row, detail={"kind": kind}
        )
    return row


def training_add(
    *, actor, resource: BranchResource, date: datetime.date, topic: str, person_times: int
) -> ResourceTraining:
    require(branch_generals(actor).filter(pk=resource.general_branch_id).exists())
    return _training_save(actor, ResourceTraining(resource=resource), date, topic, person_times)


def training_correct(
    *, actor, training: ResourceTraining, date: datetime.date, topic: str, person_times: int
) -> ResourceTraining:
    """A training corrected (a mistyped date or count): by those who may record it, with the same checks."""
    require(can_change_record(actor, training))
    return _training_save(actor, training, date, topic, person_times)


def _training_save(actor, training, date, topic, person_times) -> ResourceTraining:
    errors = {}
    _date(errors, date)
    topic = check_text(errors, "topic", topic, 200, message=_("Enter the topic."))
    check_counts(errors, person_times=person_times)
    if errors:
        raise ValidationError(errors)
    new = training.pk is None
    training.date, training.topic, training.person_times = date, topic, person_times
    training.full_clean(exclude=["resource"])
    training.stamp(actor)
    with transaction.atomic():
        training.save()
        audit.record(
            "resource_training_add" if new else "resource_training_save",
            actor=actor,
            obj=training,
            detail={"resource": training.resource_id, "person_times": person_times},
        )
    return training


def sale_add(
    *,
    actor,
    general_branch,
    product: str,
    channel: str,
    quantity_jin: Decimal,
    amount: Decimal,
    date: datetime.date,
    sale: SharedSale | None = None,
) -> SharedSale:
    """A sale through a shared channel; with `sale`, that sale corrected (its general branch's officers, the town)."""
    if sale is None:
        require(branch_generals(actor).exists())
    else:
        require(can_change_record(actor, sale))
    errors = {}
    _general_branch(errors, actor, general_branch)
    product = check_text(errors, "product", product, 100, message=_("Name the product."))
    channel = check_text(errors, "channel", channel, 100, message=_("Name the channel."))
    check_counts(errors, quantity_jin=quantity_jin, amount=amount)
    _date(errors, date)
    if errors:
        raise ValidationError(errors)
    row = sale or SharedSale()
    row.general_branch, row.product, row.channel, row.date = general_branch, product, channel, date
    row.quantity_jin, row.amount = quantity_jin, amount
    row.full_clean(exclude=["general_branch"])
    row.stamp(actor)
    with transaction.atomic():
        row.save()
        audit.record(
            "shared_sale_save" if sale else "shared_sale_add",
            actor=actor,
            obj=row,
            detail={"quantity_jin": str(quantity_jin), "amount": str(amount)},
        )
    return row
