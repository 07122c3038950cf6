"""Writes of the special funds: the town allocates a fund (and corrects its amount, never below what is spent);
the officers of the node record an expense with its voucher. The allocation's row is locked while its balance is
checked and the expense saved, so two expenses at once can never together overspend it; a refused expense saves
nothing, its voucher included."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from anding.attachments import check_upload, store_attachment
from branches.actions.common import require

from ..choices import FundPurpose
from ..models import FundAllocation, FundExpense, FundVoucher
from ..models.funds import MONEY_DIGITS
from ..permissions import can_allocate, can_record_expense

__all__ = ["allocate", "allocation_correct", "amount_error", "expense_record", "money", "year_error"]

CENT = Decimal("0.01")
NOTE_CHARS = 2000
PURPOSE_CHARS = 200


def money(amount: Decimal) -> str:
    """An amount written exactly, for messages: ¥1,234.50."""
    return f"¥{amount:,.2f}"


def amount_error(amount) -> str | None:
    """What is wrong with an amount of yuan (a Decimal: more than zero, in cents, at most MONEY_DIGITS digits)."""
    if not isinstance(amount, Decimal):
        try:
            amount = Decimal(str(amount)) if amount is not None and not isinstance(amount, float) else None
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite():
        return _("Enter an amount in yuan, such as 1200 or 86.50.")
    if amount <= 0:
        return _("Enter an amount greater than zero.")
    if amount >= Decimal(10) ** (MONEY_DIGITS - 2):
        return _("This amount is too large.")
    if amount != amount.quantize(CENT, rounding="ROUND_DOWN"):
        return _("An amount has at most two decimal places (fen).")
    return None


def year_error(year) -> str | None:
    latest = timezone.localdate().year + 1
    if not isinstance(year, int) or not 2000 <= year <= latest:
        return _("Enter a year from 2000 to %(latest)d.") % {"latest": latest}
    return None


def _spent(allocation: FundAllocation) -> Decimal:
    """The sum of the allocation's expenses, exact (summed as Decimals: SQLite adds decimals as floats)."""
    return sum(FundExpense.objects.filter(allocation=allocation).values_list("amount", flat=True), Decimal("0.00"))


def allocate(*, actor, year: int, purpose: str, organization, amount: Decimal, note: str = "") -> FundAllocation:
    """The town allocates a year's fund of a purpose to a node (one per node, purpose and year)."""
    require(organization is not None and can_allocate(actor, organization))
    note = (note or "").strip()
    errors = {}
    if error := year_error(year):
        errors["year"] = error
    if purpose not in FundPurpose.values:
        errors["purpose"] = _("Choose the purpose of the fund.")
    if error := amount_error(amount):
        errors["amount"] = error
    if len(note) > NOTE_CHARS:
        errors["note"] = _("A note may hold at most %(n)d characters.") % {"n": NOTE_CHARS}
    if not errors and FundAllocation.objects.filter(year=year, purpose=purpose, organization=organization).exists():
        errors["purpose"] = _("This organization already has an allocation for this purpose and year.")
    if errors:
        raise ValidationError(errors)
    allocation = FundAllocation(year=year, purpose=purpose, organization=organization, amount=amount, note=note)
    allocation.stamp(actor)
    try:
        with transaction.atomic():
            allocation.save()
            audit.record(
                "fund_allocate",
                actor=actor,
                obj=allocation,
                detail={"year": year, "purpose": purpose, "amount": str(amount)},
            )
    except IntegrityError as exc:  # allocated at the same moment by someone else
        raise ValidationError(
            {"purpose": _("This organization already has an allocation for this purpose and year.")}
        ) from exc
    return allocation


def allocation_correct(*, actor, allocation: FundAllocation, amount: Decimal, note: str) -> FundAllocation:
    """The town raises or lowers an allocation, saying why; never below what has been spent from it."""
    require(can_allocate(actor, allocation.organization))
    note = (note or "").strip()
    errors = {}
    if error := amount_error(amount):
        errors["amount"] = error
    if not note:
        errors["note"] = _("Say why the allocation changes.")
    elif len(note) > NOTE_CHARS:
        errors["note"] = _("A note may hold at most %(n)d characters.") % {"n": NOTE_CHARS}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = FundAllocation.objects.select_for_update().get(pk=allocation.pk)
        spent = _spent(locked)
        if amount < spent:
            raise ValidationError(
                {
                    "amount": _("%(spent)s has already been spent from this allocation: it cannot be less.")
                    % {"spent": money(spent)}
                }
            )
        before = locked.amount
        locked.amount, locked.note = amount, note
        locked.stamp(actor)
        locked.save()
        audit.record(
            "fund_allocation_correct",
            actor=actor,
            obj=locked,
            detail={"from": str(before), "to": str(amount), "note": note},
        )
    return locked


def expense_record(
    *, actor, allocation: FundAllocation, date: datetime.date, amount: Decimal, purpose: str, voucher
) -> FundExpense:
    """An expense paid from `allocation`, with its voucher. Refused, with nothing saved, when it would take the
    allocation's balance below zero."""
    require(can_record_expense(actor, allocation))
    purpose = (purpose or "").strip()
    errors = {}
    if date is None:
        errors["date"] = _("Enter the date of the expense.")
    elif date > timezone.localdate():
        errors["date"] = _("An expense cannot be recorded before it is paid.")
    elif date.year != allocation.year:
        errors["date"] = _("The expense must be paid in the allocation's year (%(year)d).") % {"year": allocation.year}
    if error := amount_error(amount):
        errors["amount"] = error
    if not purpose:
        errors["purpose"] = _("Say what the expense paid for.")
    elif len(purpose) > PURPOSE_CHARS:
        errors["purpose"] = _("Say what the expense paid for in at most %(n)d characters.") % {"n": PURPOSE_CHARS}
    if not voucher:
        errors["voucher"] = _("Attach the voucher of the expense (an invoice or a receipt).")
    else:
        try:
            check_upload(voucher)
        except ValidationError as exc:
            errors["voucher"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = FundAllocation.objects.select_for_update().get(pk=allocation.pk)
        balance = locked.amount - _spent(locked)
        if amount > balance:
            raise ValidationError(
                {
                    "amount": _("This expense (%(amount)s) exceeds the allocation's balance (%(balance)s).")
                    % {"amount": money(amount), "balance": money(balance)}
                },
                code="overspend",
            )
        expense = FundExpense(allocation=locked, date=date, amount=amount, purpose=purpose)
        expense.stamp(actor)
        expense.save()
        # Stored last, once everything is checked: a refused expense leaves no file behind.
        store_attachment(FundVoucher, voucher, actor, expense=expense)
        audit.record(
            "fund_expense_record",
            actor=actor,
            obj=expense,
            detail={"allocation": locked.pk, "amount": str(amount), "balance": str(balance - amount)},
        )
    return expense
