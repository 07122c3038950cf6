"""Special funds (专项经费): what the town allocates to a node of the tree for a year and a purpose, the expenses
paid from it, each with its voucher (凭证). Amounts are exact decimals of yuan, never floats; an allocation's
balance is its amount less its expenses, and no expense may take it below zero (`services.actions.funds`). Both are
in scope through the allocation's node."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from anding.attachments import AttachmentBase
from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet
from branches.models import Organization

from ..choices import FundPurpose
from ..roles import FUND_SCOPE_ROLES

__all__ = ["CENT", "MONEY_DIGITS", "FundAllocation", "FundExpense", "FundVoucher", "Money", "money_field"]

MONEY_DIGITS = 14  # up to 999,999,999,999.99 yuan
CENT = Decimal("0.01")


def money_field(verbose_name) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=MONEY_DIGITS, decimal_places=2)


class Money(models.DecimalField):
    """The output of a sum or difference of amounts, read back in fen. PostgreSQL computes them exactly; SQLite in
    floating point (0.1 + 0.2 - 0.3 = -5.6e-17), which rounding to the fen makes exact again for any amount of up
    to MONEY_DIGITS digits."""

    def __init__(self):
        super().__init__(max_digits=MONEY_DIGITS, decimal_places=2)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return Decimal(value).quantize(CENT) + Decimal("0.00")  # never "-0.00"


class FundAllocationQuerySet(ScopedQuerySet):
    def with_balance(self):
        """Each allocation with `spent` (the sum of its expenses) and `balance` (amount less spent): one query."""
        spent = Coalesce(Sum("expenses__amount"), Value(Decimal("0.00")), output_field=Money())
        return self.annotate(spent=spent, balance=models.ExpressionWrapper(F("amount") - spent, Money()))


class FundAllocation(ChangeTrackedModel):
    """A year's special fund of one purpose for one node of the tree (the town, a general branch or a village)."""

    year = models.PositiveSmallIntegerField(_("year"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=FundPurpose.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="fund_allocations"
    )
    amount = money_field(_("amount in yuan"))
    note = models.TextField(_("note"), max_length=2000, blank=True)

    objects = FundAllocationQuerySet.as_manager()
    scope_paths = ("organization",)
    scope_roles = FUND_SCOPE_ROLES

    class Meta:
        ordering = ["-year", "organization__tree_id", "organization__lft", "purpose"]
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "purpose", "organization"],
                name="services_allocation_unique_purpose",
                violation_error_message=_("This organization already has an allocation for this purpose and year."),
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="services_allocation_amount_positive"),
        ]

    def __str__(self):
        return f"{self.organization} {self.year} {self.get_purpose_display()}"

    def get_absolute_url(self):
        return record_url("services:allocation_detail", self.pk)


class FundExpense(ChangeTrackedModel):
    """An expense paid from an allocation: when, how much, what for; its voucher is a FundVoucher."""

    allocation = models.ForeignKey(
        FundAllocation, verbose_name=_("fund allocation"), on_delete=models.PROTECT, related_name="expenses"
    )
    date = models.DateField(_("date"))
    amount = money_field(_("amount in yuan"))
    purpose = models.CharField(_("paid for"), max_length=200)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("allocation__organization",)
    scope_roles = FUND_SCOPE_ROLES

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("fund expense")
        verbose_name_plural = _("fund expenses")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="services_expense_amount_positive")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.purpose}"

    def get_absolute_url(self):
        return record_url("services:allocation_detail", self.allocation_id) + f"#expense-{self.pk}"


class FundVoucher(AttachmentBase):
    """The voucher of an expense (an invoice, a receipt): downloaded only through its expense, in scope."""

    expense = models.OneToOneField(
        FundExpense, verbose_name=_("fund expense"), on_delete=models.PROTECT, related_name="voucher"
    )

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("expense__allocation__organization",)
    scope_roles = FUND_SCOPE_ROLES

    class Meta(AttachmentBase.Meta):
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")

    def get_absolute_url(self):
        return record_url("services:fund_voucher", self.expense_id)
