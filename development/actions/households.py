"""Writes of "general branch + N households": a resource of a general branch, a training it gave, a sale through a
shared channel. Each checks the permission, validates with translated errors at the field, and saves in one
transaction with its audit event."""

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
from ..permissions import branch_generals
from .common import check_counts, check_text

__all__ = ["resource_add", "sale_add", "training_add"]


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
    errors = {}
    _date(errors, date)
    topic = check_text(errors, "topic", topic, 200, message=_("Enter the topic."))
    check_counts(errors, person_times=person_times)
    if errors:
        raise ValidationError(errors)
    training = ResourceTraining(resource=resource, date=date, topic=topic, person_times=person_times)
    training.full_clean(exclude=["resource"])
    training.stamp(actor)
    with transaction.atomic():
        training.save()
        audit.record("resource_training_add", actor=actor, obj=training, detail={"resource": resource.pk})
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
) -> SharedSale:
    require(branch_generals(actor).exists())
    errors = {}
    _general_branch(errors, actor, general_branch)
    product = check_text(errors, "product", product, 100, message=_("Name the product."))
    channel = check_text(errors, "channel", channel, 100, message=_("Name the channel."))
    check_counts(errors, quantity_jin=quantity_jin, amount=amount)
    _date(errors, date)
    if errors:
        raise ValidationError(errors)
    sale = SharedSale(
        general_branch=general_branch,
        product=product,
        channel=channel,
        quantity_jin=quantity_jin,
        amount=amount,
        date=date,
    )
    sale.full_clean(exclude=["general_branch"])
    sale.stamp(actor)
    with transaction.atomic():
        sale.save()
        audit.record("shared_sale_add", actor=actor, obj=sale, detail={"quantity_jin": str(quantity_jin)})
    return sale
